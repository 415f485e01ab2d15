"""Audio bookkeeping for one Deepgram stream: stream-time stamps, replay buffer, timelines.

Every chunk is stamped with its place on the stream's timeline (ms from the start of this
source's audio) when it is queued. A Deepgram connection numbers its own audio from zero,
so each connection keeps a piecewise map from its clock to the stream's; replayed audio
after a reconnect and gaps from dropped chunks therefore keep results on one timeline.

For linear16 the stamps are exact (bytes / byte rate). For Opus/WebM the byte rate is
unknown, so a chunk's duration is approximated by the time between arrivals.
"""

from __future__ import annotations

import bisect
import time
from collections import deque
from dataclasses import dataclass

from app.services.transcription.base import AudioFormat


@dataclass(frozen=True)
class StampedChunk:
    """Audio with its span on the stream timeline, in ms."""

    data: bytes
    start_ms: float
    end_ms: float

    @property
    def duration_ms(self) -> float:
        return self.end_ms - self.start_ms


class AudioClock:
    """Stamps chunks in arrival order; dropped chunks still advance the clock."""

    def __init__(self, audio_format: AudioFormat) -> None:
        self._pcm = audio_format.encoding == "linear16"
        self.frame_bytes = 2 * max(1, audio_format.channels)
        self.bytes_per_ms = audio_format.sample_rate * self.frame_bytes / 1000.0
        self._position_ms = 0.0
        self._opened = time.monotonic()

    @property
    def is_pcm(self) -> bool:
        return self._pcm

    def stamp(self, data: bytes) -> StampedChunk:
        start = self._position_ms
        if self._pcm:
            end = start + len(data) / self.bytes_per_ms
        else:
            end = max(start, (time.monotonic() - self._opened) * 1000.0)
        self._position_ms = end
        return StampedChunk(data, start, end)

    def slice_from(self, chunk: StampedChunk, from_ms: float) -> StampedChunk:
        """The part of a PCM chunk from ``from_ms`` on, cut on a sample frame."""
        if not self._pcm or from_ms <= chunk.start_ms:
            return chunk
        cut = int((from_ms - chunk.start_ms) * self.bytes_per_ms)
        cut -= cut % self.frame_bytes
        return StampedChunk(
            chunk.data[cut:], chunk.start_ms + cut / self.bytes_per_ms, chunk.end_ms
        )


class ReplayBuffer:
    """Audio sent on the current connection and not yet covered by a final."""

    def __init__(self, max_ms: float) -> None:
        self._max_ms = max_ms
        self._chunks: deque[StampedChunk] = deque()

    def add(self, chunk: StampedChunk) -> float:
        """Keep ``chunk``; returns the ms of older audio dropped to respect the bound."""
        self._chunks.append(chunk)
        dropped = 0.0
        while self._chunks and chunk.end_ms - self._chunks[0].start_ms > self._max_ms:
            dropped += self._chunks.popleft().duration_ms
        return dropped

    def trim(self, covered_ms: float) -> None:
        """Forget audio that a final already covers."""
        while self._chunks and self._chunks[0].end_ms <= covered_ms:
            self._chunks.popleft()

    def pending(self, clock: AudioClock, covered_ms: float) -> list[StampedChunk]:
        """Chunks to replay on a new connection, the first cut at ``covered_ms``."""
        self.trim(covered_ms)
        chunks = list(self._chunks)
        if chunks:
            chunks[0] = clock.slice_from(chunks[0], covered_ms)
        return [c for c in chunks if c.data]

    def clear(self) -> None:
        self._chunks.clear()


class ConnectionTimeline:
    """Maps one connection's audio clock (s) to the stream timeline (ms).

    The sender records chunks while the listener maps results; each segment is appended
    as one tuple, so a reader never sees half a segment.
    """

    def __init__(self) -> None:
        self._segments: list[tuple[float, float]] = []  # (connection ms, stream ms)
        self._conn_pos_ms = 0.0
        self._stream_end_ms: float | None = None

    def record(self, chunk: StampedChunk) -> None:
        """Note that ``chunk`` was sent next on this connection."""
        if self._stream_end_ms is None or abs(chunk.start_ms - self._stream_end_ms) > 0.5:
            self._segments.append((self._conn_pos_ms, chunk.start_ms))
        self._conn_pos_ms += chunk.duration_ms
        self._stream_end_ms = chunk.end_ms

    def to_stream_ms(self, conn_seconds: float) -> int:
        conn_ms = conn_seconds * 1000.0
        segments = self._segments
        if not segments:
            return round(conn_ms)
        i = max(0, bisect.bisect_right(segments, conn_ms, key=lambda s: s[0]) - 1)
        conn_start, stream_start = segments[i]
        return round(stream_start + conn_ms - conn_start)
