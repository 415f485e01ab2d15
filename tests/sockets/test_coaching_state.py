"""Coaching state saved on drain is restored by the worker that revives the call, in one
process standing in for two: the card's cooldown and the counts continue, and the
snapshot row goes with the end of the call."""

from __future__ import annotations

from app.extensions import db
from app.models import LiveCoachingState
from tests.helpers import ack, start_call, stream


def _metrics_and_cards(client) -> tuple[list[dict], list[dict]]:
    events = client.get_received("/audio")
    pick = lambda name: [e["args"][0] for e in events if e["name"] == name]  # noqa: E731
    return pick("metrics"), pick("suggestion")


def test_a_revived_call_keeps_cooldowns_and_counts_from_the_drained_worker(
    connect, admin, sessions, scripted_transcriber
):
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    stream(rep, call_id, 4, source="prospect")  # "I think your price is too expensive for us"
    metrics, cards = _metrics_and_cards(rep)
    assert [c["kind"] for c in cards] == ["objection"] and metrics[-1]["prospect_words"] == 9
    sessions.shutdown(timeout=2)  # SIGTERM: the drain saves the coaching state
    db.session.expire_all()
    assert db.session.get(LiveCoachingState, call_id) is not None
    sessions.janitor.stop()
    sessions.draining = False  # stands in for the fresh worker the client reconnects to

    again = connect(admin["token"])
    resume = {"resume_call_id": call_id, "resume_seq": {"rep": 0, "prospect": 4}}
    resume["sources"] = ["rep", "prospect"]
    assert ack(again, "call:start", resume)["ok"]
    assert all(a["ok"] for a in stream(again, call_id, 4, source="prospect", first_seq=4))
    metrics, cards = _metrics_and_cards(again)
    assert cards == []  # still inside the card's cooldown: not repeated
    assert metrics[-1]["prospect_words"] == 18 and metrics[-1]["stage"] == "objection_handling"
    assert ack(again, "call:stop", {"call_id": call_id})["ok"]
    db.session.expire_all()
    assert db.session.get(LiveCoachingState, call_id) is None
