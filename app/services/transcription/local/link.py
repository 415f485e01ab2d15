"""What a local stream and its worker slot share: the stream's id, format and flags.

The slot (one worker process) holds a ``StreamLink`` per stream it serves, never the
stream itself: it builds the stream's OPEN/FINISH frames from the link when it (re)opens
it on a worker, counts the audio bytes it queued, and tells the stream what happened
through the small ``WorkerEvents`` interface the stream implements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.services.transcription.base import AudioFormat
from app.services.transcription.local.framing import Frame, Kind, encode, encode_json


class WorkerEvents(Protocol):
    """What a slot tells a stream, on the slot's reader task."""

    def deliver(self, frame: Frame) -> None:
        """A frame from the worker about this stream (result, status, finished)."""

    def interrupted(self, reason: str) -> None:
        """The worker died; the stream is being re-opened on its replacement."""

    def reconnected(self) -> None:
        """The replacement worker is ready and has the stream again."""

    def failed(self, reason: str) -> None:
        """The stream cannot go on (no worker, or audio that cannot be resumed)."""


@dataclass
class StreamLink:
    """One stream as its slot sees it."""

    sid: int
    audio_format: AudioFormat
    events: WorkerEvents
    bytes_sent: int = 0  # audio queued so far: a re-opened PCM stream resumes at this offset
    finishing: bool = False
    closed: bool = False
    reconnecting: bool = False

    @property
    def resumable(self) -> bool:
        """PCM can continue on a new worker; a WebM stream cannot be picked up mid-way."""
        return self.audio_format.encoding == "linear16" and not self.closed

    def open_frame(self) -> bytes:
        fmt = self.audio_format
        rate, channels = fmt.sample_rate, fmt.channels
        offset_ms = self.bytes_sent * 1000 // (2 * channels * rate)
        body = {
            "encoding": fmt.encoding,
            "sample_rate": rate,
            "channels": channels,
            "offset_ms": offset_ms if fmt.encoding == "linear16" else 0,
        }
        return encode_json(Kind.OPEN, self.sid, body)

    def finish_frame(self) -> bytes:
        return encode(Kind.FINISH, self.sid)
