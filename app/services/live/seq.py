"""Orders one source's audio chunks by sequence number.

Socket.IO handlers run concurrently, so chunks can arrive out of order. Each source
has one :class:`SeqOrderer`; callers hold the source's lock while pushing, and forward
what :meth:`push` releases, so exactly one writer feeds each transcription stream.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)
REORDER_WINDOW = 16  # chunks held while waiting for a missing one (~1.6 s of 100 ms chunks)


@dataclass
class PushResult:
    released: list[bytes]
    duplicate: bool = False
    gap: int = 0  # chunks skipped because they never arrived within the window


@dataclass
class SeqOrderer:
    """``next_seq=None`` means "not known yet" (a call revived on a new worker whose client
    did not say where it resumes): chunks are held until the window fills, then the lowest
    one received is the start, since a resend burst may arrive out of order."""

    next_seq: int | None = 0
    window: int = REORDER_WINDOW
    pending: dict[int, bytes] = field(default_factory=dict)

    def push(self, seq: int, chunk: bytes) -> PushResult:
        """Accept chunk ``seq``; release every chunk that is now in order."""
        if self.next_seq is None:
            return self._push_unknown_start(seq, chunk)
        if seq < self.next_seq or seq in self.pending:
            return PushResult([], duplicate=True)
        self.pending[seq] = chunk
        gap = 0
        if len(self.pending) > self.window:
            first = min(self.pending)
            gap, self.next_seq = first - self.next_seq, first
        return PushResult(self._release(), gap=gap)

    def _push_unknown_start(self, seq: int, chunk: bytes) -> PushResult:
        if seq in self.pending:
            return PushResult([], duplicate=True)
        self.pending[seq] = chunk
        if len(self.pending) < self.window:
            return PushResult([])
        self.next_seq = min(self.pending)
        return PushResult(self._release())

    def _release(self) -> list[bytes]:
        assert self.next_seq is not None
        released = []
        while self.next_seq in self.pending:
            released.append(self.pending.pop(self.next_seq))
            self.next_seq += 1
        return released

    def flush(self) -> PushResult:
        """Release everything held, skipping gaps (used when the call stops)."""
        released, gap = [], 0
        if self.next_seq is None:
            self.next_seq = min(self.pending, default=0)
        for seq in sorted(self.pending):
            gap += seq - self.next_seq
            released.append(self.pending.pop(seq))
            self.next_seq = seq + 1
        return PushResult(released, gap=gap)
