"""JSON request bodies are checked before any view or schema sees them (docs/api.md).

A body sent to ``/api/`` must be JSON (``Content-Type: application/json``), else 415
``unsupported_media_type``: a form or text body would otherwise be ignored silently. The
body is parsed once here with limits the standard parser lacks: nesting deeper than
``MAX_JSON_DEPTH`` is 400 ``json_too_deep`` (Python's parser raises RecursionError near
1,000), integers longer than ``MAX_INT_DIGITS`` digits and non-finite numbers are 400
``number_out_of_range`` (a 5,000-digit integer raises ValueError), and ``NaN`` or
``Infinity`` (not JSON) are ``malformed_json``. The size limit is ``MAX_CONTENT_LENGTH``
(413). Path parameters holding control characters answer 404: no id contains them.
A view marked with :func:`binary_body` takes ``application/octet-stream`` instead (the
voice-profile sample).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request

from app.errors import (
    JsonTooDeep,
    MalformedJson,
    NotFound,
    NumberOutOfRange,
    UnsupportedMediaType,
)
from app.schemas.text import is_clean

MAX_JSON_DEPTH = 32
MAX_INT_DIGITS = 15
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BINARY = "application/octet-stream"
View = TypeVar("View", bound=Callable[..., Any])


def binary_body(view: View) -> View:
    """Mark a view whose body is raw bytes (``application/octet-stream``), not JSON."""
    view.binary_body = True  # type: ignore[attr-defined]
    return view


def _takes_binary() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return request.mimetype == BINARY and bool(getattr(view, "binary_body", False))


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise NumberOutOfRange()
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NumberOutOfRange()
    return value


def _constant(name: str) -> Any:
    raise MalformedJson()


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Iterative, so a deep document cannot exhaust the stack here either."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in children)
    return False


def _may_be_too_deep(data: bytes | str, limit: int) -> bool:
    """Nesting needs one ``[`` or ``{`` per level, so a text with at most ``limit`` of them
    is within the limit without walking the parsed value (every Socket.IO packet is parsed
    here: most hold a handful)."""
    if isinstance(data, str):
        return data.count("[") + data.count("{") > limit
    return data.count(b"[") + data.count(b"{") > limit


def parse_json(data: bytes | str) -> Any:
    """Parse a JSON document within the limits, or raise the matching AppError."""
    try:
        value = json.loads(data, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError as exc:
        raise JsonTooDeep() from exc
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise MalformedJson() from exc
    if _may_be_too_deep(data, MAX_JSON_DEPTH) and _depth_exceeds(value, MAX_JSON_DEPTH):
        raise JsonTooDeep()
    return value


def check_request() -> None:
    """``before_request``: path parameters, then the media type and limits of a body."""
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and not is_clean(value):
            raise NotFound()
    if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
        return
    data = request.get_data(cache=True)
    if not data or _takes_binary():
        return
    if not request.is_json:
        raise UnsupportedMediaType()
    parse_json(data)


def init_app(app: Flask) -> None:
    app.before_request(check_request)
