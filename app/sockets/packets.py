"""JSON for Socket.IO packets with the REST body limits (app/request_body.py).

The standard parser raises on a payload nested ~1,000 deep or holding a 5,000-digit
integer, and python-socketio logs that as an unhandled error and drops the event. Here
such a payload becomes the internal event ``REFUSED_EVENT``, which the namespace acks
with ``validation_error``: the client learns why and nothing is logged as an error.
"""

from __future__ import annotations

import json
from typing import Any

from socketio.packet import Packet

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


class EventPacket(Packet):
    """python-socketio's packet, with a short-circuiting binary check: it runs over every
    emitted payload (transcripts, suggestions), and the stock one visits every value
    even after finding bytes. Same answer (tests/sockets/test_packets.py)."""

    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        if isinstance(data, bytes | bytearray):
            return True
        if isinstance(data, list):
            return any(map(cls.data_is_binary, data))
        if isinstance(data, dict):
            return any(map(cls.data_is_binary, data.values()))
        return False
