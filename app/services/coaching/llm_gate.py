"""Which teams have LLM coaching switched off after a spend-limit error (docs/security.md, row F7).

One process-wide instance, created by the factory and shared by every call's LLM coach.
A team is re-enabled automatically after ``reset_after_s``.
The state is per process (with several workers, each learns the limit on its own first
failed request, which is then not retried).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TeamLlmGate:
    """Thread-safe registry of teams whose LLM coaching is off until a reset time."""

    def __init__(
        self, reset_after_s: float = 3600.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.reset_after_s = reset_after_s
        self._clock = clock
        self._lock = threading.Lock()
        self._off: dict[str, tuple[str, float]] = {}

    def disable(self, team_id: str, reason: str) -> None:
        with self._lock:
            self._off.setdefault(team_id, (reason, self._clock()))

    def is_disabled(self, team_id: str) -> bool:
        with self._lock:
            return self._expire(team_id) is not None

    def _expire(self, team_id: str) -> tuple[str, float] | None:
        entry = self._off.get(team_id)
        if entry is not None and self._clock() - entry[1] >= self.reset_after_s:
            del self._off[team_id]
            return None
        return entry
