"""Builders and recording doubles for the coaching tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.events import Source
from app.services.coaching.base import NudgeEvent, SuggestionEvent, ToolkitItem, Utterance
from app.services.transcription.base import Word


def utt(
    text: str,
    start_s: float,
    end_s: float,
    source: Source = "prospect",
    uid: str | None = None,
    received_at: float = 0.0,
    words: Sequence[Word] = (),
) -> Utterance:
    """An utterance with times given in seconds of call time."""
    start_ms, end_ms = round(start_s * 1000), round(end_s * 1000)
    return Utterance(
        utterance_id=uid or f"u-{source}-{start_ms}",
        source=source,
        text=text,
        start_ms=start_ms,
        end_ms=end_ms,
        words=tuple(words),
        received_at=received_at,
    )


def item(
    name: str,
    triggers: Sequence[str],
    kind: str = "objection",
    negative: Sequence[str] = (),
    speakers: Sequence[Source] = ("prospect",),
    cooldown_s: float = 60.0,
    max_per_call: int = 3,
) -> ToolkitItem:
    return ToolkitItem(
        entry_id=f"id-{name}",
        kind=kind,
        name=name,
        title=name.title(),
        talk_track=f"talk track for {name}",
        triggers=tuple(triggers),
        negative_triggers=tuple(negative),
        speakers=tuple(speakers),
        cooldown_s=cooldown_s,
        max_per_call=max_per_call,
    )


@dataclass
class RecordingSink:
    suggestions: list[SuggestionEvent] = field(default_factory=list)
    metrics_payloads: list[dict[str, Any]] = field(default_factory=list)
    nudges: list[NudgeEvent] = field(default_factory=list)
    degraded_reasons: list[str] = field(default_factory=list)
    recovered_count: int = 0
    guidance_payloads: list[dict[str, Any]] = field(default_factory=list)
    withdrawals: list[tuple[SuggestionEvent, str]] = field(default_factory=list)

    def suggestion(self, event: SuggestionEvent) -> None:
        self.suggestions.append(event)

    def withdrawn(self, event: SuggestionEvent, reason: str) -> None:
        self.withdrawals.append((event, reason))

    def metrics(self, payload: dict[str, Any]) -> None:
        self.metrics_payloads.append(payload)

    def nudge(self, event: NudgeEvent) -> None:
        self.nudges.append(event)

    def guidance(self, payload: dict[str, Any]) -> None:
        self.guidance_payloads.append(payload)

    def degraded(self, reason: str) -> None:
        self.degraded_reasons.append(reason)

    def recovered(self) -> None:
        self.recovered_count += 1


@dataclass
class FakeClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class ManualScheduler:
    """Collects scheduled callbacks; the test runs them when it chooses."""

    pending: list[tuple[float, Callable[[], None]]] = field(default_factory=list)

    def __call__(self, delay_s: float, fn: Callable[[], None]) -> None:
        self.pending.append((delay_s, fn))

    def run_all(self) -> None:
        pending, self.pending = self.pending, []
        for _delay, fn in pending:
            fn()
