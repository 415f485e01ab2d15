"""Deepgram streaming speech-to-text through the official SDK (deepgram-sdk 7.x).

One :class:`DeepgramTranscriber` per process holds one SDK client and a cap on
concurrent streams; each call source gets a :class:`DeepgramStream` (see
``stream``) that connects in the background and reports its health through
``on_status``: ``live``, ``reconnecting`` (``provider_disconnected``), ``degraded``
(``provider_unreachable`` / ``provider_rate_limited``) or ``failed``
(``provider_auth_failed`` / ``provider_rejected`` / ``provider_error``).
"""

from __future__ import annotations

import logging
import threading

from deepgram import DeepgramClient, DeepgramClientEnvironment

from app.services.concurrency import spawn
from app.services.transcription.base import (
    AudioFormat,
    StatusCallback,
    TranscriberUnavailable,
    TranscriptCallback,
    TranscriptionStream,
)
from app.services.transcription.deepgram.connection import Attempt, Failure, run_connection
from app.services.transcription.deepgram.settings import DeepgramSettings
from app.services.transcription.deepgram.stream import DeepgramStream, connect_params

log = logging.getLogger(__name__)


class DeepgramTranscriber:
    """The ``Transcriber`` for Deepgram; constructing it opens no connection."""

    name = "deepgram"

    def __init__(self, settings: DeepgramSettings) -> None:
        self._settings = settings
        self._client = DeepgramClient(
            api_key=settings.api_key,
            environment=DeepgramClientEnvironment(
                base=settings.http_base_url(),
                production=settings.base_url,
                agent=settings.base_url,
                agent_rest=settings.http_base_url(),
            ),
        )
        self._lock = threading.Lock()
        self._streams: set[DeepgramStream] = set()
        self._closed = False

    @property
    def active_streams(self) -> int:
        with self._lock:
            return len(self._streams)

    def open_stream(
        self,
        audio_format: AudioFormat,
        on_result: TranscriptCallback,
        on_status: StatusCallback,
    ) -> TranscriptionStream:
        """Start a stream now (it connects in the background); raises when over capacity."""
        holder: list[DeepgramStream] = []
        stream = DeepgramStream(
            self._client,
            self._settings,
            audio_format,
            (on_result, on_status),
            on_done=lambda: self._release(holder[0]),
        )
        holder.append(stream)
        with self._lock:
            if self._closed:
                raise TranscriberUnavailable("provider_closed")
            if len(self._streams) >= self._settings.max_streams:
                log.warning("deepgram stream refused", extra={"reason": "provider_capacity"})
                raise TranscriberUnavailable("provider_capacity")
            self._streams.add(stream)
        stream.start()
        return stream

    def probe(self) -> None:
        """One handshake with the configured key, closed at once (no audio is sent);
        raises ``TranscriberUnavailable`` with the reason if Deepgram refuses or is silent."""
        cond = threading.Condition()
        attempt = Attempt(cond)
        params = connect_params(self._settings, AudioFormat())
        spawn(run_connection, self._client, params, attempt, lambda _m: None, name="dg-probe")
        with cond:
            cond.wait_for(lambda: not attempt.pending, timeout=self._settings.connect_timeout_s)
            if attempt.pending:
                attempt.abandon()
        attempt.close()
        if not attempt.opened:
            raise TranscriberUnavailable((attempt.failure or Failure.UNREACHABLE).value)

    def close(self) -> None:
        """Abort every open stream and refuse new ones."""
        with self._lock:
            self._closed = True
            streams = list(self._streams)
        for stream in streams:
            stream.abort()

    def _release(self, stream: DeepgramStream) -> None:
        with self._lock:
            self._streams.discard(stream)
