"""The background janitor of a worker's live calls, their leases, and the drain on stop.

Every second it ends calls whose owner stayed detached past the grace period; every
``COACHING_SNAPSHOT_SECONDS`` it saves the coaching state of calls whose coach changed;
every lease heartbeat it renews this worker's leases and ends other workers' orphans.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from flask import Flask

from app.events import CallState
from app.services.concurrency import spawn
from app.services.live import leases
from app.services.live.call import LiveCall
from app.services.live.coaching_state import CoachingStates
from app.services.live.writer import UtteranceWriter

log = logging.getLogger(__name__)


class HeldCalls(Protocol):
    """What the janitor needs from the manager of this worker's calls."""

    def held_ids(self) -> set[str]: ...

    def detached_before(self, cutoff: float) -> list[LiveCall]: ...

    def end(self, live: LiveCall, state: CallState) -> float: ...

    def after_end(self, call_id: str) -> None: ...

    def save_coaching_states(self, force: bool = False) -> int: ...


class Janitor:
    def __init__(
        self, app: Flask, calls: HeldCalls, grace_seconds: float, snapshot_s: float
    ) -> None:
        self.app, self.calls, self.grace_seconds = app, calls, grace_seconds
        self.snapshot_s = snapshot_s
        self.running = False

    def start(self) -> None:
        if not self.running:
            self.running = True
            spawn(self._loop, name="live-call-janitor")

    def stop(self) -> None:
        self.running = False

    def _loop(self) -> None:
        last_lease = last_snapshot = 0.0
        while self.running:
            time.sleep(min(1.0, self.snapshot_s))
            if not self.running:
                return
            try:
                self.expire_detached(time.monotonic())
                if time.monotonic() - last_snapshot >= self.snapshot_s:
                    last_snapshot = time.monotonic()
                    self.calls.save_coaching_states()
                if time.monotonic() - last_lease >= leases.HEARTBEAT_S:
                    last_lease = time.monotonic()
                    self.refresh_leases()
            except Exception:  # the janitor must survive anything (e.g. database down)
                log.exception("live-call janitor failed")

    def refresh_leases(self) -> list[str]:
        """Renew this worker's leases and end other calls whose owner is gone."""
        held = self.calls.held_ids()
        with self.app.app_context():
            leases.refresh(sorted(held))
            expired = leases.expire_orphans(self.grace_seconds, held)
            for call_id in expired:
                log.info("call interrupted: lease expired", extra={"call_id": call_id})
                self.calls.after_end(call_id)
        return expired

    def expire_detached(self, now: float) -> int:
        expired = self.calls.detached_before(now - self.grace_seconds)
        for live in expired:
            log.info("call interrupted after grace", extra={"call_id": live.call_id})
            self.calls.end(live, CallState.INTERRUPTED)
        return len(expired)


def drain(
    app: Flask,
    calls: list[LiveCall],
    stores: tuple[UtteranceWriter, CoachingStates],
    timeout: float,
) -> None:
    """Flush every stream, store the last finals and every coach's state, leave the calls
    resumable (lease released), then tell clients to reconnect (to another worker).

    Clients hear ``reconnecting`` only once their finals are stored and the call is
    marked resumable, so a fast resume elsewhere cannot race the stored state."""
    writer, states = stores
    deadline = time.monotonic() + timeout
    for live in calls:
        live.finish_streams(max(0.5, (deadline - time.monotonic()) / 2))
        if live.coach:
            live.coach.close()
    writer.stop(max(0.5, deadline - time.monotonic()))
    states.save(calls, force=True)
    with app.app_context():
        leases.mark_reconnecting([live.call_id for live in calls])
    for live in calls:
        live.emit_status(CallState.RECONNECTING, "server_restart")
        live.closed = True
