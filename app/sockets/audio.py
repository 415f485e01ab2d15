"""The `/audio` namespace: live calls, coaching events and coach rooms (docs/protocol.md).

Handlers are thin: the ``socket_event`` wrapper validates and builds the ack; the
live-call manager does the work.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, Namespace, emit, join_room, leave_room
from marshmallow import ValidationError

from app.container import get_services
from app.errors import AppError, Forbidden
from app.events import CallState, ErrorCode, ServerEvent
from app.extensions import db
from app.models import Whisper
from app.origins import ORIGIN_REFUSED, OriginPolicy
from app.schemas.socket import (
    AudioChunkSchema,
    AuthRefreshSchema,
    CallRefSchema,
    CallStartSchema,
    ConnectAuthSchema,
    CorrectionEventSchema,
    FeedbackEventSchema,
    WhisperSchema,
)
from app.services import calls, privacy
from app.services.auth import principal_from_token
from app.services.live.connections import Connection
from app.services.live.emitter import call_room, coach_room, rep_room
from app.services.live.join import join_snapshot
from app.services.live.privacy import consent_ack
from app.sockets.handler import failure, socket_event
from app.sockets.packets import REFUSED_EVENT

log = logging.getLogger(__name__)
QUERY_TOKEN_NAMES = ("token", "access_token", "auth", "jwt", "api_key")


def _refuse(code: str, message: str) -> ConnectionRefusedError:
    return ConnectionRefusedError(code, {"code": code, "message": message})


class AudioNamespace(Namespace):
    def trigger_event(self, event: str, *args: Any) -> Any:
        """Route `call:start` to `on_call_start`; unknown events get an error ack."""
        if event == REFUSED_EVENT:
            return failure(
                ErrorCode.VALIDATION_ERROR,
                "The payload is nested too deeply or holds a number out of range.",
                {"payload": [str(args[1]) if len(args) > 1 else "refused"]},  # args: sid, code
            )
        handler = "on_" + (event or "").replace(":", "_")
        if not hasattr(self, handler):
            return failure(ErrorCode.UNKNOWN_EVENT, "Unknown event.")
        return super().trigger_event(handler[3:], *args)

    def on_connect(self, auth: Any = None) -> None:
        origin = request.headers.get("Origin")
        if not OriginPolicy(get_services().settings).allows(origin, request.environ):
            log.warning("socket origin refused")  # engine.io refuses it first; defence in depth
            raise _refuse(ErrorCode.ORIGIN_NOT_ALLOWED, ORIGIN_REFUSED)
        if any(name in request.args for name in QUERY_TOKEN_NAMES):
            log.warning("socket token in query string refused")
            raise _refuse(ErrorCode.TOKEN_IN_QUERY, "Send the token in the auth payload.")
        try:
            token = ConnectAuthSchema().load(auth if isinstance(auth, dict) else {})["token"]
        except ValidationError as exc:
            raise _refuse(ErrorCode.UNAUTHORIZED, "Send auth: {token}.") from exc
        try:
            principal = principal_from_token(token)
        except AppError as exc:
            log.warning("socket auth refused", extra={"code": exc.code})
            raise _refuse(exc.code, exc.message) from exc
        services = get_services()
        if not services.socket_slots.claim(principal.user_id, request.sid):  # type: ignore[attr-defined]
            log.warning(
                "socket refused",
                extra={"code": ErrorCode.TOO_MANY_SOCKETS, "user_id": principal.user_id},
            )
            raise _refuse(
                ErrorCode.TOO_MANY_SOCKETS, "Too many open connections; close a tab or window."
            )
        services.connections.add(request.sid, principal)  # type: ignore[attr-defined]
        services.watchdog.ensure_started()
        log.info("socket connected", extra={"user_id": principal.user_id})

    def on_disconnect(self, reason: Any = None) -> None:
        services = get_services()
        services.socket_slots.release(request.sid)  # type: ignore[attr-defined]
        services.connections.remove(request.sid)  # type: ignore[attr-defined]
        services.sessions.detach(request.sid)  # type: ignore[attr-defined]

    @socket_event(CallStartSchema)
    def on_call_start(self, connection: Connection, data: dict[str, Any]) -> dict[str, Any]:
        services = get_services()
        live = services.sessions.start(connection.principal, connection.sid, data)
        join_room(call_room(live.call_id))
        join_room(rep_room(live.call_id))
        if live.state is not CallState.LIVE:  # it changed before the rep was in the room
            live.emit_status()
        return {
            "call_id": live.call_id,
            "state": live.state.value,
            "transcriber": services.sessions.settings.transcriber_name,
            "coach": services.sessions.settings.coach_name,
            "next_seq": live.next_seqs(),
            "guidance": services.sessions.send_guidance(live),
            "consent": consent_ack(live.call_id),
        }

    @socket_event(CallRefSchema)
    def on_call_consent(self, connection: Connection, data: dict[str, Any]) -> dict[str, Any]:
        """The rep confirms the prospect agreed to the recording (stored with the call)."""
        return get_services().sessions.confirm_consent(connection.principal, data["call_id"])

    @socket_event(AudioChunkSchema, kind="audio")
    def on_audio(self, connection: Connection, data: dict[str, Any]) -> dict[str, Any]:
        return get_services().sessions.audio(connection.principal, data)

    @socket_event(CallRefSchema)
    def on_call_stop(self, connection: Connection, data: dict[str, Any]) -> dict[str, Any]:
        result = get_services().sessions.stop(connection.principal, data["call_id"])
        leave_room(rep_room(data["call_id"]))
        return result

    @socket_event(CallRefSchema)
    def on_call_join(self, connection: Connection, data: dict[str, Any]) -> dict[str, Any]:
        """A coach or admin of the same team watches the call read-only."""
        if not connection.principal.has_role("coach"):
            raise Forbidden("Only coaches and admins can join calls.")
        snapshot = join_snapshot(connection.principal, data["call_id"])
        join_room(call_room(data["call_id"]))
        join_room(coach_room(data["call_id"]))
        connection.watching.add(data["call_id"])
        self._announce_presence(data["call_id"])
        return snapshot

    @socket_event(CallRefSchema)
    def on_call_leave(self, connection: Connection, data: dict[str, Any]) -> None:
        leave_room(call_room(data["call_id"]))
        leave_room(coach_room(data["call_id"]))
        connection.watching.discard(data["call_id"])
        self._announce_presence(data["call_id"])

    @socket_event(WhisperSchema)
    def on_coach_whisper(self, connection: Connection, data: dict[str, Any]) -> dict[str, Any]:
        """A tip from a watching coach, delivered to the rep only (and stored)."""
        if data["call_id"] not in connection.watching:
            raise AppError("Join the call first.", code=ErrorCode.NOT_FOUND, status=404)
        text = privacy.redactor_for(connection.principal.team_id).text(data["text"])
        whisper = Whisper(
            call_id=data["call_id"], from_user_id=connection.principal.user_id, text=text
        )
        db.session.add(whisper)
        db.session.commit()
        emit(
            ServerEvent.WHISPER,
            {
                "call_id": data["call_id"],
                "whisper_id": whisper.id,
                "from": connection.principal.name,
                "text": text,
            },
            to=rep_room(data["call_id"]),
        )
        return {"whisper_id": whisper.id}

    @socket_event(FeedbackEventSchema)
    def on_suggestion_feedback(self, connection: Connection, data: dict[str, Any]) -> None:
        calls.record_feedback(
            connection.principal, data["call_id"], data["suggestion_id"], data["action"]
        )

    @socket_event(CorrectionEventSchema)
    def on_transcript_correct(self, connection: Connection, data: dict[str, Any]) -> dict[str, Any]:
        """The rep or a watching coach flips a line's speaker; the room hears it."""
        return get_services().sessions.correct(connection.principal, data)

    @socket_event(AuthRefreshSchema, allow_expired=True)
    def on_auth_refresh(self, connection: Connection, data: dict[str, Any]) -> dict[str, Any]:
        """Swap in a fresh access token for the same user without reconnecting."""
        principal = principal_from_token(data["token"])
        if principal.user_id != connection.principal.user_id:
            raise Forbidden("The token belongs to another user.")
        get_services().connections.replace_principal(connection.sid, principal)
        return {"expires_at": principal.expires_at}

    def _announce_presence(self, call_id: str) -> None:
        coaches = [
            {"id": c.principal.user_id, "name": c.principal.name}
            for c in get_services().connections.all()
            if call_id in c.watching
        ]
        emit(ServerEvent.PRESENCE, {"call_id": call_id, "coaches": coaches}, to=call_room(call_id))
