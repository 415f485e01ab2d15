"""One call's guidance as the live coach drives it: the tracker, the optional LLM guide,
and the latest final payload.

The session shares the live coach's (re-entrant) lock and reads its stage tracker and
metrics, so guidance is built from the same state the coach just updated. The LLM guide
talks to the session (:meth:`guidance_context`, :meth:`llm_guidance`); its failures are
logged and never reach the playbook.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from app.services.coaching.base import CallContext, CoachingSink, ToolkitItem, Utterance
from app.services.coaching.guidance import GuidanceState, GuidanceTracker, ObjectiveDetector
from app.services.coaching.live_metrics import LiveMetrics
from app.services.coaching.stages import StageTracker

logger = logging.getLogger(__name__)


class GuideHook(Protocol):
    """What the session needs from the LLM guidance coach (coaching/guidance_llm.py)."""

    def refresh(self, reason: str) -> None: ...

    def on_final(self, utterance: Utterance, stage_changed: bool) -> None: ...

    def close(self) -> None: ...


class GuidanceSession:
    """Also a stateful component (coaching/state.py): its state moves with the call."""

    STATE_VERSION = 1

    def __init__(
        self,
        context: CallContext,
        sink: CoachingSink,
        stages: StageTracker,
        metrics: LiveMetrics,
        lock: threading.RLock,
        detector: ObjectiveDetector | None = None,
    ) -> None:
        self._context, self._sink, self._stages, self._metrics = context, sink, stages, metrics
        self._lock = lock
        self.tracker = GuidanceTracker(context, detector)
        self.last: dict[str, Any] | None = None  # the latest final guidance
        self.closed = False
        self._guide: GuideHook | None = None
        self._started = False

    def snapshot(self) -> dict[str, Any]:
        return {
            "tracker": self.tracker.state.to_dict(),
            "last": self.last,
            "started": self._started,
        }

    def restore(self, data: dict[str, Any]) -> None:
        tracker = data["tracker"]
        self.tracker.state = GuidanceState(
            done={str(k): str(v) for k, v in tracker["done"].items()},
            objection_entry=tracker.get("objection_entry"),
            overlay=tracker.get("overlay"),
            overlay_stage=tracker.get("overlay_stage"),
        )
        self.last, self._started = data.get("last"), bool(data.get("started"))

    def attach(self, guide: GuideHook) -> None:
        with self._lock:
            self._guide = guide

    def start(self) -> dict[str, Any]:
        """Send the current guidance; the first time it is the pre-call brief, and the model
        (if any) is asked to tailor it. Returns the payload (a resumed call's current one)."""
        with self._lock:
            payload = self._emit()
            if not self._started:
                self._started = True
                self._call_guide("refresh", "start")
            return payload

    def observe(
        self,
        utterance: Utterance,
        tokens: Sequence[str],
        matched: Sequence[ToolkitItem],
        stage_changed: bool,
    ) -> None:
        """After the coach updated the stage: tick objectives, send guidance if it changed."""
        stage = self._stages.current
        if stage_changed:
            self.tracker.stage_changed(stage)
        ticked = self.tracker.observe(utterance, tokens, stage, matched)
        if stage_changed or ticked:
            self._emit()
        self._call_guide("on_final", utterance, stage_changed)

    def stage_set(self) -> None:
        """The model moved the stage: send the new stage's guidance and ask it to tailor it."""
        self.tracker.stage_changed(self._stages.current)
        self._emit()
        self._call_guide("refresh", "stage")

    def guidance_context(self) -> dict[str, Any]:
        """What the LLM guidance coach tells the model: stage, playbook, open objectives."""
        with self._lock:
            stage = self._stages.current
            return {
                "stage": stage,
                "playbook": self.tracker.playbook_fields(stage),
                "remaining": self.tracker.remaining(stage),
            }

    def llm_guidance(
        self,
        stage: str,
        overlay: dict[str, Any] | None,
        status: str,
        still_current: Callable[[], bool] = lambda: True,
    ) -> bool:
        """The model's guidance for ``stage`` (None: fall back to the playbook's).

        Ignored, returning False, once closed, when the stage moved on meanwhile, or when
        ``still_current`` (checked under the coach's lock) says a newer request started."""
        with self._lock:
            if self.closed or stage != self._stages.current or not still_current():
                return False
            if status == "final" or overlay is None:
                self.tracker.set_overlay(stage, overlay)
            self._emit(overlay if status == "partial" else None, status)
            return True

    def close(self) -> None:
        with self._lock:
            self.closed = True
        self._call_guide("close")

    def _emit(self, overlay: dict[str, Any] | None = None, status: str = "final") -> dict[str, Any]:
        """Caller holds the lock."""
        stage = self._stages.current
        elapsed_s = (self._metrics.now_ms - self._stages.started_ms) / 1000
        payload = self.tracker.payload(stage, self._stages.confidence, elapsed_s, overlay, status)
        if payload["status"] == "final":
            self.last = payload
        self._sink.guidance(payload)
        return payload

    def _call_guide(self, method: str, *args: Any) -> None:
        if self._guide is None:
            return
        try:
            getattr(self._guide, method)(*args)
        except Exception as exc:  # noqa: BLE001 - any LLM bug must not stop the playbook
            logger.warning(
                "llm_guidance_error",
                extra={"call_id": self._context.call_id, "error_type": type(exc).__name__},
            )
