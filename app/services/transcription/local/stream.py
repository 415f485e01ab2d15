"""One stream on the local recognizer: what the live call sends and what comes back.

The stream queues frames on its worker slot and hears back through ``WorkerEvents``
(see ``link``); the slot only ever holds the stream's ``StreamLink``.
"""

from __future__ import annotations

import logging
import threading

from app.services.transcription.base import (
    AudioFormat,
    StatusCallback,
    StreamStatus,
    TranscriptCallback,
    TranscriptResult,
    Word,
)
from app.services.transcription.local.framing import Frame, Kind, encode
from app.services.transcription.local.link import StreamLink
from app.services.transcription.local.pool import WorkerSlot

log = logging.getLogger(__name__)


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
        self.link = StreamLink(sid, audio_format, self)
        self._slot = slot
        self._on_result = on_result
        self._on_status = on_status
        self._dead = False
        self._backlog_reported = False
        self._done = threading.Event()

    def send(self, chunk: bytes) -> None:
        link = self.link
        if not chunk or link.closed or self._dead or link.finishing:
            return
        if not self._slot.enqueue(encode(Kind.AUDIO, self.sid, chunk), link, len(chunk)):
            if not self._backlog_reported:
                self._backlog_reported = True
                self._status(StreamStatus("degraded", "asr_backlog"))
        elif self._backlog_reported:
            self._backlog_reported = False
            self._status(StreamStatus("live", None))

    def finish(self, timeout: float) -> None:
        if self.link.closed:
            return
        if not self._dead:
            self.link.finishing = True
            self._slot.enqueue(self.link.finish_frame())
            if not self._done.wait(timeout):
                log.warning("asr_finish_timeout", extra={"stream": self.sid})
                self._slot.enqueue(encode(Kind.ABORT, self.sid))
        self._close()

    def abort(self) -> None:
        if self.link.closed:
            return
        self._close()
        if not self._dead:
            self._slot.enqueue(encode(Kind.ABORT, self.sid))

    def _close(self) -> None:
        self.link.closed = True
        self._slot.detach(self.sid)

    # --- WorkerEvents, called on the slot's reader task ------------------------------------
    def deliver(self, frame: Frame) -> None:
        if frame.kind == Kind.FINISHED:
            self._done.set()
        elif frame.kind == Kind.RESULT and not self.link.closed:
            self._result(frame.json())
        elif frame.kind == Kind.STATUS:
            body = frame.json()
            if body.get("state") == "failed":
                self._dead = True
            self._status(StreamStatus(body.get("state", "degraded"), body.get("reason")))

    def interrupted(self, reason: str) -> None:
        self._status(StreamStatus("reconnecting", reason))

    def reconnected(self) -> None:
        self._status(StreamStatus("live", "asr_worker_restarted"))

    def failed(self, reason: str) -> None:
        self._dead = True
        self._status(StreamStatus("failed", reason))
        self._done.set()

    def _result(self, body: dict) -> None:
        words = tuple(Word(w[0], int(w[1]), int(w[2]), float(w[3])) for w in body["words"])
        result = TranscriptResult(
            body["text"],
            bool(body["is_final"]),
            int(body["start_ms"]),
            int(body["end_ms"]),
            float(body["confidence"]),
            words,
            tuple(body["voice"]) if body.get("voice") else None,
            tuple(str(text) for text in body.get("alternatives", ())),
        )
        try:
            self._on_result(result)
        except Exception:  # noqa: BLE001 - a consumer bug must not kill the reader task
            log.error("asr_result_callback_failed", extra={"stream": self.sid})

    def _status(self, status: StreamStatus) -> None:
        if self.link.closed:
            return
        try:
            self._on_status(status)
        except Exception:  # noqa: BLE001
            log.error("asr_status_callback_failed", extra={"stream": self.sid})
