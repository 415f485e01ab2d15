from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.models import Suggestion, User
from app.models.base import utcnow
from tests.factories import make_call
from tests.helpers import auth_header


def _user(tokens, role="rep", team=None):
    return tokens.user(role=role, team=team)


def test_rep_lists_only_their_own_calls_and_coach_sees_the_team(client, tokens):
    rep = _user(tokens)
    team = db.session.get(User, rep["id"]).team
    other_rep = _user(tokens, team=team)
    coach = _user(tokens, role="coach", team=team)
    mine = make_call(rep["user"])
    make_call(other_rep["user"])
    listed = client.get("/api/v1/calls", headers=auth_header(rep["token"])).json
    assert [c["id"] for c in listed["items"]] == [mine.id]
    assert client.get("/api/v1/calls", headers=auth_header(coach["token"])).json["total"] == 2


def test_another_teams_call_answers_exactly_like_a_missing_one(client, tokens):
    owner, stranger = _user(tokens, role="admin"), _user(tokens, role="admin")
    call = make_call(owner["user"])
    for path in ("", "/transcript", "/suggestions"):
        foreign = client.get(
            f"/api/v1/calls/{call.id}{path}", headers=auth_header(stranger["token"])
        )
        missing = client.get(
            f"/api/v1/calls/{'0' * 32}{path}", headers=auth_header(stranger["token"])
        )
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json["error"]["code"] == missing.json["error"]["code"] == "call_not_found"
    assert (
        client.delete(
            f"/api/v1/calls/{call.id}", headers=auth_header(stranger["token"])
        ).status_code
        == 404
    )


def test_call_detail_has_state_timings_and_counts(client, tokens):
    rep = _user(tokens)
    call = make_call(rep["user"], texts=[("rep", "Hi there"), ("prospect", "Hello")])
    body = client.get(f"/api/v1/calls/{call.id}", headers=auth_header(rep["token"])).json
    assert body["state"] == "ended" and body["utterance_count"] == 2
    assert body["duration_s"] > 3000 and body["user"]["id"] == rep["id"]


def test_transcript_is_in_time_order_with_ids(client, tokens):
    rep = _user(tokens)
    call = make_call(rep["user"], texts=[("rep", "one"), ("prospect", "two")])
    items = client.get(
        f"/api/v1/calls/{call.id}/transcript", headers=auth_header(rep["token"])
    ).json["items"]
    assert [(i["source"], i["text"]) for i in items] == [("rep", "one"), ("prospect", "two")]
    assert all(i["utterance_id"] for i in items)


def test_list_filters_by_state_date_range_rep_and_text(client, tokens):
    admin = _user(tokens, role="admin")
    team = db.session.get(User, admin["id"]).team
    rep = _user(tokens, team=team)
    old = make_call(
        rep["user"],
        started_at=utcnow() - timedelta(days=10),
        texts=[("prospect", "Your price is too expensive")],
    )
    new = make_call(rep["user"], state="live", ended_at=None, title="Renewal with Globex")
    make_call(admin["user"])
    h = auth_header(admin["token"])
    assert [c["id"] for c in client.get("/api/v1/calls?state=live", headers=h).json["items"]] == [
        new.id
    ]
    since = (utcnow() - timedelta(days=2)).isoformat().replace("+00:00", "Z")
    ids = {
        c["id"]
        for c in client.get("/api/v1/calls", query_string={"from": since}, headers=h).json["items"]
    }
    assert old.id not in ids and new.id in ids
    by_rep = client.get(f"/api/v1/calls?user_id={rep['id']}", headers=h).json
    assert by_rep["total"] == 2
    found = client.get("/api/v1/calls?q=expensive", headers=h).json["items"]
    assert [c["id"] for c in found] == [old.id] and "expensive" in found[0]["snippet"]
    assert [c["id"] for c in client.get("/api/v1/calls?q=globex", headers=h).json["items"]] == [
        new.id
    ]


def test_search_does_not_cross_teams(client, tokens):
    mine, theirs = _user(tokens), _user(tokens)
    make_call(theirs["user"], texts=[("prospect", "confidential merger talk")])
    assert (
        client.get("/api/v1/calls?q=merger", headers=auth_header(mine["token"])).json["total"] == 0
    )


def test_pagination_pages_through_newest_first(client, tokens):
    rep = _user(tokens)
    calls = [make_call(rep["user"], started_at=utcnow() - timedelta(minutes=i)) for i in range(5)]
    h = auth_header(rep["token"])
    first = client.get("/api/v1/calls?per_page=2&page=1", headers=h).json
    third = client.get("/api/v1/calls?per_page=2&page=3", headers=h).json
    assert first["total"] == 5 and [c["id"] for c in first["items"]] == [calls[0].id, calls[1].id]
    assert [c["id"] for c in third["items"]] == [calls[4].id]


def test_update_title_notes_outcome_and_delete(client, tokens):
    rep = _user(tokens)
    call = make_call(rep["user"], texts=[("rep", "hello")])
    h = auth_header(rep["token"])
    updated = client.patch(
        f"/api/v1/calls/{call.id}",
        headers=h,
        json={"title": "Acme renewal", "notes": "Send deck", "outcome": "won"},
    )
    assert updated.status_code == 200 and updated.json["outcome"] == "won"
    assert client.delete(f"/api/v1/calls/{call.id}", headers=h).status_code == 204
    assert client.get(f"/api/v1/calls/{call.id}", headers=h).status_code == 404


def test_suggestion_feedback_is_stored(client, tokens):
    rep = _user(tokens)
    call = make_call(rep["user"])
    suggestion = Suggestion(
        call_id=call.id,
        kind="objection",
        title="Price",
        body="Anchor value",
        origin="playbook",
        latency_ms=3,
    )
    db.session.add(suggestion)
    db.session.commit()
    h = auth_header(rep["token"])
    url = f"/api/v1/calls/{call.id}/suggestions/{suggestion.id}/feedback"
    assert client.post(url, json={"action": "used"}, headers=h).status_code == 204
    items = client.get(f"/api/v1/calls/{call.id}/suggestions", headers=h).json["items"]
    assert items[0]["feedback"] == "used" and items[0]["origin"] == "playbook"
    assert client.post(url, json={"action": "loved"}, headers=h).status_code == 422


def test_a_live_call_cannot_be_deleted_until_it_is_stopped(client, tokens):
    rep = _user(tokens)
    call = make_call(rep["user"], state="live", ended_at=None, texts=[("rep", "hello")])
    response = client.delete(f"/api/v1/calls/{call.id}", headers=auth_header(rep["token"]))
    assert response.status_code == 409 and response.json["error"]["code"] == "call_live"
    assert (
        client.get(f"/api/v1/calls/{call.id}/transcript", headers=auth_header(rep["token"])).json[
            "items"
        ][0]["text"]
        == "hello"
    )
