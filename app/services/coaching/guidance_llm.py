"""The LLM guidance coach: the model tailors the guidance panel, latest request wins.

A request starts at call start (the brief), on every stage change and on a prospect turn
once ``guidance_interval_s`` passed since the last one. It reuses the card coach's client,
cancel scope and spend-limit gate with its own forced tool (guidance_prompt.py). The
streamed tool input becomes ``partial`` guidance (fields still being written keep the
playbook's values), then one ``final``; the host coach stores the final as the stage's
overlay. A newer request cancels the older, and every emit asks, under the host's lock,
whether its request is still current. On failure the call goes ``degraded`` once per
outage and the playbook guidance is sent again.

Lock order is always host coach, then this coach: the host calls in holding its lock, and
emits go through the host, which calls :meth:`_is_current` under its lock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from app.services.coaching.base import CallContext, CoachingSink, Utterance
from app.services.coaching.context import TranscriptWindow
from app.services.coaching.guidance_prompt import (
    MAX_ALTERNATIVES,
    MAX_LINE,
    MAX_POINTS,
    MAX_QUESTIONS,
    MAX_WHAT,
    MAX_WHY,
    URGENCIES,
    guidance_prompt,
    system_blocks,
)
from app.services.coaching.llm_client import (
    BAD_RESPONSE,
    SPEND_LIMIT,
    TIMEOUT,
    LlmClient,
    LlmFailure,
    LlmSettings,
)
from app.services.coaching.llm_gate import TeamLlmGate
from app.services.coaching.llm_stream import Cancelled, CancelScope
from app.services.coaching.prompt import leaks_prompt
from app.services.concurrency import spawn

log = logging.getLogger(__name__)
_CANCEL_REASONS = {"deadline": TIMEOUT}
Overlay = dict[str, Any]


class GuidanceHost(Protocol):
    """The live coach, as this coach sees it (app/services/coaching/coach.py)."""

    def guidance_context(self) -> dict[str, Any]: ...

    def llm_guidance(
        self,
        stage: str,
        overlay: Overlay | None,
        status: str,
        still_current: Callable[[], bool] = ...,
    ) -> bool: ...


@dataclass
class _Request:
    generation: int
    stage: str
    scope: CancelScope
    last_emit_at: float = -float("inf")
    last_shown: Overlay | None = None


class LlmGuidanceCoach:
    def __init__(
        self,
        context: CallContext,
        sink: CoachingSink,
        host: GuidanceHost,
        client: LlmClient,
        settings: LlmSettings,
        gate: TeamLlmGate,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._context, self._sink, self._host = context, sink, host
        self._client, self._settings, self._gate, self._clock = client, settings, gate, clock
        self._system = system_blocks(context.toolkit)
        self._window = TranscriptWindow(settings.context_token_budget)
        self._lock = threading.Lock()
        self._generation = 0
        self._current: _Request | None = None
        self._last_at = -float("inf")
        self._closed = False
        self._degraded = False

    def refresh(self, reason: str) -> None:
        """Ask the model now (call start, stage change); never blocks."""
        self._start(self._host.guidance_context())

    def on_final(self, utterance: Utterance, stage_changed: bool) -> None:
        """Record the final; a stage change or a due prospect turn starts a request."""
        with self._lock:
            if self._closed:
                return
            self._window.add(utterance)
            due = utterance.source == "prospect" and (
                self._clock() - self._last_at >= self._settings.guidance_interval_s
            )
        if stage_changed or due:
            self._start(self._host.guidance_context())

    def close(self) -> None:
        with self._lock:
            self._closed = True
            request, self._current = self._current, None
        if request is not None:
            request.scope.cancel("closed")

    def _start(self, host: dict[str, Any]) -> None:
        with self._lock:
            if self._closed:
                return
            if self._gate.is_disabled(self._context.team_id):
                self._set_degraded(SPEND_LIMIT)
                return
            self._last_at = self._clock()
            self._generation += 1
            request = _Request(
                self._generation, host["stage"], CancelScope(self._settings.deadline_s)
            )
            older, self._current = self._current, request
            prompt = guidance_prompt(
                self._system, self._context, self._window, host, self._settings.guidance_max_tokens
            )
        if older is not None:
            older.scope.cancel("superseded")
        name = f"llm-guidance-{self._context.call_id}"
        spawn(self._run, request, prompt, name=name)
        spawn(request.scope.watch, name=f"{name}-deadline")

    def _run(self, request: _Request, prompt: Any) -> None:
        try:
            tool_input = self._client.suggest(
                prompt, request.scope, lambda p: self._on_partial(request, p)
            )
            overlay = overlay_from(tool_input, complete=True)
            if overlay is None or leaks_prompt(str(overlay)):
                raise LlmFailure(BAD_RESPONSE)
            if self._emit(request, overlay, "final") and self._degraded:
                with self._lock:
                    self._degraded = False
                self._sink.recovered()
        except Cancelled as cancelled:
            if cancelled.reason in _CANCEL_REASONS:
                self._fail(request, _CANCEL_REASONS[cancelled.reason])
        except LlmFailure as failure:
            self._fail(request, failure.reason)
        except Exception as exc:  # noqa: BLE001 - a task must end quietly whatever happens
            log.warning(
                "llm_guidance_crashed",
                extra={"call_id": self._context.call_id, "error_class": type(exc).__name__},
            )
            self._fail(request, BAD_RESPONSE)
        finally:
            request.scope.finish()

    def _on_partial(self, request: _Request, partial: dict[str, Any]) -> None:
        overlay = overlay_from(partial, complete=False)
        if not overlay or overlay == request.last_shown or leaks_prompt(str(overlay)):
            return
        now = self._clock()
        if now - request.last_emit_at < self._settings.partial_interval_s:
            return
        request.last_emit_at, request.last_shown = now, overlay
        self._emit(request, overlay, "partial")

    def _emit(self, request: _Request, overlay: Overlay | None, status: str) -> bool:
        shown = self._host.llm_guidance(
            request.stage, overlay, status, still_current=lambda: self._is_current(request)
        )
        if not shown:
            request.scope.cancel("superseded")
        return shown

    def _is_current(self, request: _Request) -> bool:
        with self._lock:
            return not self._closed and request.generation == self._generation

    def _fail(self, request: _Request, reason: str) -> None:
        if reason == SPEND_LIMIT:
            self._gate.disable(self._context.team_id, reason)
        log.info("llm_guidance_failed", extra={"call_id": self._context.call_id, "reason": reason})
        if not self._is_current(request):
            return
        with self._lock:
            self._set_degraded(reason)
        self._host.llm_guidance(request.stage, None, "final", lambda: self._is_current(request))

    def _set_degraded(self, reason: str) -> None:
        """Caller holds the lock."""
        if not self._degraded:
            self._degraded = True
            self._sink.degraded(reason)


def _text(value: Any, limit: int) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _question(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or not _text(raw.get("primary"), MAX_LINE):
        return None
    alternatives = [_text(a, MAX_LINE) for a in raw.get("alternatives") or [] if _text(a, 1)]
    return {
        "primary": _text(raw["primary"], MAX_LINE),
        "alternatives": alternatives[:MAX_ALTERNATIVES],
        "context": _text(raw.get("context"), MAX_LINE),
    }


def overlay_from(data: dict[str, Any], complete: bool) -> Overlay | None:
    """The model's focus, key questions and talking points, cleaned.

    For a partial (``complete=False``) the field still being written (the last key) is
    left out, except the finished items of a list; a final needs a focus and a question.
    """
    keys = list(data)
    open_key = None if complete else (keys[-1] if keys else None)
    overlay: Overlay = {}
    focus = data.get("focus")
    if isinstance(focus, dict) and open_key != "focus" and _text(focus.get("what"), 1):
        urgency = focus.get("urgency")
        overlay["focus"] = {
            "what": _text(focus["what"], MAX_WHAT),
            "why": _text(focus.get("why"), MAX_WHY),
            "urgency": urgency if urgency in URGENCIES else "medium",
        }
    for name, limit in (("key_questions", MAX_QUESTIONS), ("talking_points", MAX_POINTS)):
        items = data.get(name)
        if not isinstance(items, list):
            continue
        items = items[:-1] if name == open_key else items
        clean = [_question(i) if name == "key_questions" else _text(i, MAX_LINE) for i in items]
        kept = [c for c in clean if c][:limit]
        if kept:
            overlay[name] = kept
    if complete and ("focus" not in overlay or "key_questions" not in overlay):
        return None
    return overlay
