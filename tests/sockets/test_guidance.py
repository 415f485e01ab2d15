"""The `guidance` event over the socket, with no AI key (playbook guidance) and with the
fake Anthropic server (tailored guidance, fallback on errors)."""

from __future__ import annotations

import time

import pytest

from app.extensions import db
from app.models import Call
from tests.fakes.fake_anthropic import GUIDANCE_INPUT, Reply
from tests.helpers import ack, llm_env, stream
from tests.sockets.test_resume_and_coach import _coach_token

SETUP = {
    "title": "Discovery with Acme",
    "goal": "Book a technical demo",
    "prospect_name": "Dana Reyes",
    "prospect_company": "Acme Corp",
    "notes": "Met at the fintech conference",
}


def _collect(client, predicate, timeout=5.0):
    seen: list = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen += client.get_received("/audio")
        if predicate(seen):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"timed out; saw {[e['name'] for e in seen]}")


def _guidance(events):
    return [e["args"][0] for e in events if e["name"] == "guidance"]


def _start(rep, **extra):
    response = ack(rep, "call:start", {**SETUP, "sources": ["rep", "prospect"], **extra})
    assert response["ok"], response
    return response


def test_without_keys_guidance_arrives_at_start_and_changes_focus_after_an_objection(
    connect, admin, sessions
):
    rep = connect(admin["token"])
    started = time.monotonic()
    response = _start(rep)
    call_id = response["call_id"]
    events = _collect(rep, lambda ev: _guidance(ev))
    assert time.monotonic() - started < 5
    [brief] = _guidance(events)
    assert response["guidance"] == brief and brief["call_id"] == call_id
    assert brief["focus"]["what"] and brief["stage"] == "opening"
    assert len(brief["key_questions"]) >= 2
    assert all(len(q["alternatives"]) >= 2 for q in brief["key_questions"])
    assert brief["objectives"] and brief["origin"] == "playbook"
    assert "Call goal: Book a technical demo" in brief["talking_points"]

    stream(rep, call_id, 4, source="prospect")  # "…price is too expensive for us"
    events = _collect(rep, lambda ev: _guidance(ev))
    objection = _guidance(events)[-1]
    assert objection["stage"] == "objection_handling"
    assert objection["focus"]["what"] != brief["focus"]["what"]
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]

    call = db.session.get(Call, call_id)
    db.session.refresh(call)
    assert call.goal == "Book a technical demo" and call.notes == SETUP["notes"]
    assert (call.prospect_name, call.prospect_company) == ("Dana Reyes", "Acme Corp")
    assert call.guidance["stage"] == "objection_handling"


def test_a_coach_joining_gets_the_current_guidance(client, connect, admin, sessions):
    rep = connect(admin["token"])
    call_id = _start(rep)["call_id"]
    sessions.writer.flush(5)  # the snapshot reads the stored guidance
    watcher = connect(_coach_token(client, admin))
    snapshot = ack(watcher, "call:join", {"call_id": call_id})
    assert snapshot["ok"] and snapshot["guidance"]["stage"] == "opening"
    assert snapshot["call"]["goal"] == "Book a technical demo"


def test_prospect_fields_never_reach_the_logs(connect, admin, sessions, caplog):
    rep = connect(admin["token"])
    call_id = _start(rep)["call_id"]
    stream(rep, call_id, 4, source="prospect")
    ack(rep, "call:stop", {"call_id": call_id})
    logged = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "Dana Reyes" not in logged and "Acme Corp" not in logged


class TestWithTheModel:
    @pytest.fixture
    def app_env(self, fake_llm):
        return llm_env(fake_llm)

    def test_guidance_streams_partial_then_final_after_the_playbook_brief(
        self, connect, admin, fake_llm, sessions
    ):
        fake_llm.guide_default = Reply.guidance(delta_delay_s=0.01, chunk_chars=16)
        rep = connect(admin["token"])
        call_id = _start(rep)["call_id"]
        events = _collect(
            rep,
            lambda ev: any(g["status"] == "final" and g["origin"] == "llm" for g in _guidance(ev)),
        )
        guidance = _guidance(events)
        assert guidance[0]["origin"] == "playbook"
        llm = [g for g in guidance if g["origin"] == "llm"]
        assert llm[0]["status"] == "partial" and llm[-1]["status"] == "final"
        assert llm[-1]["focus"] == GUIDANCE_INPUT["focus"]
        ack(rep, "call:stop", {"call_id": call_id})
        call = db.session.get(Call, call_id)
        db.session.refresh(call)
        assert call.guidance["origin"] == "llm"

    def test_a_failing_model_degrades_the_call_once_and_the_playbook_guidance_stays(
        self, connect, admin, fake_llm, sessions
    ):
        fake_llm.guide_default = Reply.overloaded()
        rep = connect(admin["token"])
        call_id = _start(rep)["call_id"]
        events = _collect(rep, lambda ev: len(_guidance(ev)) >= 2)
        stream(rep, call_id, 4, source="prospect")
        events += _collect(
            rep, lambda ev: any(g["stage"] == "objection_handling" for g in _guidance(ev))
        )
        time.sleep(0.5)
        events += rep.get_received("/audio")
        statuses = [e["args"][0] for e in events if e["name"] == "call:status"]
        assert sum(1 for s in statuses if s["state"] == "degraded") == 1
        assert all(g["origin"] == "playbook" for g in _guidance(events))
