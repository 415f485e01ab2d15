"""Small parts of the live coach (coach.py): settings, scheduler, nudge counter, LLM hook,
card."""

from __future__ import annotations

import uuid
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from app.services.coaching.base import SuggestionEvent, ToolkitItem, Utterance
from app.services.coaching.interim import InterimSettings
from app.services.coaching.live_metrics import MetricsSettings
from app.services.coaching.nudges import NudgeSettings
from app.services.coaching.stages import StageSettings
from app.services.concurrency import call_later

Scheduler = Callable[[float, Callable[[], None]], None]
T = TypeVar("T")


@dataclass(frozen=True)
class CoachSettings:
    metrics_interval_s: float = 1.0  # at most one metrics push per interval
    max_cards_per_utterance: int = 2
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    nudges: NudgeSettings = field(default_factory=NudgeSettings)
    stages: StageSettings = field(default_factory=StageSettings)
    interim: InterimSettings = field(default_factory=InterimSettings)
    offload_detection: bool = False  # through the lane and the encode pump (live calls)
    detection_deadline_s: float = 1.0  # after arrival; an encode not started by then: phrases
    lane_flush_s: float = 2.0  # at stop: how long to wait for transcripts still queued


class NudgeCounts:
    """The nudges sent per kind, as a stateful component."""

    STATE_VERSION = 1

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts

    def snapshot(self) -> dict[str, Any]:
        return dict(self.counts)

    def restore(self, data: dict[str, Any]) -> None:
        self.counts.clear()
        self.counts.update({k: int(v) for k, v in data.items()})


def spawn_later(delay_s: float, fn: Callable[[], None]) -> None:
    """Default scheduler: run ``fn`` on a background task after ``delay_s``."""
    call_later(delay_s, fn)


def weak_method(method: Callable[[], T], default: T) -> Callable[[], T]:
    """``method`` without a strong reference to its object: ``default`` once it is gone.

    The coach hands its own methods to its parts; weakly, the coach and its parts hold no
    reference cycle, so an ended call is freed by reference counting at once instead of
    waiting for the cyclic collector (which a server process runs rarely)."""
    ref = weakref.WeakMethod(method)

    def call() -> T:
        bound = ref()
        return default if bound is None else bound()

    return call


class LlmHook(Protocol):
    """What the coach needs from the LLM coach (built elsewhere)."""

    def on_final(self, utterance: Utterance, matched: Sequence[ToolkitItem]) -> None: ...

    def close(self) -> None: ...


def playbook_card(
    call_id: str, utterance: Utterance, item: ToolkitItem, now: float
) -> SuggestionEvent:
    """The card of a toolkit entry; ``latency_ms`` counts from the transcript's arrival."""
    latency_ms = 0
    if utterance.received_at > 0:
        latency_ms = max(0, round((now - utterance.received_at) * 1000))
    return SuggestionEvent(
        call_id=call_id,
        suggestion_id=uuid.uuid4().hex,
        kind=item.kind,
        title=item.title,
        body=item.talk_track,
        origin="playbook",
        trigger_utterance_id=utterance.utterance_id,
        status="final",
        latency_ms=latency_ms,
        entry_id=item.entry_id,
    )
