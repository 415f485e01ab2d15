"""Graceful shutdown of a serving process: drain live calls, then exit.

The SIGTERM handler (installed by ``app.serving``) only flips a flag: a signal handler
may run inside the event loop of a green-thread server, where blocking is forbidden. A
background task watches the flag and drains: ``call:start`` answers ``shutting_down``,
every stream is flushed and its last finals stored, clients are told to reconnect
(``call:status`` reconnecting / ``server_restart``), the calls are left resumable on
another worker (their lease is released) and the process exits.

Clients are *not* disconnected politely: a server-side disconnect stops Socket.IO
clients from reconnecting on their own, while a closed transport makes them reconnect
(through the proxy, to another worker) and resume with ``resume_call_id``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from app.container import Services, get_services

log = logging.getLogger(__name__)
EXIT_MARGIN_S = 1.0  # of SHUTDOWN_TIMEOUT_S kept for closing the process itself
POLL_S = 0.2
SEND_PAUSE_S = 0.5  # lets the server tasks write the last call:status out before exit


class GracefulShutdown:
    """Drains one app's live calls once :meth:`request` has been called."""

    def __init__(
        self, app: Flask, timeout_s: float, exit_fn: Callable[[int], Any], poll_s: float = POLL_S
    ) -> None:
        self.app = app
        self.timeout_s = timeout_s
        self.exit_fn = exit_fn
        self.poll_s = poll_s
        self.requested = False
        self.drained: list[str] | None = None

    def request(self, *_signal_args: Any) -> None:
        """Signal-handler safe: sets a flag and nothing else."""
        self.requested = True

    def watch(self) -> None:
        """Background task: wait for a request, drain, then exit the process."""
        while not self.requested:
            time.sleep(self.poll_s)
        code = 0
        try:
            self.drain()
        except Exception:  # exit anyway: the hard deadline would kill us later
            log.exception("graceful shutdown failed")
            code = 1
        time.sleep(SEND_PAUSE_S)
        self.exit_fn(code)

    def drain(self) -> list[str]:
        """Refuse new calls, flush and store every live call, release their leases."""
        started = time.monotonic()
        services = get_services(self.app)
        sessions = services.sessions
        sessions.draining = True
        log.info("shutting down: draining live calls", extra={"calls": len(sessions.calls)})
        self.drained = sessions.shutdown(max(0.5, self.timeout_s - EXIT_MARGIN_S))
        _close_transcriber(services)
        log.info(
            "shutdown drained",
            extra={
                "calls": len(self.drained),
                "ms": round((time.monotonic() - started) * 1000),
            },
        )
        return self.drained


def _close_transcriber(services: Services) -> None:
    """Stop process-wide provider resources (e.g. local recognizer worker processes)."""
    transcriber = services.transcriber
    if transcriber is None:
        return
    try:
        transcriber.close()
    except Exception:  # noqa: BLE001 - exiting anyway
        log.warning("transcriber close failed during shutdown")
