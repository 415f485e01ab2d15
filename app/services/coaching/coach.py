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
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from app.events import Source
from app.services.coaching import state
from app.services.coaching.base import (
    CallContext,
    CoachingSink,
    NudgeEvent,
    SuggestionEvent,
    ToolkitItem,
    Utterance,
)
from app.services.coaching.checklist import Checklist
from app.services.coaching.coach_parts import (
    CoachSettings,
    LlmHook,
    NudgeCounts,
    Scheduler,
    playbook_card,
    spawn_later,
)
from app.services.coaching.encode_pump import EncodePump
from app.services.coaching.guidance import ObjectiveDetector
from app.services.coaching.guidance_session import GuidanceSession, GuideHook
from app.services.coaching.interim import InterimCards
from app.services.coaching.lane import DetectionLane
from app.services.coaching.live_metrics import LiveMetrics, MetricsState
from app.services.coaching.nudges import NudgePolicy, nudge_message
from app.services.coaching.playbook import PlaybookMatcher
from app.services.coaching.stages import StageTracker
from app.services.coaching.state import StatefulComponent
from app.services.coaching.text import normalize

logger = logging.getLogger(__name__)
__all__ = ["CoachSettings", "LiveCallCoach", "LlmHook"]

Clock = Callable[[], float]
REMEMBERED_FINALS = 5000  # finals kept to recompute metrics after a speaker correction


class LiveCallCoach:
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
        self._llm = llm
        self._clock = clock
        self._schedule = schedule
        self._lock = threading.RLock()  # re-entrant: a sink may call summary()
        self._closed = False
        self._matcher = PlaybookMatcher(context.toolkit)
        self._metrics = LiveMetrics(
            self.settings.metrics, retain_s=self.settings.nudges.talk_ratio_window_s
        )
        self._nudges = NudgePolicy(self.settings.nudges)
        self._stages = StageTracker(context.toolkit, self.settings.stages)
        self._checklist = Checklist(context.toolkit)
        self._interim = InterimCards(self.settings.interim)
        self.guidance = GuidanceSession(
            context, sink, self._stages, self._metrics, self._lock, detector
        )
        self._last_push: float | None = None
        self._push_pending = False
        self._dirty = False
        self._nudge_counts: Counter[str] = Counter()
        self._llm_failed = False
        self._extra: dict[str, StatefulComponent] = {}
        self.revision = 0  # bumped on every change of coaching state (snapshot cadence)
        self._finals: OrderedDict[str, Utterance] = OrderedDict()
        self._all_finals = True  # False once restored: earlier finals are not remembered
        self._lane: DetectionLane | None = None
        if self.settings.offload_detection:
            self._lane = DetectionLane(self, context.call_id, pump, clock)

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

    def wants_meaning(self, utterance: Utterance, final: bool) -> bool:
        """Whether handling this transcript would run the sentence encoder."""
        if not final and len(utterance.text.split()) < self.settings.interim.min_words:
            return False
        with self._lock:
            tokens = normalize(utterance.text)
            return not self._closed and self._matcher.wants_meaning(utterance, tokens)

    def _on_interim(self, utterance: Utterance, meaning: bool) -> None:
        with self._lock:
            if self._closed or not self._interim.should_match(utterance):
                return
            carded = self._interim.carded_entries(utterance.source)
            room = self.settings.max_cards_per_utterance - len(carded)
            if room <= 0:
                return
            matched = self._matcher.match(
                utterance,
                limit=room,
                margin=self.settings.interim.margin,
                exclude=frozenset(carded),
                meaning=meaning,
            )
            for item in matched:
                card = replace(self._card(utterance, item), pending=True)
                self._interim.add(utterance, card)
                self._sink.suggestion(card)
            if matched:
                self.revision += 1  # the matcher's cooldowns changed

    def _on_final(self, utterance: Utterance, meaning: bool) -> None:
        with self._lock:
            if self._closed:
                return
            tokens = normalize(utterance.text)
            early = self._interim.settle(utterance)
            for card in early:
                self._sink.suggestion(card)
            carded = frozenset(card.entry_id for card in early if card.entry_id)
            matched = self._matcher.match(
                utterance,
                tokens,
                limit=self.settings.max_cards_per_utterance - len(carded),
                exclude=carded,
                meaning=meaning,
            )
            for item in matched:
                self._sink.suggestion(self._card(utterance, item))
            known = {item.entry_id: item for item in self.context.toolkit}
            self._call_llm(utterance, [known[e] for e in carded if e in known] + matched)
            self._remember(utterance)
            self._metrics.ingest(utterance)
            before = self._stages.current
            stage = self._stages.observe(utterance, tokens)
            self._checklist.observe(utterance, tokens)
            self.guidance.observe(utterance, tokens, matched, stage != before)
            self._send_nudges()
            self._dirty = True
            self.revision += 1
            self._maybe_push()

    def _remember(self, utterance: Utterance) -> None:
        self._finals[utterance.utterance_id] = utterance
        while len(self._finals) > REMEMBERED_FINALS:
            self._finals.popitem(last=False)

    def correct(self, utterance_id: str, source: Source) -> None:
        """A line's speaker was corrected: recompute the metrics from the remembered finals,
        and match the line again as its new speaker (cards meant for that speaker)."""
        with self._lock:
            line = self._finals.get(utterance_id)
            if self._closed or line is None or line.source == source:
                return
            line = replace(line, source=source, received_at=0.0)
            self._finals[utterance_id] = line
            if self._all_finals:  # after a move, the restored totals cannot be re-split
                self._metrics = self._replayed_metrics()
            tokens = normalize(line.text)
            for item in self._matcher.match(
                line, tokens, limit=self.settings.max_cards_per_utterance
            ):
                self._sink.suggestion(self._card(line, item))
            self._stages.observe(line, tokens)
            self._checklist.observe(line, tokens)
            self.revision += 1
            self._push(self._clock())

    def _replayed_metrics(self) -> LiveMetrics:
        metrics = LiveMetrics(
            self.settings.metrics, retain_s=self.settings.nudges.talk_ratio_window_s
        )
        for utterance in sorted(self._finals.values(), key=lambda u: u.start_ms):
            metrics.ingest(utterance)
        return metrics

    def _card(self, utterance: Utterance, item: ToolkitItem) -> SuggestionEvent:
        return playbook_card(self.context.call_id, utterance, item, self._clock())

    def _call_llm(self, utterance: Utterance, matched: Sequence[ToolkitItem]) -> None:
        """Hand over to the LLM coach; its failures never reach the playbook path."""
        if self._llm is None:
            return
        try:
            self._llm.on_final(utterance, matched)
        except Exception as exc:  # noqa: BLE001 - any LLM bug must not stop the playbook
            logger.warning(
                "llm_coach_error",
                extra={
                    "call_id": self.context.call_id,
                    "code": "llm_coach_error",
                    "error_type": type(exc).__name__,
                },
            )
            if not self._llm_failed:
                self._llm_failed = True
                self._sink.degraded("llm_coach_error")

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

    def _maybe_push(self) -> None:
        now = self._clock()
        interval = self.settings.metrics_interval_s
        if self._last_push is None or now - self._last_push >= interval:
            self._push(now)
        elif not self._push_pending:
            self._push_pending = True
            self._schedule(self._last_push + interval - now, self._deferred_push)

    def _deferred_push(self) -> None:
        with self._lock:
            self._push_pending = False
            if not self._closed and self._dirty:
                self._maybe_push()

    def _push(self, now: float) -> None:
        self._last_push = now
        self._dirty = False
        self._sink.metrics(self._payload())

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
                self._matcher.use(toolkit)

    def attach_llm(self, llm: LlmHook) -> None:
        """Add the LLM coach after construction (it needs :meth:`set_stage` as its hook)."""
        with self._lock:
            self._llm = llm

    def set_stage(self, stage: str, utterance: Utterance) -> None:
        """The LLM coach's judgement of the stage (ignored once closed)."""
        with self._lock:
            if self._closed:
                return
            before = self._stages.current
            self._stages.set_stage(stage, utterance)
            self._dirty = True
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
            for card in self._interim.unsettled():
                self._sink.suggestion(card)
            self._push(self._clock())
            self._closed = True
        self.guidance.close()
        if self._llm is not None:
            try:
                self._llm.close()
            except Exception as exc:  # noqa: BLE001 - closing must always complete
                logger.warning(
                    "llm_coach_close_error",
                    extra={
                        "call_id": self.context.call_id,
                        "code": "llm_coach_error",
                        "error_type": type(exc).__name__,
                    },
                )

    # ------------------------------------------------------------------ state that moves
    def add_component(self, name: str, component: StatefulComponent) -> None:
        """Another stateful coaching component whose state moves with the call."""
        with self._lock:
            self._extra[name] = component

    def _components(self) -> dict[str, StatefulComponent]:
        components: dict[str, StatefulComponent] = {
            "metrics": MetricsState(self._metrics),
            "stages": self._stages,
            "checklist": self._checklist,
            "playbook": self._matcher,
            "nudges": self._nudges,
            "nudge_counts": NudgeCounts(self._nudge_counts),
            "guidance": self.guidance,
            **self._extra,
        }
        if self._llm is not None and hasattr(self._llm, "snapshot"):
            components["llm"] = self._llm  # type: ignore[assignment]
        return components

    def snapshot(self) -> dict[str, Any]:
        """The call's coaching state (app/services/coaching/state.py)."""
        with self._lock:
            return state.dump(self._components())

    def restore(self, document: dict[str, Any]) -> list[str]:
        """Continue from a snapshot taken on another worker; returns what was restored."""
        with self._lock:
            restored = state.restore(self._components(), document)
            self._dirty = bool(restored)
            self._all_finals = self._all_finals and "metrics" not in restored
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
                "cards_by_entry": self._matcher.fired_counts(),
                "nudges_by_kind": dict(self._nudge_counts),
                "objectives": dict(self.guidance.tracker.state.done),
            }
