"""The wrapper every `/audio` event handler goes through.

It resolves the connection, applies the per-connection rate limit, validates the
payload with its schema, and turns the outcome into the ack envelope
``{ok: true, ...}`` or ``{ok: false, error: {code, message}}``. Nothing else in the
namespace deals with errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import request
from flask_socketio import disconnect
from marshmallow import Schema, ValidationError

from app.container import get_services
from app.errors import AppError
from app.events import NAMESPACE, ErrorCode
from app.observability.hooks import observe_socket_event
from app.services.live.connections import Connection

log = logging.getLogger(__name__)
Handler = Callable[[Any, Connection, dict[str, Any]], dict[str, Any] | None]
Loader = Callable[[Any], dict[str, Any]]


def failure(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"ok": False, "error": error}


def _check(connection: Connection | None, kind: str) -> dict[str, Any] | None:
    if connection is None:
        return failure(ErrorCode.UNAUTHORIZED, "Not authenticated.")
    expires = connection.principal.expires_at
    if expires is not None and expires < time.time():
        return failure(ErrorCode.TOKEN_EXPIRED, "Send auth:refresh with a new token.")
    if not connection.allow(kind) or not _user_allows(connection, kind):
        if connection.should_disconnect:
            log.warning(
                "socket flood; disconnecting", extra={"user_id": connection.principal.user_id}
            )
            disconnect(request.sid, namespace=NAMESPACE)  # type: ignore[attr-defined]
        return failure(ErrorCode.RATE_LIMITED, "Too many events; slow down.")
    return None


def _user_allows(connection: Connection, kind: str) -> bool:
    """Control events also count against the user's budget shared by all workers."""
    if kind != "control":
        return True
    counter = get_services().user_events
    if counter is None or counter.allow(connection.principal.user_id):
        return True
    connection.strikes += 1
    return False


def payload_loader(schema: type[Schema]) -> Loader:
    """One schema instance for every event (building one costs more than the load), and
    the schema's ``quick_load`` first when it has one."""
    instance = schema()
    quick: Callable[[Any], dict[str, Any] | None] | None = getattr(schema, "quick_load", None)

    def load(payload: Any) -> dict[str, Any]:
        if quick is not None and (data := quick(payload)) is not None:
            return data
        loaded: dict[str, Any] = instance.load(
            payload if isinstance(payload, dict) else {"": payload}
        )
        return loaded

    return load


def socket_event(
    schema: type[Schema], kind: str = "control", allow_expired: bool = False
) -> Callable[[Handler], Callable[..., Any]]:
    """Decorate ``on_<event>(self, connection, data)``; its return value is the ack."""

    def decorator(handler: Handler) -> Callable[..., Any]:
        event = handler.__name__.removeprefix("on_")
        load = payload_loader(schema)

        @wraps(handler)
        def wrapper(self: Any, payload: Any = None) -> dict[str, Any]:
            started = time.perf_counter()
            ack = _handle(handler, self, payload, load, kind, allow_expired)
            observe_socket_event(event, ack, time.perf_counter() - started, payload)
            return ack

        return wrapper

    return decorator


def _handle(
    handler: Handler,
    namespace: Any,
    payload: Any,
    load: Loader,
    kind: str,
    allow_expired: bool,
) -> dict[str, Any]:
    """Check, validate and run one handler; every outcome is an ack envelope."""
    connection = get_services().connections.get(request.sid)  # type: ignore[attr-defined]
    problem = _check(connection, kind)
    if problem and not (allow_expired and problem["error"]["code"] == "token_expired"):
        return problem
    assert connection is not None  # _check refuses an unknown sid
    try:
        data = load(payload)
        return {"ok": True, **(handler(namespace, connection, data) or {})}
    except ValidationError as exc:
        return failure(ErrorCode.VALIDATION_ERROR, "Invalid payload.", exc.normalized_messages())
    except AppError as exc:
        return failure(exc.code, exc.message, exc.fields)
    except Exception:  # the ack must never leak internals
        log.exception("socket handler failed", extra={"event": handler.__name__})
        return failure(ErrorCode.INTERNAL_ERROR, "Something went wrong on our side.")
