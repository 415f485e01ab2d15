"""A faster RFC 6455 unmasking for eventlet's websocket server.

eventlet unmasks every client frame one byte at a time in Python
(``b"".join(bytes((data[i] ^ mask[...],)) for i in ...)``): py-spy showed it taking 38% of
the server's time under load, about 5 ms per 8,000-byte audio chunk. XOR-ing the frame as
one big integer gives the same bytes in about 0.06 ms (docs/performance.md).
``tests/test_websocket_mask.py`` checks the two are equal on random frames.
"""

from __future__ import annotations

from typing import Any


def xor_mask(data: bytes, mask: bytes, length: int | None = None, offset: int = 0) -> bytes:
    """Unmask ``data[:length]`` with the 4-byte ``mask`` starting at ``offset``."""
    size = len(data) if length is None else length
    turn = offset % 4
    key = ((mask[turn:] + mask[:turn]) * (size // 4 + 1))[:size]
    value = int.from_bytes(data[:size], "little") ^ int.from_bytes(key, "little")
    return value.to_bytes(size, "little")


def install(websocket_class: Any) -> None:
    """Replace the class's ``_apply_mask`` (eventlet.websocket.RFC6455WebSocket)."""
    websocket_class._apply_mask = staticmethod(xor_mask)
