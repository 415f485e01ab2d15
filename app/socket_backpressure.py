"""A client that stops reading cannot make the server hold its messages without bound.

Engine.IO queues every outgoing packet of a connection and one writer task per
connection sends them. When the client stops reading (a frozen tab, a link that died
without closing, a machine too busy to keep up), the writer blocks on the full TCP
buffer and the queue grows with every transcript, card and ack until the process runs
out of memory. Past ``limit`` queued packets the connection is closed instead: the
packet is dropped, the client reconnects and resumes its call (docs/protocol.md,
"Resume"), and the stored transcript is there to read back.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def install(socket_class: Any, limit: int) -> None:
    """Bound the send queue of ``socket_class`` (engineio.socket.Socket) at ``limit``."""
    socket_class.send_queue_limit = limit
    if getattr(socket_class, "_bounded_send", False):
        return
    original = socket_class.send

    def send(self: Any, pkt: Any) -> None:
        if self.queue.qsize() < self.send_queue_limit:
            original(self, pkt)
        elif not getattr(self, "_closing_slow_reader", False):
            self._closing_slow_reader = True
            log.warning("socket send queue full; closing", extra={"queued": self.send_queue_limit})
            # Not from here: send runs inside whatever emitted, and close runs the
            # disconnect handlers at once.
            self.server.start_background_task(
                self.close, wait=False, abort=True, reason=self.server.reason.TRANSPORT_ERROR
            )

    socket_class.send = send
    socket_class._bounded_send = True
