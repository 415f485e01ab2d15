"""Over the socket: an interim's card that its final does not confirm is withdrawn for the
rep and the watching coach, stored as withdrawn and never counted as a card shown."""

from __future__ import annotations

from typing import Any

import pytest

from app.extensions import db
from app.models import Suggestion
from app.schemas.events import SERVER_EVENT_SCHEMAS
from tests.helpers import ack, auth_header, start_call, stream
from tests.sockets.test_resume_and_coach import _coach_token

OBJECTION = "I think your price is way too high for us"  # interim: "I think your price is"
SMALL_TALK = "I think your price is fine, the weather here is lovely today"


@pytest.fixture
def partial_script(scripted_transcriber):
    scripted_transcriber.interim_words = 5  # every interim: the sentence's first five words
    return scripted_transcriber


def _cards(client) -> list[tuple[str, dict[str, Any]]]:
    """The rep's suggestion events in order, read once (reading empties the queue)."""
    names = ("suggestion", "suggestion:withdrawn")
    return [(e["name"], e["args"][0]) for e in client.get_received("/audio") if e["name"] in names]


def test_the_interim_card_is_withdrawn_when_the_final_is_another_moment(
    client, connect, admin, sessions, partial_script
):
    partial_script.sentences = iter([OBJECTION] * 4)
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["prospect"])
    coach = connect(_coach_token(client, admin))
    assert ack(coach, "call:join", {"call_id": call_id})["ok"]
    stream(rep, call_id, 4, source="prospect")
    for watcher in (rep, coach):
        (_, early), (_, gone), (_, final) = _cards(watcher)
        assert early["title"] and early["trigger_utterance_id"].startswith(call_id[:8])
        assert gone == {
            "call_id": call_id,
            "suggestion_id": early["suggestion_id"],
            "reason": "final_differs",
        }
        assert SERVER_EVENT_SCHEMAS["suggestion:withdrawn"]().validate(gone) == {}
        assert final["kind"] == "objection" and final["suggestion_id"] != early["suggestion_id"]
    sessions.writer.flush(5)
    rejoined = ack(coach, "call:join", {"call_id": call_id})
    assert [s["suggestion_id"] for s in rejoined["suggestions"]] == [final["suggestion_id"]]
    refused = ack(
        rep,
        "suggestion:feedback",
        {"call_id": call_id, "suggestion_id": gone["suggestion_id"], "action": "used"},
    )
    assert refused["ok"] is False and refused["error"]["code"] == "suggestion_withdrawn"
    ack(rep, "call:stop", {"call_id": call_id})

    headers = auth_header(admin["token"])
    listed = client.get(f"/api/v1/calls/{call_id}/suggestions", headers=headers).json["items"]
    assert [s["suggestion_id"] for s in listed] == [final["suggestion_id"]]
    assert client.get(f"/api/v1/calls/{call_id}", headers=headers).json["suggestion_count"] == 1
    exported = client.get(f"/api/v1/calls/{call_id}/export", headers=headers).json
    states = {s["suggestion_id"]: s["withdrawn_reason"] for s in exported["suggestions"]}
    assert states == {early["suggestion_id"]: "final_differs", final["suggestion_id"]: None}
    stored = db.session.get(Suggestion, early["suggestion_id"])
    assert stored.entry_name == "signal-pricing-question" and stored.feedback is None


def test_the_interim_card_is_withdrawn_when_the_final_is_no_moment(
    connect, admin, sessions, partial_script
):
    partial_script.sentences = iter([SMALL_TALK] * 4)
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["prospect"])
    stream(rep, call_id, 4, source="prospect")
    (_, early), (name, gone) = _cards(rep)
    assert (name, gone["suggestion_id"], gone["reason"]) == (
        "suggestion:withdrawn",
        early["suggestion_id"],
        "final_unmatched",
    )
    ack(rep, "call:stop", {"call_id": call_id})
    [stored] = db.session.query(Suggestion).filter_by(call_id=call_id).all()
    assert stored.withdrawn_reason == "final_unmatched"
