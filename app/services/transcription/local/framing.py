"""Length-prefixed frames between the server and the recognition worker processes.

A frame is ``!IBI`` (payload length, kind, stream id) followed by the payload. Control
payloads are JSON; audio payloads are raw bytes. The same code runs on green sockets
(eventlet/gevent) and plain ones, so it uses only ``recv``/``sendall``.
"""

from __future__ import annotations

import json
import socket
import struct
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

HEADER = struct.Struct("!IBI")
MAX_PAYLOAD = 8 * 1024 * 1024


class Kind(IntEnum):
    """Frame kinds; server→worker below 16, worker→server from 16."""

    OPEN = 1  # {"encoding", "sample_rate", "channels", "offset_ms"}
    AUDIO = 2  # raw bytes
    FINISH = 3  # flush the open utterance, then FINISHED
    ABORT = 4  # drop the stream at once
    READY = 16  # the model is loaded (stream id 0)
    FATAL = 17  # {"code"}: the worker cannot run (stream id 0); it exits
    RESULT = 18  # {"text", "is_final", "start_ms", "end_ms", "confidence", "words"}
    STATUS = 19  # {"state", "reason"}
    FINISHED = 20  # the stream is done; no more frames for it


class FrameError(Exception):
    """The byte stream is not valid framing (a bug or a corrupted peer)."""


@dataclass(frozen=True)
class Frame:
    kind: Kind
    stream_id: int
    payload: bytes = b""

    def json(self) -> Any:
        return json.loads(self.payload.decode("utf-8")) if self.payload else {}


def encode(kind: Kind, stream_id: int, payload: bytes = b"") -> bytes:
    """One frame as bytes."""
    if len(payload) > MAX_PAYLOAD:
        raise FrameError("payload_too_large")
    return HEADER.pack(len(payload), int(kind), stream_id) + payload


def encode_json(kind: Kind, stream_id: int, body: Any) -> bytes:
    return encode(kind, stream_id, json.dumps(body, separators=(",", ":")).encode("utf-8"))


class FrameReader:
    """Incremental parser: feed bytes as they arrive, get whole frames out."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        self._buf += data
        frames: list[Frame] = []
        while len(self._buf) >= HEADER.size:
            length, kind, stream_id = HEADER.unpack_from(self._buf)
            if length > MAX_PAYLOAD:
                raise FrameError("payload_too_large")
            end = HEADER.size + length
            if len(self._buf) < end:
                break
            try:
                frame_kind = Kind(kind)
            except ValueError as exc:
                raise FrameError("unknown_kind") from exc
            frames.append(Frame(frame_kind, stream_id, bytes(self._buf[HEADER.size : end])))
            del self._buf[:end]
        return frames


def read_frames(sock: socket.socket, reader: FrameReader, bufsize: int = 65536) -> list[Frame]:
    """Block until at least one frame or EOF; returns [] only at EOF."""
    while True:
        data = sock.recv(bufsize)
        if not data:
            return []
        frames = reader.feed(data)
        if frames:
            return frames
