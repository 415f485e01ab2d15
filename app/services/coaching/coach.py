"""The composite per-call coach: playbook cards, guidance, live metrics, nudges, stage,
checklist.

:class:`LiveCallCoach` is the always-on coach. On every final utterance it matches the
toolkit and emits cards at once, then hands the
utterance to the optional LLM coach, then updates metrics, stage and checklist, sends
nudges, sends ``guidance`` when the stage changes or an objective of the stage is ticked
(the optional LLM guidance coach tailors it), and pushes a ``metrics`` payload at most
once per ``metrics_interval_s`` (a deferred push carries the last change when updates
come faster). It is thread-safe: both audio sources may deliver finals concurrently.

With ``offload_detection`` (live calls under eventlet/gevent) interims and finals go
through the call's lane (``lane.py``): the caller returns at once and the sentence
encoder runs on an OS thread, never on the event loop; otherwise they are handled inline.
The coach's pieces: ``cards.py``, ``metrics_push.py``, ``llm_handoff.py``,
``finals_memory.py``, ``coach_parts.py``; the state that moves: ``state.py``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.events import Source
from app.services.coaching import state
from app.services.coaching.base import (
    CallContext,
    CoachingSink,
    NudgeEvent,
    ToolkitItem,
    Utterance,
)
from app.services.coaching.cards import PlaybookCards
from app.services.coaching.checklist import Checklist
from app.services.coaching.coach_parts import (
    CoachSettings,
    LlmHook,
    NudgeCounts,
    Scheduler,
    spawn_later,
    weak_method,
)
from app.services.coaching.encode_pump import EncodePump
from app.services.coaching.finals_memory import FinalsMemory
from app.services.coaching.guidance import ObjectiveDetector
from app.services.coaching.guidance_session import GuidanceSession, GuideHook
from app.services.coaching.lane import DetectionLane
from app.services.coaching.live_metrics import LiveMetrics, MetricsState
from app.services.coaching.llm_handoff import LlmHandoff
from app.services.coaching.metrics_push import MetricsPush
from app.services.coaching.nudges import NudgePolicy, nudge_message
from app.services.coaching.stages import StageTracker
from app.services.coaching.state import StatefulComponent
from app.services.coaching.text import normalize

__all__ = ["CoachSettings", "LiveCallCoach", "LlmHook"]

Clock = Callable[[], float]


class LiveCallCoach:
    """The always-on coach of one call; see the module docstring."""

    def __init__(
        self,
        context: CallContext,
        sink: CoachingSink,
        *,
        llm: LlmHook | None = None,
        settings: CoachSettings | None = None,
        clock: Clock = time.monotonic,
        schedule: Scheduler = spawn_later,
        detector: ObjectiveDetector | None = None,
        pump: EncodePump | None = None,
    ) -> None:
        self.context = context
        self.settings = settings or CoachSettings()
        self._sink = sink
        self._llm = LlmHandoff(context.call_id, sink, llm)
        self._lock = threading.RLock()  # re-entrant: a sink may call summary()
        self._closed = False
        self._cards = PlaybookCards(context.call_id, context.toolkit, sink, self.settings, clock)
        self._metrics = self._new_metrics()
        self._nudges = NudgePolicy(self.settings.nudges)
        self._stages = StageTracker(context.toolkit, self.settings.stages)
        self._checklist = Checklist(context.toolkit)
        self.guidance = GuidanceSession(
            context, sink, self._stages, self._metrics, self._lock, detector
        )
        # The parts get the coach's methods weakly (coach_parts.weak_method): no cycles.
        self._pusher = MetricsPush(
            weak_method(self._send_metrics, None),
            self.settings.metrics_interval_s,
            clock,
            schedule,
            self._lock,
            weak_method(self._is_open, False),
        )
        self._nudge_counts: Counter[str] = Counter()
        self._components = state.ComponentSet(
            weak_method(self._own_components, {}), self._llm.components
        )
        self.revision = 0  # bumped on every change of coaching state (snapshot cadence)
        self._finals = FinalsMemory()
        self._lane: DetectionLane | None = None
        if self.settings.offload_detection:
            self._lane = DetectionLane(weakref.proxy(self), context.call_id, pump, clock)

    def on_interim(self, utterance: Utterance) -> None:
        """Card a stable interim; the card is stored when its final arrives."""
        self._route(utterance, final=False)

    def on_final(self, utterance: Utterance) -> None:
        self._route(utterance, final=True)

    def _route(self, utterance: Utterance, final: bool) -> None:
        if self._lane is not None:
            self._lane.submit(utterance, final)
        else:
            self.handle(utterance, final, meaning=True)

    def handle(self, utterance: Utterance, final: bool, meaning: bool) -> None:
        """Match and record a transcript now; ``meaning=False``: trigger phrases only."""
        if final:
            self._on_final(utterance, meaning)
        else:
            self._on_interim(utterance, meaning)

    def texts_to_encode(self, utterance: Utterance, final: bool) -> list[str]:
        """What handling this transcript would run the sentence encoder on (none: phrases
        decide): its text, then a final's next-best readings, encoded ahead together."""
        if not final and len(utterance.text.split()) < self.settings.interim.min_words:
            return []
        with self._lock:
            tokens = normalize(utterance.text)
            matcher = self._cards.matcher
            if self._closed or not matcher.wants_meaning(utterance, tokens):
                return []
            return [utterance.text, *(text for text, _ in matcher.readings(utterance, tokens))]

    def _on_interim(self, utterance: Utterance, meaning: bool) -> None:
        with self._lock:
            if not self._closed and self._cards.on_interim(utterance, meaning):
                self.revision += 1  # the matcher's cooldowns changed

    def _on_final(self, utterance: Utterance, meaning: bool) -> None:
        with self._lock:
            if self._closed:
                return
            tokens = normalize(utterance.text)
            matched, carded = self._cards.on_final(utterance, tokens, meaning)
            self._llm.on_final(utterance, carded)
            self._finals.add(utterance)
            self._metrics.ingest(utterance)
            before = self._stages.current
            stage = self._stages.observe(utterance, tokens)
            self._checklist.observe(utterance, tokens)
            self.guidance.observe(utterance, tokens, matched, stage != before)
            self._send_nudges()
            self.revision += 1
            self._pusher.changed()

    def correct(self, utterance_id: str, source: Source) -> None:
        """A line's speaker was corrected: recompute the metrics from the remembered finals,
        and match the line again as its new speaker (cards meant for that speaker)."""
        with self._lock:
            line = None if self._closed else self._finals.relabel(utterance_id, source)
            if line is None:
                return
            if self._finals.complete:  # after a move, the restored totals cannot be re-split
                self._metrics = self._finals.replay(self._new_metrics())
            tokens = normalize(line.text)
            self._cards.rematch(line, tokens)
            self._stages.observe(line, tokens)
            self._checklist.observe(line, tokens)
            self.revision += 1
            self._pusher.push()

    def _new_metrics(self) -> LiveMetrics:
        return LiveMetrics(self.settings.metrics, retain_s=self.settings.nudges.talk_ratio_window_s)

    # ------------------------------------------------------------------ guidance
    def start(self) -> dict[str, Any]:
        """Send the current guidance (the brief for a new call); see GuidanceSession."""
        return self.guidance.start()

    @property
    def last_guidance(self) -> dict[str, Any] | None:
        return self.guidance.last

    def attach_guide(self, guide: GuideHook) -> None:
        self.guidance.attach(guide)

    def _send_nudges(self) -> None:
        for kind in self._nudges.evaluate(self._metrics, self._metrics.now_ms):
            self._nudge_counts[kind] += 1
            self._sink.nudge(NudgeEvent(self.context.call_id, kind, nudge_message(kind)))

    def _send_metrics(self) -> None:
        self._sink.metrics(self._payload())

    def _is_open(self) -> bool:
        return not self._closed

    def _payload(self) -> dict[str, Any]:
        return {
            "call_id": self.context.call_id,
            **self._metrics.snapshot(),
            "stage": self._stages.current,
            "checklist": self._checklist.live(),
        }

    def use_toolkit(self, toolkit: tuple[ToolkitItem, ...]) -> None:
        """The team's toolkit changed mid-call: cards follow the new entries from now on."""
        with self._lock:
            if toolkit != self.context.toolkit:
                self.context = replace(self.context, toolkit=toolkit)
                self._cards.use(toolkit)

    def attach_llm(self, llm: LlmHook) -> None:
        """Add the LLM coach after construction (it needs :meth:`set_stage` as its hook)."""
        with self._lock:
            self._llm.hook = llm

    def set_stage(self, stage: str, utterance: Utterance) -> None:
        """The LLM coach's judgement of the stage (ignored once closed)."""
        with self._lock:
            if self._closed:
                return
            before = self._stages.current
            self._stages.set_stage(stage, utterance)
            self._pusher.dirty = True
            self.revision += 1
            if stage != before:
                self.guidance.stage_set()

    def close(self) -> None:
        """Push the final metrics, stop; nothing is emitted by this coach afterwards."""
        if self._lane is not None:
            self._lane.settle(closing=True)
        with self._lock:
            if self._closed:
                return
            self._cards.flush()
            self._pusher.push()
            self._closed = True
        self.guidance.close()
        self._llm.close()

    # ------------------------------------------------------------------ state that moves
    def add_component(self, name: str, component: StatefulComponent) -> None:
        """Another stateful coaching component whose state moves with the call."""
        with self._lock:
            self._components.add(name, component)

    def _own_components(self) -> dict[str, StatefulComponent]:
        return {
            "metrics": MetricsState(self._metrics),
            "stages": self._stages,
            "checklist": self._checklist,
            "playbook": self._cards.matcher,
            "nudges": self._nudges,
            "nudge_counts": NudgeCounts(self._nudge_counts),
            "guidance": self.guidance,
        }

    def snapshot(self) -> dict[str, Any]:
        """The call's coaching state (app/services/coaching/state.py)."""
        with self._lock:
            return self._components.dump()

    def restore(self, document: dict[str, Any]) -> list[str]:
        """Continue from a snapshot taken on another worker; returns what was restored."""
        with self._lock:
            restored = self._components.restore(document)
            self._pusher.dirty = bool(restored)
            self._finals.complete = self._finals.complete and "metrics" not in restored
            return restored

    def summary(self) -> dict[str, Any]:
        """What to store with the call at the end: stages, checklist, final metrics."""
        if self._lane is not None:
            self._lane.settle(closing=False)
        with self._lock:
            return {
                "stage": self._stages.current,
                "stage_history": self._stages.history_dicts(),
                "checklist": self._checklist.stored(),
                "metrics": self._metrics.snapshot(),
                "cards_by_entry": self._cards.matcher.fired_counts(),
                "nudges_by_kind": dict(self._nudge_counts),
                "objectives": dict(self.guidance.tracker.state.done),
            }
