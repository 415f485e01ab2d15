"""Helpers for the LLM coach tests: a toolkit entry, a thread-safe recording sink with bounded
waits, utterances and LLM-thread counting."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from app.services.coaching.base import SuggestionEvent, ToolkitItem, Utterance

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

    def withdrawn(self, event: SuggestionEvent, reason: str) -> None:
        self._add("withdrawn", (event, reason))

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
