"""The live call as its coach's sink: cards stored and sent, metrics, guidance, nudges."""

from __future__ import annotations

from typing import Any

from app.events import ServerEvent
from app.services.coaching.base import NudgeEvent, SuggestionEvent
from app.services.live.call_events import suggestion_payload, suggestion_row, withdrawn_payload
from app.services.live.emitter import Emit, call_room, rep_room
from app.services.live.writer import UtteranceWriter


class CallSink:
    """Mixin of :class:`~app.services.live.call.LiveCall`: the
    :class:`~app.services.coaching.base.CoachingSink` methods that store and emit."""

    call_id: str
    closed: bool
    emit: Emit
    writer: UtteranceWriter

    def suggestion(self, event: SuggestionEvent) -> None:
        if self.closed:
            return
        if event.status == "final" and not event.pending:
            self.writer.add_suggestion(suggestion_row(self.call_id, event))
        self.emit(ServerEvent.SUGGESTION, suggestion_payload(event), call_room(self.call_id))

    def withdrawn(self, event: SuggestionEvent, reason: str) -> None:
        """Stored as withdrawn; everyone who may have seen the pending card drops it."""
        if self.closed:
            return
        self.writer.add_suggestion(suggestion_row(self.call_id, event, withdrawn=reason))
        payload = withdrawn_payload(event, reason)
        self.emit(ServerEvent.SUGGESTION_WITHDRAWN, payload, call_room(self.call_id))

    def metrics(self, payload: dict[str, Any]) -> None:
        if not self.closed:
            self.emit(
                ServerEvent.METRICS, {**payload, "call_id": self.call_id}, call_room(self.call_id)
            )

    def guidance(self, payload: dict[str, Any]) -> None:
        if self.closed:
            return
        if payload["status"] == "final":
            self.writer.set_guidance(self.call_id, payload)
        self.emit(ServerEvent.GUIDANCE, payload, call_room(self.call_id))

    def nudge(self, event: NudgeEvent) -> None:
        if not self.closed:
            self.emit(ServerEvent.NUDGE, dict(event.__dict__), rep_room(self.call_id))
