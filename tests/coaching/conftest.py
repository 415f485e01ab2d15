"""Fixtures for the LLM coach: the loopback fake Anthropic, the real SDK pointed at it, a sink."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from app.services.coaching.base import (
    CallContext,
)
from app.services.coaching.llm import LlmCallCoach
from app.services.coaching.llm_client import LlmClient, LlmSettings, build_anthropic
from app.services.coaching.llm_gate import TeamLlmGate
from tests.coaching.helpers import FakeClock
from tests.coaching.llm_helpers import PRICE, RecordingSink, llm_threads, wait_until
from tests.fakes.fake_anthropic import API_KEY, FakeAnthropic


@pytest.fixture
def fake() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        yield server


@pytest.fixture
def settings(fake: FakeAnthropic) -> LlmSettings:
    return LlmSettings(
        api_key=API_KEY,
        base_url=fake.base_url,
        model="claude-test",
        deadline_s=2.0,
        first_token_timeout_s=1.0,
        connect_timeout_s=0.5,
        partial_interval_s=0.0,
        min_interval_s=1000.0,
    )


@pytest.fixture
def gate_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def gate(gate_clock: FakeClock) -> TeamLlmGate:
    return TeamLlmGate(reset_after_s=3600, clock=gate_clock)


@pytest.fixture
def make_coach(
    settings: LlmSettings, gate: TeamLlmGate
) -> Iterator[Callable[..., tuple[LlmCallCoach, RecordingSink]]]:
    coaches: list[LlmCallCoach] = []

    def make(
        call_id: str = "call-1",
        team_id: str = "team-1",
        goal: str | None = "Book a demo",
        **overrides: Any,
    ) -> tuple[LlmCallCoach, RecordingSink]:
        used = replace(settings, **overrides)
        client = LlmClient(used, build_anthropic(used))
        sink = RecordingSink()
        context = CallContext(call_id=call_id, team_id=team_id, goal=goal, toolkit=(PRICE,))
        coach = LlmCallCoach(context, sink, client, used, gate)
        coaches.append(coach)
        return coach, sink

    yield make
    for coach in coaches:
        coach.close()
    wait_until(lambda: llm_threads() == 0)
