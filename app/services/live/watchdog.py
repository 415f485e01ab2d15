"""Enforces token lifetime and revocation on long-lived sockets (a JWT is only checked at
the handshake otherwise).

Every ``token_check_s`` each worker closes its connections whose access token expired
without an ``auth:refresh`` (after an ``error`` event ``token_expired``); their calls
enter the grace period and can be resumed after re-auth. Every ``revocation_check_s``
one query each finds deactivated users, revoked API keys and ended sign-in sessions
(logout, password change, refresh-token reuse) among the connections: those sockets are
closed (``account_inactive`` / ``invalid_api_key`` / ``token_revoked``) and their live
calls end as ``interrupted`` with every stored utterance kept.

The task starts with the first connection and stops when the worker has none.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from app.events import CallState, ErrorCode, ServerEvent
from app.extensions import db
from app.models import ApiKey, User
from app.services.auth import Principal
from app.services.concurrency import spawn
from app.services.live.connections import Connection, ConnectionRegistry
from app.services.sessions import revoked_among

log = logging.getLogger(__name__)
ToSid = Callable[[str, str, dict[str, Any]], None]  # (sid, event, payload)


@dataclass(frozen=True)
class WatchdogSettings:
    token_check_s: float = 2.0
    revocation_check_s: float = 5.0


class ConnectionWatchdog:
    def __init__(
        self,
        app: Flask,
        settings: WatchdogSettings,
        connections: ConnectionRegistry,
        sessions: Any,
        send: ToSid,
        disconnect: Callable[[str], None],
        renew_slots: Callable[[], None] = lambda: None,
    ) -> None:
        self.app, self.settings = app, settings
        self.connections, self.sessions = connections, sessions
        self.send, self.disconnect = send, disconnect
        self.renew_slots = renew_slots
        self._lock = threading.Lock()
        self.running = False
        self.stopped = False

    def ensure_started(self) -> None:
        """Called on every connect; starts the task if it is not running."""
        with self._lock:
            if self.running or self.stopped:
                return
            self.running = True
        spawn(self._run, name="socket-watchdog")

    def stop(self) -> None:
        self.stopped = True

    def _run(self) -> None:
        last_revocation = time.monotonic()
        while True:
            time.sleep(self.settings.token_check_s)
            with self._lock:
                if self.stopped or not self.connections.all():
                    self.running = False
                    return
            try:
                self.close_expired(time.time())
                if time.monotonic() - last_revocation >= self.settings.revocation_check_s:
                    last_revocation = time.monotonic()
                    self.renew_slots()
                    with self.app.app_context():
                        self.close_revoked()
            except Exception:  # the watchdog must survive anything (e.g. database down)
                log.exception("socket watchdog failed")

    def close_expired(self, now: float) -> list[str]:
        """Close connections whose JWT expired; their calls stay resumable."""
        expired = [
            c
            for c in self.connections.all()
            if c.principal.expires_at is not None and c.principal.expires_at <= now
        ]
        for connection in expired:
            self._close(connection, "token_expired", "The access token expired; sign in again.")
        return [c.sid for c in expired]

    def close_revoked(self) -> list[str]:
        """Close connections of deactivated users, revoked keys or ended sessions; end
        their calls."""
        connections = self.connections.all()
        if not connections:
            return []
        withdrawn = _withdrawn({c.principal for c in connections})
        closed: list[str] = []
        for connection in connections:
            code = withdrawn.code_for(connection.principal)
            if code is None:
                continue
            self._end_calls(connection, user_wide=code == "account_inactive")
            self._close(connection, code, "Access was withdrawn.")
            closed.append(connection.sid)
        return closed

    def _end_calls(self, connection: Connection, user_wide: bool) -> None:
        for live in self.sessions.live_calls_of(connection.principal.user_id):
            if user_wide or live.owner_sid == connection.sid:
                log.info("call interrupted: access withdrawn", extra={"call_id": live.call_id})
                self.sessions.end(live, CallState.INTERRUPTED)

    def _close(self, connection: Connection, code: str, message: str) -> None:
        log.info(
            "socket closed by watchdog",
            extra={"code": code, "user_id": connection.principal.user_id},
        )
        try:
            self.send(connection.sid, ServerEvent.ERROR, {"code": code, "message": message})
        finally:
            self.disconnect(connection.sid)
            self.connections.remove(connection.sid)


@dataclass(frozen=True)
class _Withdrawn:
    users: set[str]
    keys: set[str]
    sessions: set[str]

    def code_for(self, principal: Principal) -> str | None:
        if principal.user_id in self.users:
            return "account_inactive"
        if principal.key_id in self.keys:
            return "invalid_api_key"
        if principal.session_id in self.sessions:
            return ErrorCode.TOKEN_REVOKED
        return None


def _withdrawn(principals: set[Principal]) -> _Withdrawn:
    """One round trip each: users no longer active (or deleted), keys revoked (or gone),
    sign-in sessions ended."""
    users = {p.user_id for p in principals}
    keys = {p.key_id for p in principals if p.key_id}
    active = set(
        db.session.scalars(select(User.id).where(User.id.in_(users), User.active.is_(True)))
    )
    usable: set[str] = set()
    if keys:
        usable = set(
            db.session.scalars(
                select(ApiKey.id).where(ApiKey.id.in_(keys), ApiKey.revoked_at.is_(None))
            )
        )
    ended = revoked_among({p.session_id for p in principals if p.session_id})
    db.session.remove()
    return _Withdrawn(users - active, keys - usable, ended)
