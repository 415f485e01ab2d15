"""How often a recognition worker decodes partials: the configured cadence while it keeps
up, stretched while it is busy, so partials never crowd out the finals."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 4.0  # the recent past over which the worker's load is measured


class PartialPacer:
    """Tracks the share of wall time the worker spent decoding over the last ``WINDOW_S``."""

    def __init__(self, busy_share: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._share = max(0.05, busy_share)
        self._clock = clock
        self._passes: deque[tuple[float, float]] = deque()  # (end, seconds decoding)

    def now(self) -> float:
        return self._clock()

    def record(self, start: float) -> None:
        """One decode pass that began at ``start`` (a ``now()`` reading) has ended."""
        end = self._clock()
        self._passes.append((end, end - start))

    def load(self) -> float:
        """Share of the window spent decoding (0 idle, 1 decoding all the time)."""
        horizon = self._clock() - WINDOW_S
        while self._passes and self._passes[0][0] < horizon:
            self._passes.popleft()
        return min(1.0, sum(seconds for _, seconds in self._passes) / WINDOW_S)

    def stretch(self) -> float:
        """Factor on the partial interval: 1 up to the busy share, then load / share."""
        return max(1.0, self.load() / self._share)
