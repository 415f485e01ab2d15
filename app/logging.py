"""JSON logs with a request / socket correlation id on every line.

Exceptions are rendered as type + stack frames only: an exception's message can carry
SQL parameters or provider responses (transcript text, keys), so it is never logged.
"""

from __future__ import annotations

import logging
import sys
import traceback
import uuid
from types import TracebackType
from typing import IO, Any

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# Libraries whose INFO/DEBUG lines carry request URLs with query strings or whole request
# bodies (the anthropic SDK logs every prompt at DEBUG): never below WARNING, even when
# LOG_LEVEL=DEBUG, so transcripts, tokens and keys cannot reach the logs through them.
NOISY_LOGGERS = (
    "engineio.server",
    "socketio.server",
    "werkzeug",
    "anthropic",
    "httpx",
    "httpx2",
    "httpcore",
    "httpcore2",
    "deepgram",
    "websockets",
    "urllib3",
    "faster_whisper",
)
_MAX_REQUEST_ID = 64

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` from the Flask request (or socket event) context."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class SafeJsonFormatter(JsonFormatter):
    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's API name)
        exc_type, _, tb = ei
        frames = "".join(traceback.format_tb(tb)) if tb else ""
        return f"{exc_type.__name__} (message withheld)\n{frames}"


def json_handler(stream: IO[str]) -> logging.Handler:
    """The server's log handler: JSON lines with the request id, exception text withheld."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        SafeJsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "asctime": "time"},
        )
    )
    handler.addFilter(RequestIdFilter())
    return handler


def configure_logging(level: str) -> None:
    """Route the root logger to stdout as JSON; idempotent across app instances."""
    handler = json_handler(sys.stdout)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_salescoach", False)]:
        root.removeHandler(old)
    handler._salescoach = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def _valid_request_id(value: str | None) -> bool:
    if not value:
        return False
    return len(value) <= _MAX_REQUEST_ID and value.replace("-", "").isalnum()


def init_app(app: Flask) -> None:
    """Accept or generate X-Request-ID, return it, and log one line per request."""
    access_log = logging.getLogger("app.access")

    @app.before_request
    def _assign_request_id() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER)
        g.request_id = incoming if _valid_request_id(incoming) else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        access_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "endpoint": request.endpoint,
            },
        )
        return response
