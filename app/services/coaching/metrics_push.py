"""The live coach's metrics push cadence: at most one push per interval.

A change that arrives sooner than ``interval_s`` after the last push schedules one
deferred push, which carries the latest state when it runs (if anything changed since).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.services.coaching.coach_parts import Scheduler


class MetricsPush:
    """Rate-limits ``send`` (one metrics payload) to once per ``interval_s``."""

    def __init__(
        self,
        send: Callable[[], None],
        interval_s: float,
        clock: Callable[[], float],
        schedule: Scheduler,
        lock: threading.RLock,
        is_open: Callable[[], bool],
    ) -> None:
        self._send = send
        self._interval_s = interval_s
        self._clock = clock
        self._schedule = schedule
        self._lock = lock
        self._is_open = is_open
        self._last: float | None = None
        self._pending = False
        self.dirty = False  # a change not pushed yet

    def changed(self) -> None:
        """Something in the payload changed: push now or once the interval has passed."""
        self.dirty = True
        self.maybe_push()

    def maybe_push(self) -> None:
        """Push if the interval has passed, else schedule one deferred push."""
        now = self._clock()
        if self._last is None or now - self._last >= self._interval_s:
            self.push(now)
        elif not self._pending:
            self._pending = True
            self._schedule(self._last + self._interval_s - now, self._deferred)

    def push(self, now: float | None = None) -> None:
        """Push at once, whatever the cadence."""
        self._last = self._clock() if now is None else now
        self.dirty = False
        self._send()

    def _deferred(self) -> None:
        with self._lock:
            self._pending = False
            if self._is_open() and self.dirty:
                self.maybe_push()
