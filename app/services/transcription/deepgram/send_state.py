"""What a Deepgram stream and its pump share: the send queue and the flags about it.

The stream (``send``/``finish``/``abort`` and the session task) writes here; the pump
(the one writer of a connected socket) reads the queue and the flags and records what it
sent. Every read and write of the mutable fields happens under ``cond``, which is also
the single thing anyone waits on, so each wake-up reason is seen in one place.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from app.services.transcription.deepgram.timeline import AudioClock, ReplayBuffer, StampedChunk

log = logging.getLogger(__name__)


@dataclass
class SendState:
    """Audio waiting to be sent, what was sent, and whether to finish or stop."""

    clock: AudioClock
    replay: ReplayBuffer
    covered_ms: Callable[[], float]  # end (stream ms) of the audio finals have covered
    cond: threading.Condition = field(default_factory=threading.Condition)
    queue: deque[StampedChunk] = field(default_factory=deque)
    header: bytes | None = None  # Opus/WebM: the container header, resent on reconnect
    sent_audio: bool = False
    finishing: bool = False
    stop_now: bool = False
    gap_open: bool = False

    def note_gap(self, dropped_ms: float, reason: str) -> None:
        """Audio was dropped; log once per gap, not once per chunk."""
        if not self.gap_open:
            log.warning("deepgram audio dropped", extra={"reason": reason, "ms": int(dropped_ms)})
        self.gap_open = True

    def gap_closed(self) -> None:
        self.gap_open = False
