"""The LLM call coach: streamed Claude suggestions for one call, latest turn wins.

Each eligible prospect final starts one background task (plus its deadline watchdog). A newer
eligible turn bumps the call's generation and cancels the older request (its socket is shut
down); every emit checks the generation under the coach's lock, so nothing answering an older
turn is emitted once a newer turn has started, and nothing at all after :meth:`close`.
Failures never reach the caller: the call goes ``degraded`` once per outage and
``recovered`` after the next success, while the playbook coach keeps working.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.services.coaching.base import (
    CallContext,
    CoachingSink,
    SuggestionEvent,
    SuggestionStatus,
    ToolkitItem,
    Utterance,
)
from app.services.coaching.context import TranscriptWindow
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
from app.services.coaching.llm_trigger import TriggerPolicy
from app.services.coaching.prompt import (
    KINDS,
    MAX_BODY,
    MAX_TITLE,
    STAGES,
    Prompt,
    escape,
    leaks_prompt,
    may_echo_prompt,
    system_blocks,
)
from app.services.concurrency import spawn

log = logging.getLogger(__name__)

_CANCEL_REASONS = {"deadline": TIMEOUT, "leak": BAD_RESPONSE}


@dataclass
class _Turn:
    generation: int
    utterance: Utterance
    entry: ToolkitItem | None
    scope: CancelScope
    started_at: float
    suggestion_id: str = field(default_factory=lambda: f"llm-{uuid.uuid4().hex[:16]}")
    last_emit_at: float = -float("inf")
    last_shown: tuple[str, str] = ("", "")


class LlmCallCoach:
    """Streams Claude suggestions for one call through ``sink``; see the module docstring."""

    def __init__(
        self,
        context: CallContext,
        sink: CoachingSink,
        client: LlmClient,
        settings: LlmSettings,
        gate: TeamLlmGate,
        on_stage: Callable[[str, Utterance], None] | None = None,
    ) -> None:
        self._context = context
        self._on_stage = on_stage
        self._sink = sink
        self._client = client
        self._settings = settings
        self._gate = gate
        self._system = system_blocks(context.toolkit)
        self._window = TranscriptWindow(settings.context_token_budget)
        self._trigger = TriggerPolicy(settings)
        self._lock = threading.Lock()
        self._generation = 0
        self._current: _Turn | None = None
        self._closed = False
        self._degraded = False

    def on_final(self, utterance: Utterance, matched: Sequence[ToolkitItem] = ()) -> None:
        """Record the final; maybe start a request. Never blocks and never raises."""
        try:
            self._on_final(utterance, tuple(matched))
        except Exception as exc:  # noqa: BLE001 - a coaching bug must not break transcription
            log.warning(
                "llm_coach_on_final_failed",
                extra={"call_id": self._context.call_id, "error_class": type(exc).__name__},
            )

    STATE_VERSION = TranscriptWindow.STATE_VERSION

    def snapshot(self) -> dict[str, Any]:
        """The rolling summary and recent turns the next prompt is built from."""
        with self._lock:
            return self._window.snapshot()

    def restore(self, data: dict[str, Any]) -> None:
        with self._lock:
            self._window.restore(data)

    def close(self) -> None:
        """Cancel in-flight work; nothing is emitted after this returns."""
        with self._lock:
            self._closed = True
            turn, self._current = self._current, None
        if turn is not None:
            turn.scope.cancel("closed")

    def _on_final(self, utterance: Utterance, matched: tuple[ToolkitItem, ...]) -> None:
        with self._lock:
            if self._closed:
                return
            self._window.add(utterance)
            if not self._trigger.should_respond(utterance, matched):
                return
            if self._gate.is_disabled(self._context.team_id):
                self._set_degraded(SPEND_LIMIT)
                return
            entry = matched[0] if matched else None
            prompt = Prompt(self._system, self._window.render(self._context.goal, entry))
            self._generation += 1
            turn = _Turn(
                self._generation,
                utterance,
                entry,
                CancelScope(self._settings.deadline_s),
                utterance.received_at or time.monotonic(),
            )
            older, self._current = self._current, turn
        if older is not None:
            older.scope.cancel("superseded")
        name = f"llm-turn-{self._context.call_id}"
        spawn(self._run, turn, prompt, name=name)
        spawn(turn.scope.watch, name=f"{name}-deadline")

    def _run(self, turn: _Turn, prompt: Prompt) -> None:
        try:
            tool_input = self._client.suggest(
                prompt, turn.scope, lambda p: self._on_partial(turn, p)
            )
            title, body = _card_text(tool_input, open_field=None)
            if not title or not body or leaks_prompt(f"{title} {body}"):
                raise LlmFailure(BAD_RESPONSE)
            named = self._named_moment(turn, tool_input.get("moment"))
            kind = named.kind if named is not None else _kind(tool_input, turn.entry)
            self._emit(turn, kind, title, body, "final")
            self._judge_stage(turn, tool_input.get("stage"))
        except Cancelled as cancelled:
            if cancelled.reason in _CANCEL_REASONS:
                self._fail(turn, _CANCEL_REASONS[cancelled.reason])
        except LlmFailure as failure:
            self._fail(turn, failure.reason)
        except Exception as exc:  # noqa: BLE001 - defensive: a task must end quietly whatever happens
            log.warning(
                "llm_turn_crashed",
                extra={"call_id": self._context.call_id, "error_class": type(exc).__name__},
            )
            self._fail(turn, BAD_RESPONSE)
        finally:
            turn.scope.finish()

    def _named_moment(self, turn: _Turn, name: Any) -> ToolkitItem | None:
        """A moment the local detector missed but the model named: the card takes its entry."""
        if turn.entry is not None or not isinstance(name, str):
            return None
        for item in self._context.toolkit:
            if item.name == name and item.kind != "checklist":
                turn.entry = item
                return item
        return None

    def _judge_stage(self, turn: _Turn, stage: Any) -> None:
        """The model's view of the call stage overrides the rules (PRODUCT: LLM judgement)."""
        if self._on_stage is not None and stage in STAGES and turn.generation == self._generation:
            self._on_stage(stage, turn.utterance)

    def _on_partial(self, turn: _Turn, partial: dict[str, Any]) -> None:
        keys = list(partial)
        title, body = _card_text(partial, open_field=keys[-1] if keys else None)
        if not title or (title, body) == turn.last_shown:
            return
        if leaks_prompt(f"{title} {body}"):
            turn.scope.cancel("leak")
            turn.scope.check()
        if may_echo_prompt(f"{title} {body}"):
            return
        now = time.monotonic()
        if now - turn.last_emit_at < self._settings.partial_interval_s:
            return
        turn.last_emit_at, turn.last_shown = now, (title, body)
        self._emit(turn, _kind(partial, turn.entry), title, body, "partial")

    def _emit(
        self, turn: _Turn, kind: str, title: str, body: str, status: SuggestionStatus
    ) -> None:
        latency_ms = int((time.monotonic() - turn.started_at) * 1000)
        event = SuggestionEvent(
            call_id=self._context.call_id,
            suggestion_id=turn.suggestion_id,
            kind=kind,
            title=title,
            body=body,
            origin="llm",
            trigger_utterance_id=turn.utterance.utterance_id,
            status=status,
            latency_ms=latency_ms,
            entry_id=turn.entry.entry_id if turn.entry else None,
        )
        with self._lock:
            if self._closed or turn.generation != self._generation:
                turn.scope.cancel("superseded")
                return
            self._sink.suggestion(event)
            if status == "final" and self._degraded:
                self._degraded = False
                self._sink.recovered()

    def _fail(self, turn: _Turn, reason: str) -> None:
        if reason == SPEND_LIMIT:
            self._gate.disable(self._context.team_id, reason)
        log.info("llm_turn_failed", extra={"call_id": self._context.call_id, "reason": reason})
        with self._lock:
            if not self._closed and turn.generation == self._generation:
                self._set_degraded(reason)

    def _set_degraded(self, reason: str) -> None:
        """Caller holds the lock."""
        if not self._degraded:
            self._degraded = True
            self._sink.degraded(reason)


def _clean(value: Any, limit: int, open_: bool = False) -> str:
    """One-line text; while a field is still streaming, drop its unfinished last word."""
    if not isinstance(value, str):
        return ""
    if open_ and value and not value[-1].isspace():
        value = value.rsplit(None, 1)[0] if len(value.split()) > 1 else ""
    return " ".join(value.split())[:limit]


def _card_text(data: dict[str, Any], open_field: str | None) -> tuple[str, str]:
    """Title and body of a (possibly partial) tool input."""
    return (
        _clean(data.get("title"), MAX_TITLE, open_field == "title"),
        _clean(data.get("body"), MAX_BODY, open_field == "body"),
    )


def _kind(data: dict[str, Any], entry: ToolkitItem | None) -> str:
    kind = data.get("kind")
    if isinstance(kind, str) and kind in KINDS:
        return kind
    return escape(entry.kind, 40) if entry is not None else "next_step"
