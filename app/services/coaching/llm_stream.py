"""One streamed forced-tool request, and the scope that can cancel it from another task.

Cancellation works by shutting down the request's socket: closing an ``httpx2`` response
from another thread does not wake a read blocked on it (verified: it waited for the read
timeout), but ``socket.shutdown`` does, in threading mode and under green threads alike.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jiter

PartialCallback = Callable[[dict[str, Any]], None]


class Cancelled(Exception):
    """The turn was cancelled (superseded by a newer turn, call closed, or deadline)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CancelScope:
    """Deadline and cancellation for one turn; shared by its worker and its watchdog."""

    def __init__(self, deadline_s: float) -> None:
        self.deadline_at = time.monotonic() + deadline_s
        self.reason: str | None = None
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._cancelled = threading.Event()
        self._done = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def remaining(self) -> float:
        return max(0.0, self.deadline_at - time.monotonic())

    def cancel(self, reason: str) -> None:
        """Mark cancelled (first reason wins) and unblock any read in progress."""
        with self._lock:
            if self.reason is None:
                self.reason = reason
            self._cancelled.set()
            sock = self._sock
        _shutdown(sock)

    def attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            cancelled = self._cancelled.is_set()
        if cancelled:
            _shutdown(sock)

    def detach(self) -> None:
        with self._lock:
            self._sock = None

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled(self.reason or "cancelled")

    def sleep(self, seconds: float) -> None:
        """Sleep that a cancellation interrupts (used for retry waits)."""
        self._cancelled.wait(max(0.0, seconds))
        self.check()

    def finish(self) -> None:
        self._done.set()

    def watch(self) -> None:
        """Watchdog body: cancel with ``deadline`` unless the turn finishes first."""
        if not self._done.wait(self.remaining()):
            self.cancel("deadline")


def _shutdown(sock: socket.socket | None) -> None:
    if sock is None:
        return
    with contextlib.suppress(OSError):  # already closed: nothing to unblock
        sock.shutdown(socket.SHUT_RDWR)


@dataclass(frozen=True)
class ToolOutcome:
    """What one stream produced: the tool input (None if no tool call) and the stop reason."""

    tool_input: dict[str, Any] | None
    stop_reason: str | None


def parse_partial(buf: bytes) -> dict[str, Any]:
    """Best-effort parse of an incomplete JSON object; trailing strings included."""
    try:
        value = jiter.from_json(buf, partial_mode="trailing-strings")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _socket_of(stream: Any) -> socket.socket | None:
    network_stream = stream.response.extensions.get("network_stream")
    if network_stream is None:
        return None
    sock = network_stream.get_extra_info("socket")
    return sock if isinstance(sock, socket.socket) else None


def stream_tool(
    sdk: Any, params: dict[str, Any], scope: CancelScope, on_partial: PartialCallback
) -> ToolOutcome:
    """Stream one forced tool call, feeding each partial parse of its input to ``on_partial``."""
    stream = sdk.messages.create(**params, stream=True)
    scope.attach(_socket_of(stream))
    buf = bytearray()
    tool_index: int | None = None
    stop_reason: str | None = None
    try:
        with stream:
            for event in stream:
                scope.check()
                if event.type == "content_block_start" and event.content_block.type == "tool_use":
                    tool_index = event.index
                elif event.type == "content_block_delta" and event.index == tool_index:
                    if event.delta.type == "input_json_delta" and event.delta.partial_json:
                        buf += event.delta.partial_json.encode()
                        on_partial(parse_partial(bytes(buf)))
                elif event.type == "message_delta":
                    stop_reason = event.delta.stop_reason
    finally:
        scope.detach()
    scope.check()
    if tool_index is None:
        return ToolOutcome(None, stop_reason)
    value = jiter.from_json(bytes(buf)) if buf else {}
    return ToolOutcome(value if isinstance(value, dict) else None, stop_reason)
