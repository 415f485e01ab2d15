"""JSON for Socket.IO packets with the REST body limits (app/request_body.py).

The standard parser raises on a payload nested ~1,000 deep or holding a 5,000-digit
integer, and python-socketio logs that as an unhandled error and drops the event. Here
such a payload becomes the internal event ``REFUSED_EVENT``, which the namespace acks
with ``validation_error``: the client learns why and nothing is logged as an error.
"""

from __future__ import annotations

import json
from typing import Any

from app.errors import AppError, MalformedJson
from app.request_body import parse_json

REFUSED_EVENT = "\x00refused"


class PacketJson:
    """The ``json`` module interface python-socketio expects (``dumps`` and ``loads``)."""

    @staticmethod
    def dumps(*args: Any, **kwargs: Any) -> str:
        return json.dumps(*args, **kwargs)

    @staticmethod
    def loads(text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        """Text that is not JSON at all raises ``ValueError`` like ``json.loads``: Engine.IO
        tries every text packet (the upgrade's ``probe`` too) and keeps it as text when it
        fails. JSON past the limits (depth, huge numbers, NaN) becomes the refused event."""
        try:
            return parse_json(text)
        except MalformedJson as exc:
            if isinstance(exc.__cause__, ValueError):  # not JSON: a plain text packet
                raise ValueError("not JSON") from exc
            return [REFUSED_EVENT, exc.code]
        except AppError as exc:
            return [REFUSED_EVENT, exc.code]
