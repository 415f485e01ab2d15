"""Rep monologues: continuous rep speech not interrupted by the prospect.

Rep talk segments separated by a pause of at most ``gap_ms`` join one monologue;
prospect speech of at least ``interruption_min_ms`` inside or after it ends it (short
back-channels such as "mm-hmm" do not). The two sources' finals arrive independently,
so a prospect interruption may arrive after later rep speech was already merged: the
open monologue is then split at the interruption.
"""

from __future__ import annotations

from typing import Any

from app.services.coaching.speech import Span

MAX_OPEN_SEGMENTS = 500  # bound memory on a very long monologue


class MonologueTracker:
    def __init__(self, gap_ms: int, interruption_min_ms: int) -> None:
        self._gap_ms = gap_ms
        self._interruption_min_ms = interruption_min_ms
        self._segments: list[Span] = []  # rep segments of the open monologue
        self._end = 0
        self._last_interruption: int | None = None  # latest interruption start
        self._longest_closed_ms = 0

    @property
    def _start(self) -> int:
        return self._segments[0][0]

    def add_rep(self, segment: Span) -> None:
        """A rep talk segment; it extends the open monologue or starts a new one."""
        if self._segments and self._breaks_before(segment[0]):
            self._close(self._segments)
            self._segments = []
        if not self._segments:
            self._end = segment[1]
        self._segments.append(segment)
        self._segments.sort()
        self._end = max(self._end, segment[1])
        if len(self._segments) > MAX_OPEN_SEGMENTS:
            first, second = self._segments[0], self._segments[1]
            self._segments[:2] = [(first[0], max(first[1], second[1]))]

    def add_prospect(self, segment: Span) -> None:
        """A prospect talk segment; long enough, it ends (or splits) the open monologue."""
        start, end = segment
        if end - start < self._interruption_min_ms:
            return
        if self._last_interruption is None or start > self._last_interruption:
            self._last_interruption = start
        if self._segments and self._start < start < self._end:
            before = [s for s in self._segments if s[0] < start]
            after = [s for s in self._segments if s[0] >= start]
            self._close(before)
            self._segments = after
            self._end = max((s[1] for s in after), default=0)

    def _breaks_before(self, start: int) -> bool:
        if start - self._end > self._gap_ms:
            return True
        return self._last_interruption is not None and self._last_interruption > self._start

    def _close(self, segments: list[Span]) -> None:
        if segments:
            length = max(s[1] for s in segments) - segments[0][0]
            self._longest_closed_ms = max(self._longest_closed_ms, length)

    def open_ms(self) -> int:
        """Length of the open monologue, whether or not it is still going."""
        return self._end - self._start if self._segments else 0

    def current_ms(self, now_ms: int) -> int:
        """The monologue going on at ``now_ms`` (0 after a long pause or an interruption)."""
        if not self._segments or now_ms - self._end > self._gap_ms:
            return 0
        if self._last_interruption is not None and self._last_interruption > self._start:
            return 0
        return self.open_ms()

    def snapshot(self) -> dict[str, Any]:
        return {
            "segments": [list(s) for s in self._segments],
            "end": self._end,
            "last_interruption": self._last_interruption,
            "longest_closed_ms": self._longest_closed_ms,
        }

    def restore(self, data: dict[str, Any]) -> None:
        self._segments = [(int(a), int(b)) for a, b in data["segments"]]
        self._end, self._last_interruption = int(data["end"]), data["last_interruption"]
        self._longest_closed_ms = int(data["longest_closed_ms"])

    def longest_ms(self) -> int:
        return max(self._longest_closed_ms, self.open_ms())
