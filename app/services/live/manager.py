"""Live calls of this worker: start, resume, audio, stop, join, and the grace janitor.

The socket namespace calls these methods with an authenticated principal and validated
payloads; every failure is an :class:`~app.errors.AppError` with a protocol code.
Another team's call id is answered exactly like an unknown one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Flask
from sqlalchemy import func, select

from app.errors import AppError, NotFound
from app.events import CallState, ErrorCode
from app.extensions import db
from app.models import Call, Suggestion, Utterance
from app.models.base import utcnow
from app.models.call import LIVE_STATES
from app.services import toolkit, toolkit_stages
from app.services.auth import Principal
from app.services.call_metrics import stored_metrics
from app.services.coaching.base import CallContext, CallSetup
from app.services.coaching.coach import LiveCallCoach
from app.services.coaching.toolkit_data import to_items, to_stages
from app.services.concurrency import spawn
from app.services.live import leases
from app.services.live.call import CallIdentity, LiveCall
from app.services.live.emitter import Emit
from app.services.live.writer import UtteranceWriter
from app.services.transcription.base import AudioFormat, Transcriber, TranscriberUnavailable

log = logging.getLogger(__name__)
STOP_FLUSH_TIMEOUT_S = 8.0
JOIN_TRANSCRIPT_LIMIT = 200


class LlmFactory(Protocol):
    """Builds a call's LLM coaches (app/services/providers.py)."""

    def __call__(self, context: CallContext, sink: Any, on_stage: Any) -> Any: ...

    def guidance(self, context: CallContext, sink: Any, coach: LiveCallCoach) -> Any: ...


TeamLock = Callable[[str], AbstractContextManager[Any]]


@dataclass(frozen=True)
class ManagerSettings:
    grace_seconds: float
    max_calls_per_team: int
    max_calls_per_user: int
    max_chunk_bytes: int
    transcriber_name: str
    coach_name: str


class LiveCallManager:
    def __init__(
        self,
        app: Flask,
        settings: ManagerSettings,
        emit: Emit,
        transcriber: Callable[[], Transcriber],
        llm_factory: LlmFactory | None = None,
        on_call_ended: Callable[[str], None] | None = None,
        team_lock: TeamLock | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.emit = emit
        self._transcriber = transcriber
        self._llm_factory = llm_factory
        self._on_call_ended = on_call_ended
        self._team_lock: TeamLock = team_lock or (lambda team_id: nullcontext())
        self.calls: dict[str, LiveCall] = {}
        self._lock = threading.RLock()
        self.writer = UtteranceWriter(
            app, on_delay=self._saving_delayed, on_recover=self._saving_recovered
        )
        self._janitor_running = False
        self.draining = False  # set by graceful shutdown: new calls are refused

    def start_background(self) -> None:
        self.writer.start()
        if not self._janitor_running:
            self._janitor_running = True
            spawn(self._janitor, name="live-call-janitor")

    # ------------------------------------------------------------------ start / resume
    def start(self, principal: Principal, sid: str, data: dict[str, Any]) -> LiveCall:
        if self.draining:
            raise AppError(
                "This server is restarting; reconnect to continue.",
                code=ErrorCode.SHUTTING_DOWN,
                status=503,
            )
        self.start_background()
        if data.get("resume_call_id"):
            return self.resume(principal, sid, data)
        with self._team_lock(principal.team_id):
            self._check_quota(principal)
            call = self._create_call_row(principal, data)
        live = LiveCall(
            CallIdentity(call.id, principal.team_id, principal.user_id, time.monotonic()),
            self.emit,
            self.writer,
        )
        try:
            self._open(live, data, offset_ms=0)
        except AppError:
            call.state, call.ended_at = CallState.INTERRUPTED.value, utcnow()
            db.session.commit()  # a call that never opened must not hold a quota slot
            raise
        live.coach = self._build_coach(live, call)
        return self._attach(live, sid)

    def resume(self, principal: Principal, sid: str, data: dict[str, Any]) -> LiveCall:
        call_id = data["resume_call_id"]
        with self._lock:
            live = self.calls.get(call_id)
        if live is not None:
            self._check_owner(live, principal)
            return self._attach(live, sid)
        return self._revive(principal, sid, data)

    def _revive(self, principal: Principal, sid: str, data: dict[str, Any]) -> LiveCall:
        """A live call this worker does not hold (after a restart): reopen its streams."""
        call = db.session.get(Call, data["resume_call_id"])
        if call is None or call.team_id != principal.team_id or call.user_id != principal.user_id:
            raise NotFound("Call not found.", code=ErrorCode.NOT_FOUND)
        if call.state not in ("live", "degraded", "reconnecting"):
            raise AppError("The call has ended.", code=ErrorCode.CALL_NOT_LIVE, status=409)
        elapsed_ms = int((utcnow() - call.started_at).total_seconds() * 1000)
        call.state, call.last_activity_at = "live", utcnow()
        db.session.commit()
        live = LiveCall(
            CallIdentity(call.id, call.team_id, call.user_id, time.monotonic() - elapsed_ms / 1000),
            self.emit,
            self.writer,
        )
        self._open(live, data, offset_ms=elapsed_ms)
        resume_seq = data.get("resume_seq") or {}
        for name, entry in live.sources.items():
            entry.orderer.next_seq = resume_seq.get(name)  # None: learnt from the resend
        live.coach = self._build_coach(live, call)
        return self._attach(live, sid)

    def _open(self, live: LiveCall, data: dict[str, Any], offset_ms: int) -> None:
        audio = AudioFormat(**data["audio"])
        try:
            live.open_streams(self._transcriber(), audio, data["sources"], offset_ms)
        except TranscriberUnavailable as exc:
            live.abort_streams()
            raise AppError(
                "Transcription is unavailable right now.",
                status=503,
                code=ErrorCode.TRANSCRIBER_UNAVAILABLE,
                fields={"reason": exc.code},
            ) from exc

    def _attach(self, live: LiveCall, sid: str) -> LiveCall:
        with self._lock:
            self.calls[live.call_id] = live
            live.owner_sid, live.detached_at = sid, None
        live._publish_state()
        live.emit_status()
        return live

    def _check_quota(self, principal: Principal) -> None:
        """Caps count live calls in the database, so they hold across workers (the
        caller holds the team lock between this count and the insert)."""
        live = Call.state.in_(LIVE_STATES)
        team = db.session.scalar(
            select(func.count(Call.id)).where(Call.team_id == principal.team_id, live)
        )
        mine = db.session.scalar(
            select(func.count(Call.id)).where(Call.user_id == principal.user_id, live)
        )
        message = None
        if (team or 0) >= self.settings.max_calls_per_team:
            message = "Your team has too many live calls."
        elif (mine or 0) >= self.settings.max_calls_per_user:
            message = "You have too many live calls."
        if message:
            db.session.rollback()  # ends the transaction holding the advisory lock
            raise AppError(message, code=ErrorCode.QUOTA_EXCEEDED, status=429)

    def _create_call_row(self, principal: Principal, data: dict[str, Any]) -> Call:
        call = Call(
            team_id=principal.team_id,
            user_id=principal.user_id,
            title=data.get("title") or f"Call {utcnow():%Y-%m-%d %H:%M}",
            goal=data.get("goal"),
            prospect_name=data.get("prospect_name"),
            prospect_company=data.get("prospect_company"),
            notes=data.get("notes"),
            state="live",
            audio_format=data["audio"],
            transcriber=self.settings.transcriber_name,
            coach=self.settings.coach_name,
        )
        db.session.add(call)
        db.session.commit()
        return call

    def _build_coach(self, live: LiveCall, call: Call) -> LiveCallCoach:
        items = to_items(toolkit.entries_for(call.team_id))
        stages = to_stages(toolkit_stages.stages_for(call.team_id))
        setup = CallSetup(call.prospect_name, call.prospect_company, call.notes)
        context = CallContext(live.call_id, call.team_id, call.goal, items, setup, stages)
        coach = LiveCallCoach(context, live)
        if self._llm_factory is not None:
            coach.attach_llm(self._llm_factory(context, live, coach.set_stage))
            coach.attach_guide(self._llm_factory.guidance(context, live, coach))
        return coach

    @staticmethod
    def send_guidance(live: LiveCall) -> dict[str, Any] | None:
        """Send the call's current guidance to its room (the brief for a new call); the
        socket handler calls this once the rep has joined the room."""
        return live.coach.start() if live.coach is not None else None

    # ------------------------------------------------------------------ audio / stop
    def owned_call(self, principal: Principal, call_id: str) -> LiveCall:
        with self._lock:
            live = self.calls.get(call_id)
        if live is None:
            raise NotFound("No live call with this id.", code=ErrorCode.NOT_FOUND)
        self._check_owner(live, principal)
        return live

    @staticmethod
    def _check_owner(live: LiveCall, principal: Principal) -> None:
        if (live.identity.team_id, live.identity.user_id) != (principal.team_id, principal.user_id):
            raise NotFound("No live call with this id.", code=ErrorCode.NOT_FOUND)

    def audio(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        live = self.owned_call(principal, data["call_id"])
        if len(data["data"]) > self.settings.max_chunk_bytes:
            raise AppError("Audio chunk too large.", code=ErrorCode.CHUNK_TOO_LARGE, status=413)
        if data["source"] not in live.sources:
            raise AppError(
                "This source was not opened in call:start.",
                code=ErrorCode.VALIDATION_ERROR,
                status=422,
            )
        result = live.receive(data["source"], data["seq"], data["data"])
        if result.duplicate:
            raise AppError("Chunk already received.", code=ErrorCode.DUPLICATE_SEQ, status=409)
        return {"seq": data["seq"]}

    def stop(self, principal: Principal, call_id: str) -> dict[str, Any]:
        live = self.owned_call(principal, call_id)
        return {"call_id": call_id, "duration_s": self.end(live, CallState.ENDED)}

    def end(self, live: LiveCall, state: CallState) -> float:
        """Flush streams, store the last finals and the live summary, close the call."""
        with self._lock:
            if self.calls.pop(live.call_id, None) is None:
                return 0.0
        live.finish_streams(STOP_FLUSH_TIMEOUT_S)
        summary = live.coach.summary() if live.coach else None
        guidance = live.coach.last_guidance if live.coach else None
        if live.coach:
            live.coach.close()
        self.writer.flush(STOP_FLUSH_TIMEOUT_S)
        live.emit_status(state)
        live.closed = True
        return self._close_row(live.call_id, state, summary, guidance)

    def _close_row(
        self, call_id: str, state: CallState, summary: Any, guidance: Any = None
    ) -> float:
        with self.app.app_context():
            call = db.session.get(Call, call_id)
            if call is None:
                return 0.0
            call.state, call.ended_at, call.live_summary = state.value, utcnow(), summary
            call.guidance = guidance or call.guidance
            for column, value in stored_metrics(summary).items():
                setattr(call, column, value)
            db.session.commit()
            self._after_end(call_id)
            return call.duration_s or 0.0

    def _after_end(self, call_id: str) -> None:
        """Post-call work (the analysis job is queued here), inside an app context."""
        if self._on_call_ended is not None:
            self._on_call_ended(call_id)

    # ------------------------------------------------------------------ watchers
    def join_snapshot(self, principal: Principal, call_id: str) -> dict[str, Any]:
        """What a coach joining the call sees first: the call, recent finals, suggestions."""
        call = db.session.get(Call, call_id)
        if call is None or call.team_id != principal.team_id:
            raise NotFound("No live call with this id.", code=ErrorCode.NOT_FOUND)
        if call.state not in ("live", "degraded", "reconnecting"):
            raise AppError("The call has ended.", code=ErrorCode.CALL_NOT_LIVE, status=409)
        utterances = db.session.scalars(
            select(Utterance)
            .where(Utterance.call_id == call_id)
            .order_by(Utterance.start_ms.desc())
            .limit(JOIN_TRANSCRIPT_LIMIT)
        ).all()
        suggestions = db.session.scalars(
            select(Suggestion)
            .where(Suggestion.call_id == call_id)
            .order_by(Suggestion.created_at.desc())
            .limit(50)
        ).all()
        return {
            "call": {
                "id": call.id,
                "title": call.title,
                "state": call.state,
                "user_id": call.user_id,
                "started_at": call.started_at.isoformat(),
                "goal": call.goal,
            },
            "guidance": self._live_guidance(call_id) or call.guidance,
            "transcript": [
                {
                    "utterance_id": u.id,
                    "source": u.source,
                    "text": u.text,
                    "start_ms": u.start_ms,
                    "end_ms": u.end_ms,
                    "is_final": True,
                    "confidence": u.confidence,
                }
                for u in reversed(utterances)
            ],
            "suggestions": [
                {
                    "suggestion_id": s.id,
                    "kind": s.kind,
                    "title": s.title,
                    "body": s.body,
                    "origin": s.origin,
                    "status": "final",
                    "trigger_utterance_id": s.trigger_utterance_id,
                    "latency_ms": s.latency_ms,
                }
                for s in reversed(suggestions)
            ],
        }

    def _live_guidance(self, call_id: str) -> dict[str, Any] | None:
        """The newest guidance of a call this worker holds (the stored copy may lag)."""
        with self._lock:
            live = self.calls.get(call_id)
        return live.coach.last_guidance if live is not None and live.coach else None

    def detach(self, sid: str) -> None:
        """The owner's connection dropped: keep the call for the grace period."""
        with self._lock:
            owned = [c for c in self.calls.values() if c.owner_sid == sid]
            for live in owned:
                live.owner_sid, live.detached_at = None, time.monotonic()
        for live in owned:
            live.emit_status(CallState.RECONNECTING, "client_disconnected")

    def live_calls_of(self, user_id: str) -> list[LiveCall]:
        with self._lock:
            return [c for c in self.calls.values() if c.identity.user_id == user_id]

    def _janitor(self) -> None:
        last_lease = 0.0
        while self._janitor_running:
            time.sleep(1.0)
            if not self._janitor_running:
                return
            try:
                self.expire_detached(time.monotonic())
                if time.monotonic() - last_lease >= leases.HEARTBEAT_S:
                    last_lease = time.monotonic()
                    self.refresh_leases()
            except Exception:  # the janitor must survive anything (e.g. database down)
                log.exception("live-call janitor failed")

    def refresh_leases(self) -> list[str]:
        """Renew this worker's leases and end other calls whose owner is gone."""
        with self._lock:
            held = set(self.calls)
        with self.app.app_context():
            leases.refresh(sorted(held))
            expired = leases.expire_orphans(self.settings.grace_seconds, held)
            for call_id in expired:
                log.info("call interrupted: lease expired", extra={"call_id": call_id})
                self._after_end(call_id)
        return expired

    def expire_detached(self, now: float) -> int:
        with self._lock:
            expired = [
                c
                for c in self.calls.values()
                if c.detached_at is not None and now - c.detached_at >= self.settings.grace_seconds
            ]
        for live in expired:
            log.info("call interrupted after grace", extra={"call_id": live.call_id})
            self.end(live, CallState.INTERRUPTED)
        return len(expired)

    def _saving_delayed(self, call_ids: set[str]) -> None:
        for call_id in call_ids:
            if (live := self.calls.get(call_id)) is not None:
                live.set_saving_delayed(True)

    def _saving_recovered(self, call_ids: set[str]) -> None:
        for call_id in call_ids:
            if (live := self.calls.get(call_id)) is not None:
                live.set_saving_delayed(False)

    def shutdown(self, timeout: float) -> list[str]:
        """Graceful stop: flush every stream, store the last finals, leave the calls
        resumable (lease released), then tell clients to reconnect (to another worker).

        Clients hear ``reconnecting`` only once their finals are stored and the call is
        marked resumable, so a fast resume elsewhere cannot race the stored state."""
        self._janitor_running = False
        self.draining = True
        with self._lock:
            calls = list(self.calls.values())
            self.calls.clear()
        deadline = time.monotonic() + timeout
        for live in calls:
            live.finish_streams(max(0.5, (deadline - time.monotonic()) / 2))
            if live.coach:
                live.coach.close()
        self.writer.stop(max(0.5, deadline - time.monotonic()))
        with self.app.app_context():
            leases.mark_reconnecting([live.call_id for live in calls])
        for live in calls:
            live.emit_status(CallState.RECONNECTING, "server_restart")
            live.closed = True
        return [live.call_id for live in calls]
