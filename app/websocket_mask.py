"""A faster RFC 6455 unmasking for eventlet's websocket server.

eventlet unmasks every client frame one byte at a time in Python
(``b"".join(bytes((data[i] ^ mask[...],)) for i in ...)``): py-spy showed it taking 38% of
the server's time under load, about 5 ms per 8,000-byte audio chunk. Here a frame of
``NUMPY_FROM`` bytes or more is XOR-ed four bytes at a time by numpy (about 7 µs per
8,000-byte chunk), a shorter one as one big integer, where numpy's call overhead would
cost more (docs/performance.md). ``tests/test_websocket_mask.py`` checks both give
eventlet's bytes on random frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

NUMPY_FROM = 1024  # bytes; below this the big-integer XOR is faster


def _rotated(mask: Sequence[int], offset: int) -> bytes:
    """eventlet passes the mask as a tuple of four ints (``struct.unpack``)."""
    turn = offset % 4
    return bytes(mask[turn:]) + bytes(mask[:turn])


def _xor_int(data: bytes, key: bytes, size: int) -> bytes:
    stream = (key * (size // 4 + 1))[:size]
    value = int.from_bytes(data[:size], "little") ^ int.from_bytes(stream, "little")
    return value.to_bytes(size, "little")


def _xor_numpy(data: bytes, key: bytes, size: int) -> bytes:
    out = bytearray(data[:size])
    words = size // 4
    np.frombuffer(out, dtype=np.uint32, count=words).__ixor__(
        np.frombuffer(key, dtype=np.uint32)[0]
    )
    for i in range(words * 4, size):  # at most 3 trailing bytes
        out[i] ^= key[i % 4]
    return bytes(out)


def xor_mask(data: bytes, mask: Sequence[int], length: int | None = None, offset: int = 0) -> bytes:
    """Unmask ``data[:length]`` with the 4-byte ``mask`` starting at ``offset``."""
    size = len(data) if length is None else length
    key = _rotated(mask, offset)
    return _xor_numpy(data, key, size) if size >= NUMPY_FROM else _xor_int(data, key, size)


def install(websocket_class: Any) -> None:
    """Replace the class's ``_apply_mask`` (eventlet.websocket.RFC6455WebSocket)."""
    websocket_class._apply_mask = staticmethod(xor_mask)
