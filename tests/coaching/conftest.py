"""Fixtures for the LLM coach: the loopback fake Anthropic, the real SDK pointed at it, a sink."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from app.services.coaching.base import (
    CallContext,
    SuggestionEvent,
    ToolkitItem,
    Utterance,
)
from app.services.coaching.llm import LlmCallCoach
from app.services.coaching.llm_client import LlmClient, LlmSettings, build_anthropic
from app.services.coaching.llm_gate import TeamLlmGate
from tests.fakes.fake_anthropic import API_KEY, FakeAnthropic

WAIT_S = 5.0
_ids = itertools.count(1)

PRICE = ToolkitItem(
    entry_id="tk-price",
    kind="objection",
    name="price",
    title="Too expensive",
    talk_track="Acknowledge, then ask what the problem costs them today.",
    triggers=("expensive", "price"),
)


class RecordingSink:
    """A thread-safe CoachingSink that records everything, with bounded waits."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self._cond = threading.Condition()

    def _add(self, kind: str, value: Any) -> None:
        with self._cond:
            self.events.append((kind, value))
            self._cond.notify_all()

    def suggestion(self, event: SuggestionEvent) -> None:
        self._add("suggestion", event)

    def metrics(self, payload: dict[str, Any]) -> None:
        self._add("metrics", payload)

    def nudge(self, event: Any) -> None:
        self._add("nudge", event)

    def guidance(self, payload: dict[str, Any]) -> None:
        self._add("guidance", payload)

    def degraded(self, reason: str) -> None:
        self._add("degraded", reason)

    def recovered(self) -> None:
        self._add("recovered", None)

    def of(self, kind: str) -> list[Any]:
        with self._cond:
            return [v for k, v in self.events if k == kind]

    def suggestions(self, status: str | None = None) -> list[SuggestionEvent]:
        return [e for e in self.of("suggestion") if status is None or e.status == status]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = WAIT_S) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True


def utterance(text: str, source: str = "prospect", utterance_id: str | None = None) -> Utterance:
    n = next(_ids)
    return Utterance(
        utterance_id=utterance_id or f"u{n}",
        source=source,  # type: ignore[arg-type]
        text=text,
        start_ms=n * 1000,
        end_ms=n * 1000 + 900,
        received_at=time.monotonic(),
    )


def llm_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("llm-turn-"))


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


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


class ManualClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def gate_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def gate(gate_clock: ManualClock) -> TeamLlmGate:
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
