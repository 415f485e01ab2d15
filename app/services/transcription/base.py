"""The transcription provider interface.

A provider opens one :class:`TranscriptionStream` per audio source of a call. The live
session feeds it audio in sequence order from a single writer and receives results
through callbacks, which run on the provider's own background tasks (see
``app.services.concurrency``). Callbacks must be cheap; they never block on I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

Encoding = Literal["linear16", "opus", "opus_packets"]
StreamState = Literal["live", "reconnecting", "degraded", "failed", "closed"]


@dataclass(frozen=True)
class AudioFormat:
    """What the client declared in ``call:start``."""

    encoding: Encoding = "linear16"
    sample_rate: int = 16000
    channels: int = 1
    mixed: bool = False  # both voices may be on this channel: ask the provider to diarise


@dataclass(frozen=True)
class Word:
    text: str
    start_ms: int
    end_ms: int
    confidence: float = 1.0
    speaker: int | None = None  # the provider's diarised speaker id, when it diarises


@dataclass(frozen=True)
class TranscriptResult:
    """An interim or final hypothesis; times are ms from the start of this source's audio."""

    text: str
    is_final: bool
    start_ms: int
    end_ms: int
    confidence: float
    words: tuple[Word, ...] = field(default_factory=tuple)
    voice: tuple[float, ...] | None = None  # voice features (local recognizer), for attribution
    alternatives: tuple[str, ...] = ()  # next-best readings of a final, best first; matched only


@dataclass(frozen=True)
class StreamStatus:
    """A change in the health of a stream, e.g. reconnecting after a dropped socket.

    ``reason`` is a stable machine-readable code (documented in docs/protocol.md),
    never exception text.
    """

    state: StreamState
    reason: str | None = None


TranscriptCallback = Callable[[TranscriptResult], None]
StatusCallback = Callable[[StreamStatus], None]


class TranscriptionStream(Protocol):
    def send(self, chunk: bytes) -> None:
        """Queue one audio chunk; never blocks; empty chunks are ignored."""

    def finish(self, timeout: float) -> None:
        """Flush buffered audio, wait up to ``timeout`` s for the last finals, then close."""

    def abort(self) -> None:
        """Close at once, dropping anything not yet transcribed."""


class Transcriber(Protocol):
    """A provider, created once per process by the factory and shared by all calls."""

    name: str

    def open_stream(
        self,
        audio_format: AudioFormat,
        on_result: TranscriptCallback,
        on_status: StatusCallback,
    ) -> TranscriptionStream:
        """Open a stream; raises ``TranscriberUnavailable`` if it cannot be opened at all."""

    def close(self) -> None:
        """Release process-wide resources (worker processes, connections)."""


class TranscriberUnavailable(Exception):
    """A stream could not be opened; ``code`` is a stable reason for ``call:status``."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code
