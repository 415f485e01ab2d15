"""A connection whose client stops reading is closed once its send queue is full."""

from __future__ import annotations

import queue
from typing import Any

import engineio.socket
from engineio.base_server import BaseServer

from app import socket_backpressure


class FakeServer:
    reason = BaseServer.reason

    def __init__(self) -> None:
        self.tasks: list[tuple[Any, dict[str, Any]]] = []

    def start_background_task(self, fn: Any, **kwargs: Any) -> None:
        self.tasks.append((fn, kwargs))


class FakeSocket:
    def __init__(self) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.server = FakeServer()
        self.closed_with: dict[str, Any] | None = None

    def send(self, pkt: str) -> None:
        self.queue.put(pkt)

    def close(self, **kwargs: Any) -> None:
        self.closed_with = kwargs


def test_packets_past_the_limit_are_dropped_and_the_connection_closed_once() -> None:
    socket_backpressure.install(FakeSocket, limit=3)
    sock = FakeSocket()
    for n in range(6):
        sock.send(f"p{n}")
    assert list(sock.queue.queue) == ["p0", "p1", "p2"]
    assert len(sock.server.tasks) == 1  # one close, however many packets overflow
    close, kwargs = sock.server.tasks[0]
    close(**kwargs)
    assert sock.closed_with == {"wait": False, "abort": True, "reason": "transport error"}


def test_a_reader_that_catches_up_gets_every_packet() -> None:
    socket_backpressure.install(FakeSocket, limit=2)
    sock = FakeSocket()
    for n in range(5):
        sock.send(f"p{n}")
        sock.queue.get()  # the writer sent it
    assert sock.server.tasks == []


def test_the_app_bounds_engineio_sockets_with_the_configured_limit(app: Any) -> None:
    assert engineio.socket.Socket.send_queue_limit == 2000  # SOCKET_SEND_QUEUE_MAX default
