"""The toolkit API's talk tracks and stage guidance."""

from __future__ import annotations

from tests.helpers import auth_header

STAGE = {
    "focus": {"what": "Find the pain", "why": "No pain, no deal.", "urgency": "high"},
    "objectives": [{"id": "pain", "text": "Name the main problem", "triggers": ["problem"]}],
    "key_questions": [
        {"primary": "What is the biggest problem?", "alternatives": ["What hurts most?"]}
    ],
    "talking_points": ["Listen more than you talk."],
}


def test_the_toolkit_lists_every_stage_with_the_defaults_for_a_team_that_edited_none(client, admin):
    body = client.get("/api/v1/toolkit", headers=auth_header(admin["token"])).json
    assert [s["stage"] for s in body["stages"]] == [
        "opening",
        "discovery",
        "pitch",
        "objection_handling",
        "close",
    ]
    for stage in body["stages"]:
        assert stage["focus"]["what"] and len(stage["key_questions"]) >= 3
        assert all(len(q["alternatives"]) >= 2 for q in stage["key_questions"])
    price = next(e for e in body["items"] if e["name"] == "objection-price")
    assert len(price["talk_tracks"]) == 3 and price["talk_track"] == price["talk_tracks"][0]["text"]


def test_an_admin_replaces_one_stage_and_the_etag_changes(client, admin):
    h = auth_header(admin["token"])
    etag = client.get("/api/v1/toolkit", headers=h).headers["ETag"]
    saved = client.put("/api/v1/toolkit/stages/discovery", json=STAGE, headers=h)
    assert saved.status_code == 200 and saved.json["stage"] == "discovery"
    assert saved.json["key_questions"][0]["context"] == ""
    fresh = client.get("/api/v1/toolkit", headers={**h, "If-None-Match": etag})
    assert fresh.status_code == 200
    discovery = next(s for s in fresh.json["stages"] if s["stage"] == "discovery")
    assert discovery["focus"]["what"] == "Find the pain"
    opening = next(s for s in fresh.json["stages"] if s["stage"] == "opening")
    assert opening["focus"]["what"] == "Earn the right to a conversation"


def test_stage_edits_are_validated_and_admin_only(client, admin, tokens):
    h = auth_header(admin["token"])
    assert client.put("/api/v1/toolkit/stages/haggling", json=STAGE, headers=h).status_code == 404
    bad = {**STAGE, "focus": {"what": "x", "urgency": "panic"}}
    assert client.put("/api/v1/toolkit/stages/close", json=bad, headers=h).status_code == 422
    twice = {**STAGE, "objectives": STAGE["objectives"] * 2}
    assert client.put("/api/v1/toolkit/stages/close", json=twice, headers=h).status_code == 422
    rep = auth_header(tokens.user(role="rep")["token"])
    assert client.put("/api/v1/toolkit/stages/close", json=STAGE, headers=rep).status_code == 403


def test_entries_take_several_talk_tracks_and_old_clients_still_read_talk_track(client, admin):
    h = auth_header(admin["token"])
    entry = {
        "kind": "objection",
        "name": "security",
        "title": "Security review",
        "triggers": ["security review"],
        "talk_tracks": [
            {"text": "Offer the SOC 2 report.", "when_to_use": "First mention"},
            {"text": "Offer a call with our security lead.", "when_to_use": "They insist"},
        ],
    }
    created = client.post("/api/v1/toolkit", json=entry, headers=h)
    assert created.status_code == 201
    assert created.json["talk_track"] == "Offer the SOC 2 report."
    assert [t["when_to_use"] for t in created.json["talk_tracks"]] == [
        "First mention",
        "They insist",
    ]
    reference = {"kind": "reference", "name": "voicemail", "title": "Voicemail", "talk_track": "Hi"}
    assert client.post("/api/v1/toolkit", json=reference, headers=h).status_code == 201


def test_call_setup_is_edited_over_rest_and_shown_with_the_stored_guidance(client, tokens):
    from app.extensions import db
    from tests.factories import make_call

    rep = tokens.user()
    call = make_call(rep["user"], texts=[("rep", "Hi there")])
    call.guidance = {"stage": "close", "focus": {"what": "Ask for the meeting"}}
    db.session.commit()
    h = auth_header(rep["token"])
    changes = {"goal": "Book the demo", "prospect_name": "Dana", "prospect_company": "Acme"}
    patched = client.patch(f"/api/v1/calls/{call.id}", json=changes, headers=h)
    assert patched.status_code == 200
    body = client.get(f"/api/v1/calls/{call.id}", headers=h).json
    assert {k: body[k] for k in changes} == changes
    assert body["guidance"]["focus"]["what"] == "Ask for the meeting"
    too_long = client.patch(f"/api/v1/calls/{call.id}", json={"goal": "x" * 501}, headers=h)
    assert too_long.status_code == 422
