"""Sentry error reporting when SENTRY_DSN is set, with scrubbing of personal data.

Nothing that identifies a person or reveals a call leaves the server: request bodies,
cookies, query strings, credentials, transcript text, suggestion text, whispers and
socket payloads are removed by :func:`scrub_event` (a pure function, tested), local
variables are never captured and ``send_default_pii`` stays off.

Exception messages are withheld too (a database error's text quotes the failing row,
a provider's error may quote a transcript): an event keeps the exception's type, module
and stack frames (code locations), and ids from ``extra``. Log messages are kept only as
their format string (``logentry.message``), never formatted with their arguments; a
breadcrumb keeps its message only when it comes from our own code (category ``app.*``).
"""

from __future__ import annotations

import re
from typing import Any

from app.config import Settings

FILTERED = "[Filtered]"
WITHHELD = "[withheld]"
OWN_LOGGERS = ("app.",)
SENSITIVE_KEY = re.compile(
    r"auth|token|secret|password|passwd|api[_-]?key|cookie|session|credential|dsn|"
    r"text|transcript|body|payload|data|audio|words|utterance|whisper|summary|prompt|"
    r"goal|title|email|name",
    re.IGNORECASE,
)
SAFE_KEYS = frozenset({"call_id", "user_id", "team_id", "event", "code", "error_type", "source"})
KEPT_HEADERS = frozenset({"host", "user-agent", "content-type", "content-length", "x-request-id"})
SDK_CONTEXTS = frozenset({"runtime", "os", "device", "trace", "app", "flask", "response"})
MAX_DEPTH = 8


def init_sentry(settings: Settings, **overrides: Any) -> bool:
    """Start the Sentry SDK; a no-op (returns False) without SENTRY_DSN."""
    if not settings.sentry_dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    options: dict[str, Any] = {
        "dsn": settings.sentry_dsn,
        "environment": settings.app_env,
        "integrations": [FlaskIntegration()],
        "send_default_pii": False,
        "include_local_variables": False,
        "max_request_body_size": "never",
        "traces_sample_rate": settings.sentry_traces_sample_rate,
        "before_send": scrub_event,
        "before_send_transaction": scrub_event,
        "before_breadcrumb": scrub_breadcrumb,
        **overrides,
    }
    sentry_sdk.init(**options)
    return True


def scrub_event(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """Remove personal and call data from an event before it is sent."""
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = _scrub_request(request)
    if isinstance(event.get("user"), dict):
        event["user"] = {k: v for k, v in event["user"].items() if k == "id"}
    for key in ("extra", "tags"):
        if isinstance(event.get(key), dict):
            event[key] = scrub_mapping(event[key])
    if isinstance(event.get("contexts"), dict):
        event["contexts"] = {
            k: v if k in SDK_CONTEXTS else scrub_mapping(v) for k, v in event["contexts"].items()
        }
    _scrub_exceptions(event)
    _scrub_logentry(event)
    crumbs = event.get("breadcrumbs")
    if isinstance(crumbs, dict) and isinstance(crumbs.get("values"), list):
        crumbs["values"] = [scrub_breadcrumb(c) for c in crumbs["values"]]
    return event


def _scrub_exceptions(event: dict[str, Any]) -> None:
    """Keep type, module and frames; the message (``value``) may quote data."""
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = WITHHELD
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def _scrub_logentry(event: dict[str, Any]) -> None:
    """A log record is sent as its format string only, never with its arguments."""
    entry = event.get("logentry")
    if isinstance(entry, dict):
        event["logentry"] = {"message": str(entry.get("message") or ""), "params": []}
    if "message" in event:  # capture_message with free text
        event["message"] = WITHHELD


def scrub_breadcrumb(crumb: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """Data is scrubbed by key; messages are kept only from our own loggers."""
    if isinstance(crumb.get("data"), dict):
        crumb["data"] = scrub_mapping(crumb["data"])
    if crumb.get("message") and not str(crumb.get("category") or "").startswith(OWN_LOGGERS):
        crumb["message"] = WITHHELD
    return crumb


def _scrub_request(request: dict[str, Any]) -> dict[str, Any]:
    headers = request.get("headers") or {}
    return {
        "method": request.get("method"),
        "url": str(request.get("url") or "").split("?", 1)[0],
        "headers": {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS},
    }


def scrub_mapping(value: Any, depth: int = 0) -> Any:
    """Replace the values of sensitive keys, recursively (ids and codes are kept)."""
    if depth > MAX_DEPTH:
        return FILTERED
    if isinstance(value, dict):
        return {
            k: (
                FILTERED
                if str(k) not in SAFE_KEYS and SENSITIVE_KEY.search(str(k))
                else scrub_mapping(v, depth + 1)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub_mapping(v, depth + 1) for v in value]
    return value
