"""LLM guidance against the loopback fake through the real anthropic SDK: streamed partial
then final, latest request wins, playbook fallback and one degraded status on errors."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from app.services.coaching.base import CallContext, CallSetup
from app.services.coaching.coach import LiveCallCoach
from app.services.coaching.guidance_llm import LlmGuidanceCoach, overlay_from
from app.services.coaching.llm_client import LlmClient, build_anthropic
from app.services.coaching.toolkit_data import default_stage_items, default_toolkit_items
from tests.coaching.helpers import ManualScheduler
from tests.coaching.llm_helpers import RecordingSink, utterance, wait_until
from tests.fakes.fake_anthropic import GUIDANCE_INPUT, Reply


def _guidance_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("llm-guidance-"))


@pytest.fixture
def make_guided(settings, gate) -> Iterator[Callable[..., tuple[LiveCallCoach, RecordingSink]]]:
    coaches: list[LiveCallCoach] = []

    def make(**overrides: Any) -> tuple[LiveCallCoach, RecordingSink]:
        used = replace(settings, guidance_interval_s=0.0, **overrides)
        sink = RecordingSink()
        context = CallContext(
            "call-1",
            "team-1",
            "Book a demo",
            default_toolkit_items(),
            CallSetup("Dana Reyes", "Acme Corp", "Met at the conference"),
            default_stage_items(),
        )
        coach = LiveCallCoach(context, sink, schedule=ManualScheduler())
        client = LlmClient(used, build_anthropic(used))
        coach.attach_guide(LlmGuidanceCoach(context, sink, coach.guidance, client, used, gate))
        coaches.append(coach)
        return coach, sink

    yield make
    for coach in coaches:
        coach.close()
    wait_until(lambda: _guidance_threads() == 0)


def _guidance(sink: RecordingSink, origin: str | None = None) -> list[dict[str, Any]]:
    return [g for g in sink.of("guidance") if origin is None or g["origin"] == origin]


def _llm_final(sink: RecordingSink) -> Callable[[], bool]:
    return lambda: any(g["status"] == "final" for g in _guidance(sink, "llm"))


def test_the_brief_is_shown_at_once_then_the_models_streams_partial_then_final(fake, make_guided):
    fake.guide_default = Reply.guidance(delta_delay_s=0.005, chunk_chars=12)
    coach, sink = make_guided()
    brief = coach.start()
    assert brief["origin"] == "playbook" and _guidance(sink)[0] == brief
    assert sink.wait_for(_llm_final(sink))
    llm = _guidance(sink, "llm")
    assert llm[0]["status"] == "partial" and llm[-1]["status"] == "final"
    assert sum(1 for g in llm if g["status"] == "final") == 1
    final = llm[-1]
    assert final["focus"] == GUIDANCE_INPUT["focus"]
    assert final["key_questions"] == GUIDANCE_INPUT["key_questions"]
    assert final["objectives"] == brief["objectives"]  # objectives stay the playbook's
    for partial in llm[:-1]:
        assert set(partial) == set(final) and partial["stage"] == "opening"
    assert coach.last_guidance == final
    [request] = fake.guide_requests
    body = request["body"]
    assert body["tool_choice"] == {"type": "tool", "name": "guide"}
    user = body["messages"][0]["content"]
    assert "goal: Book a demo" in user and "prospect: Dana Reyes" in user
    assert "company: Acme Corp" in user and "open objectives:" in user
    assert not fake.requests  # no card request without a prospect turn


def test_a_newer_turn_wins_and_nothing_answering_the_older_is_shown(fake, make_guided):
    old = {**GUIDANCE_INPUT, "focus": {"what": "OLD focus", "why": "", "urgency": "low"}}
    new = {**GUIDANCE_INPUT, "focus": {"what": "NEW focus", "why": "", "urgency": "high"}}
    fake.push_guidance(
        Reply.guidance(tool_input=old, first_delay_s=0.6),
        Reply.guidance(tool_input=new),
    )
    coach, sink = make_guided()
    coach.start()
    wait_until(lambda: len(fake.guide_requests) == 1)
    coach.on_final(utterance("We hire twenty reps this year and onboarding is slow."))
    assert sink.wait_for(_llm_final(sink))
    wait_until(lambda: _guidance_threads() == 0)
    shown = [g["focus"]["what"] for g in _guidance(sink, "llm")]
    assert "NEW focus" in shown and "OLD focus" not in shown
    assert "onboarding is slow" in fake.guide_requests[1]["body"]["messages"][0]["content"]


def test_a_model_failure_falls_back_to_the_playbook_and_degrades_once(fake, make_guided):
    fake.guide_default = Reply.overloaded()
    coach, sink = make_guided(max_retries=0)
    coach.start()
    assert sink.wait_for(lambda: len(_guidance(sink)) >= 2)
    coach.on_final(utterance("Honestly the price is too expensive for us."))
    assert sink.wait_for(lambda: len(fake.guide_requests) >= 2)
    assert wait_until(lambda: _guidance_threads() == 0)
    assert sink.of("degraded") == ["llm_overloaded"]
    assert all(g["origin"] == "playbook" for g in _guidance(sink))
    assert _guidance(sink)[-1]["stage"] == "objection_handling"


def test_a_partial_leaves_out_the_field_still_being_written():
    partial = {
        "focus": {"what": "Size the team", "why": "x", "urgency": "high"},
        "key_questions": [
            {"primary": "How many reps?", "alternatives": ["Team size?"], "context": ""},
            {"primary": "How lo"},
        ],
    }
    overlay = overlay_from(partial, complete=False)
    assert overlay is not None
    assert overlay["focus"]["what"] == "Size the team"
    assert [q["primary"] for q in overlay["key_questions"]] == ["How many reps?"]
    assert overlay_from({"focus": {"what": "Still writ"}}, complete=False) == {}


def test_a_final_without_a_focus_or_a_question_is_refused():
    assert overlay_from({"focus": {"what": "Only a focus"}}, complete=True) is None
    assert overlay_from({"key_questions": [{"primary": "Q?"}]}, complete=True) is None
