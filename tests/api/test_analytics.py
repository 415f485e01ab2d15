"""Analytics numbers against a small seeded data set computed by hand (see the comments)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Suggestion, User
from app.services.metric_columns import stored_metrics
from tests.factories import TeamFactory, make_call
from tests.helpers import auth_header

RANGE = {"from": "2026-01-05", "to": "2026-01-18"}  # Monday 5 to Sunday 18 January, inclusive


def _at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def _metrics(ratio, rep_s, prospect_s, questions, coverage):
    return {
        "talk_ratio": ratio,
        "rep_talk_s": rep_s,
        "prospect_talk_s": prospect_s,
        "questions_asked": questions,
        "checklist_coverage": coverage,
    }


def _suggest(call, kind, name, feedback=None, withdrawn=None):
    db.session.add(
        Suggestion(
            call_id=call.id,
            kind=kind,
            title=f"{name} card",
            body="b",
            origin="playbook",
            entry_name=name,
            feedback=feedback,
            withdrawn_reason=withdrawn,
        )
    )


@pytest.fixture
def seeded(tokens):
    team = TeamFactory()
    ann = tokens.user(role="rep", team=team, name="Ann")
    bob = tokens.user(role="rep", team=team, name="Bob")
    coach = tokens.user(role="coach", team=team, name="Cat")
    a1 = make_call(ann["user"], started_at=_at(5), **_metrics(0.6, 60, 40, 4, 0.5))
    _suggest(a1, "objection", "price", "used")
    _suggest(a1, "objection", "price", "dismissed")
    _suggest(a1, "discovery", "pain")
    # Withdrawn live (their finals disagreed): never a card shown, counted nowhere.
    _suggest(a1, "objection", "price", withdrawn="final_differs")
    # Sunday 23:30 UTC still belongs to the week of Monday 5 January.
    a2 = make_call(
        ann["user"], started_at=_at(11, 23, 30), state="interrupted", **_metrics(0.4, 30, 45, 2, 1)
    )
    _suggest(a2, "objection", "timing", "used")
    _suggest(a2, "signal", "pricing-question", withdrawn="final_unmatched")
    a3 = make_call(ann["user"], started_at=_at(12))  # imported: no stored metrics
    _suggest(a3, "objection", "price")
    make_call(bob["user"], started_at=_at(13), **_metrics(0.5, 50, 50, 6, 0.25))
    # Not counted: the day after `to`, still live, before `from`, another team.
    make_call(ann["user"], started_at=datetime(2026, 1, 19, tzinfo=UTC))
    make_call(ann["user"], started_at=_at(6), state="live", ended_at=None)
    make_call(bob["user"], started_at=_at(4, 23, 59))
    stranger = make_call(tokens.user(role="rep")["user"], started_at=_at(6))
    _suggest(stranger, "objection", "price", "used")
    db.session.commit()
    return {"ann": ann, "bob": bob, "coach": coach}


def _get(client, path, token, **params):
    return client.get(f"/api/v1/analytics/{path}", query_string=params, headers=auth_header(token))


def test_team_report_matches_hand_computed_figures(client, seeded):
    body = _get(client, "team", seeded["coach"]["token"], **RANGE)
    assert body.status_code == 200, body.json
    ann, bob = body.json["reps"]
    # Ann: 3 calls (a1, a2, a3); talk = (60+40) + (30+45) + 0 = 175 s; a3 has no metrics, so
    # averages use a1 and a2 only: ratio (0.6+0.4)/2 = 0.5, questions (4+2)/2 = 3,
    # coverage (0.5+1)/2 = 0.75; suggestions 3 + 1 + 1 = 5 shown, 1 + 1 = 2 used.
    assert ann == {
        "user_id": seeded["ann"]["id"],
        "name": "Ann",
        "calls": 3,
        "talk_time_s": 175.0,
        "avg_talk_ratio": 0.5,
        "questions_per_call": 3.0,
        "checklist_coverage": 0.75,
        "suggestions_shown": 5,
        "suggestions_used": 2,
    }
    # Bob: 1 call (the one on 4 January is before `from`): talk 50+50 = 100 s.
    assert bob["calls"] == 1 and bob["talk_time_s"] == 100.0
    assert (bob["avg_talk_ratio"], bob["questions_per_call"]) == (0.5, 6.0)
    assert (bob["suggestions_shown"], bob["suggestions_used"]) == (0, 0)


def test_weekly_trend_groups_calls_by_monday_in_utc(client, seeded):
    weekly = _get(client, "team", seeded["coach"]["token"], **RANGE).json["weekly"]
    # Week of 5 Jan: a1, a2 -> ratio (0.6+0.4)/2, questions (4+2)/2, coverage (0.5+1)/2.
    # Week of 12 Jan: a3 (no metrics), Bob's call -> averages are Bob's alone.
    assert weekly == [
        {
            "week": "2026-01-05",
            "calls": 2,
            "avg_talk_ratio": 0.5,
            "questions_per_call": 3.0,
            "checklist_coverage": 0.75,
        },
        {
            "week": "2026-01-12",
            "calls": 2,
            "avg_talk_ratio": 0.5,
            "questions_per_call": 6.0,
            "checklist_coverage": 0.25,
        },
    ]


def test_objections_are_counted_by_type_with_how_often_they_were_used(client, seeded):
    objections = _get(client, "team", seeded["coach"]["token"], **RANGE).json["objections"]
    # price: a1 twice (used once) + a3 once; timing: a2 once (used). Other teams not counted.
    assert objections == [
        {"kind_name": "price", "count": 3, "used": 1},
        {"kind_name": "timing", "count": 1, "used": 1},
    ]


def test_rep_report_covers_only_that_rep(client, seeded):
    body = _get(client, f"reps/{seeded['bob']['id']}", seeded["coach"]["token"], **RANGE).json
    assert [r["name"] for r in body["reps"]] == ["Bob"]
    assert body["weekly"] == [
        {
            "week": "2026-01-12",
            "calls": 1,
            "avg_talk_ratio": 0.5,
            "questions_per_call": 6.0,
            "checklist_coverage": 0.25,
        }
    ]
    assert body["objections"] == []


def test_a_rep_reads_their_own_figures_but_not_a_teammates_or_the_team(client, seeded):
    ann, bob = seeded["ann"], seeded["bob"]
    own = _get(client, f"reps/{ann['id']}", ann["token"], **RANGE)
    assert own.status_code == 200 and own.json["reps"][0]["calls"] == 3
    assert _get(client, f"reps/{bob['id']}", ann["token"], **RANGE).status_code == 404
    assert _get(client, "team", ann["token"], **RANGE).status_code == 403


def test_a_user_of_another_team_is_not_found(client, seeded, tokens):
    stranger = tokens.user(role="rep")
    response = _get(client, f"reps/{stranger['id']}", seeded["coach"]["token"])
    assert response.status_code == 404 and response.json["error"]["code"] == "user_not_found"


def test_the_default_range_is_the_last_ninety_days(client, tokens):
    coach = tokens.user(role="coach")
    make_call(db.session.get(User, coach["id"]), **_metrics(0.3, 3, 7, 1, None))
    body = _get(client, "team", coach["token"]).json
    assert body["reps"][0]["calls"] == 1 and body["reps"][0]["talk_time_s"] == 10.0


@pytest.mark.parametrize(
    "params",
    [{"from": "2026-02-01", "to": "2026-01-01"}, {"from": "yesterday"}, {"to": "2026-13-01"}],
)
def test_a_bad_range_is_rejected(client, tokens, params):
    coach = tokens.user(role="coach")
    assert _get(client, "team", coach["token"], **params).status_code == 422


def test_stored_metrics_come_from_the_live_summary():
    summary = {
        "metrics": {"talk_ratio": 0.42, "rep_talk_s": 12.5, "questions_asked": 3},
        "checklist": [{"done": True}, {"done": False}, {"done": True}, {"done": False}],
    }
    assert stored_metrics(summary) == {
        "talk_ratio": 0.42,
        "rep_talk_s": 12.5,
        "prospect_talk_s": None,
        "questions_asked": 3,
        "checklist_coverage": 0.5,
    }
    assert set(stored_metrics(None).values()) == {None}


def test_a_call_made_a_minute_ago_is_in_the_default_period(client, tokens):
    coach = tokens.user(role="coach")
    now = datetime.now(UTC)
    make_call(db.session.get(User, coach["id"]), started_at=now - timedelta(minutes=1))
    db.session.commit()
    for zone in ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC-11
        body = _get(client, "team", coach["token"], tz=zone).json
        assert body["reps"][0]["calls"] == 1, zone
        assert body["tz"] == zone


def test_days_are_whole_days_in_the_viewers_time_zone_both_included(client, tokens):
    coach = tokens.user(role="coach")
    user = db.session.get(User, coach["id"])
    # New York is UTC-5 in January.
    make_call(user, started_at=_at(5, 3))  # Sunday 4 Jan 22:00 there: before `from`
    make_call(user, started_at=_at(5, 6), **_metrics(0.2, 1, 4, 1, 1))  # Monday 5 Jan, 01:00
    make_call(user, started_at=_at(12, 2), **_metrics(0.4, 2, 3, 3, 1))  # Sunday 11 Jan, 21:00
    make_call(user, started_at=_at(19, 3), **_metrics(0.6, 3, 2, 5, 1))  # Sunday 18 Jan, 22:00
    make_call(user, started_at=_at(19, 6))  # Monday 19 Jan, 01:00: after `to`
    db.session.commit()
    params = {**RANGE, "tz": "America/New_York"}
    body = _get(client, "team", coach["token"], **params).json
    assert body["reps"][0]["calls"] == 3
    assert body["from"].startswith("2026-01-05T05:00:00") and body["to"].startswith(
        "2026-01-19T05:00:00"
    )
    assert [(w["week"], w["calls"], w["avg_talk_ratio"]) for w in body["weekly"]] == [
        ("2026-01-05", 2, 0.3),
        ("2026-01-12", 1, 0.6),
    ]


def test_an_unknown_time_zone_is_rejected(client, tokens):
    coach = tokens.user(role="coach")
    response = _get(client, "team", coach["token"], tz="Mars/Olympus")
    assert response.status_code == 422 and "tz" in response.json["error"]["fields"]
