"""One Deepgram live stream: a bounded send queue, one writer task, reconnects.

``send`` only enqueues. A single session task owns the socket: it connects, replays audio
not yet covered by a final, sends queued audio (KeepAlive while none flows), and on a drop
reconnects with capped exponential backoff. Results are read on the connection's own task.
The queue and its flags live in a ``SendState`` shared with the pump; all waiting goes
through its one ``threading.Condition`` so every wake-up reason (audio, finish, abort,
hand-over, socket closed) is seen in one place.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from deepgram import DeepgramClient

from app.services.concurrency import spawn
from app.services.transcription.base import (
    AudioFormat,
    StatusCallback,
    StreamState,
    StreamStatus,
    TranscriptCallback,
)
from app.services.transcription.deepgram.connection import (
    Attempt,
    Failure,
    run_connection,
)
from app.services.transcription.deepgram.pump import Pump, PumpEnd
from app.services.transcription.deepgram.results import ResultMapper
from app.services.transcription.deepgram.send_state import SendState
from app.services.transcription.deepgram.settings import DeepgramSettings
from app.services.transcription.deepgram.timeline import (
    AudioClock,
    ConnectionTimeline,
    ReplayBuffer,
)

log = logging.getLogger(__name__)

_LISTENER_DRAIN_S = 1.0  # how long to let the reader finish after a drop before replaying
_CLOSE_BAD_AUDIO = 1008  # Deepgram's close code for audio it cannot decode (DATA-0000)


class DeepgramStream:
    """Implements ``TranscriptionStream`` for Deepgram."""

    def __init__(
        self,
        client: DeepgramClient,
        settings: DeepgramSettings,
        audio_format: AudioFormat,
        callbacks: tuple[TranscriptCallback, StatusCallback],
        on_done: Callable[[], None],
    ) -> None:
        self._client, self._settings, self._on_done = client, settings, on_done
        self._params = connect_params(settings, audio_format)
        self._on_status = callbacks[1]
        self._mapper = mapper = ResultMapper(callbacks[0])
        self._shared = SendState(
            AudioClock(audio_format),
            ReplayBuffer(settings.replay_buffer_s * 1000.0),
            covered_ms=lambda: mapper.covered_ms,
        )
        self._drop_pending = False
        self._done = threading.Event()
        self._state: StreamStatus | None = None
        self._epoch = 0

    def start(self) -> None:
        spawn(self._run, name="deepgram-stream")

    # --- TranscriptionStream -------------------------------------------------------------
    def send(self, chunk: bytes) -> None:
        if not chunk:
            return
        s = self._shared
        with s.cond:
            if s.finishing or s.stop_now or self._done.is_set():
                return
            if s.header is None and not s.clock.is_pcm:
                s.header = chunk
            s.queue.append(s.clock.stamp(chunk))
            if len(s.queue) > self._settings.send_queue_max_chunks:
                s.note_gap(s.queue.popleft().duration_ms, "send_queue_full")
            s.cond.notify_all()

    def finish(self, timeout: float) -> None:
        with self._shared.cond:
            self._shared.finishing = True
            self._shared.cond.notify_all()
        if not self._done.wait(max(0.0, timeout)):
            log.warning("deepgram finish timed out", extra={"timeout_s": timeout})
            with self._shared.cond:
                self._shared.stop_now = True
                self._shared.cond.notify_all()

    def abort(self) -> None:
        with self._shared.cond:
            self._shared.stop_now = self._drop_pending = True
            self._shared.cond.notify_all()

    # --- session task ---------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._session()
        except Exception as exc:  # noqa: BLE001 - never let the writer die silently
            log.error("deepgram stream crashed", extra={"error": type(exc).__name__})
            self._set_status("failed", "provider_error")
        finally:
            if self._drop_pending:
                self._mapper.discard()
            self._mapper.flush()
            self._done.set()
            self._on_done()

    def _session(self) -> None:
        failures = quiet_drops = 0
        while not self._should_stop():
            attempt, timeline = self._connect()
            if self._shared.stop_now:
                attempt.close()
                return
            if not attempt.opened:
                failures += 1
                if not self._handle_failure(attempt.failure or Failure.UNREACHABLE, failures):
                    return
                continue
            failures = 0
            self._set_status("live")
            end = Pump(self._shared, attempt, timeline, self._settings.keepalive_interval_s).run()
            self._after_connection(attempt)
            if end is not PumpEnd.DROPPED:
                return
            quiet_drops = 0 if attempt.messages else quiet_drops + 1
            if not self._handle_drop(attempt, quiet_drops):
                return

    def _handle_drop(self, attempt: Attempt, quiet_drops: int) -> bool:
        """Report a dropped socket and wait before reconnecting; False ends the stream.

        ``quiet_drops`` counts drops in a row on which Deepgram said nothing at all, so a
        request it keeps closing cannot become a reconnect loop.
        """
        if attempt.close_code == _CLOSE_BAD_AUDIO:
            self._set_status("failed", "provider_unsupported_audio")
            return False
        if quiet_drops >= self._settings.reconnect_max_attempts:
            self._set_status("degraded", "provider_disconnected")
            self.wait(self._settings.degraded_retry_interval_s)
            return True
        self._set_status("reconnecting", "provider_disconnected")
        self.wait(self._backoff(quiet_drops))
        return True

    def _handle_failure(self, failure: Failure, failures: int) -> bool:
        """Report a failed attempt and wait before the next; False ends the stream."""
        if failure in (Failure.AUTH, Failure.REJECTED):
            self._set_status("failed", failure.value)
            return False
        exhausted = failures >= self._settings.reconnect_max_attempts
        if exhausted or failure is Failure.UNREACHABLE:
            self._set_status("degraded", failure.value)
        delay = self._settings.degraded_retry_interval_s if exhausted else self._backoff(failures)
        self.wait(delay)
        return True

    def _connect(self) -> tuple[Attempt, ConnectionTimeline]:
        """Start a connection task and wait for its hand-over, up to the connect timeout."""
        with self._shared.cond:
            self._epoch += 1
            epoch = self._epoch
        attempt, timeline = Attempt(self._shared.cond), ConnectionTimeline()

        def on_message(message: Any) -> None:
            if epoch == self._epoch:
                attempt.messages += 1
                self._mapper.handle(message, timeline.to_stream_ms)

        spawn(run_connection, self._client, self._params, attempt, on_message, name="deepgram-conn")
        deadline = time.monotonic() + self._settings.connect_timeout_s
        with self._shared.cond:
            while attempt.pending and not self._shared.stop_now:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._shared.cond.wait(remaining)
            if attempt.pending:
                attempt.abandon()
        return attempt, timeline

    def _after_connection(self, attempt: Attempt) -> None:
        """Close the socket, let the reader finish, close the open utterance."""
        attempt.close()
        with self._shared.cond:
            self._shared.cond.wait_for(lambda: attempt.closed, timeout=_LISTENER_DRAIN_S)
            self._epoch += 1  # anything the old reader still delivers is ignored
        if not self._drop_pending:
            self._mapper.flush()

    # --- helpers --------------------------------------------------------------------------
    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``, waking early when the stream must stop."""
        deadline = time.monotonic() + seconds
        with self._shared.cond:
            while not self._should_stop():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self._shared.cond.wait(remaining)

    def _should_stop(self) -> bool:
        if self._shared.stop_now:
            return True
        state = self._state.state if self._state else None
        return self._shared.finishing and state in ("degraded", "failed")

    def _backoff(self, failures: int) -> float:
        """Capped exponential backoff with equal jitter."""
        s = self._settings
        capped = min(s.reconnect_backoff_max_s, s.reconnect_backoff_base_s * 2.0**failures)
        return capped / 2 + random.uniform(0, capped / 2)

    def _set_status(self, state: StreamState, reason: str | None = None) -> None:
        status = StreamStatus(state, reason)
        if status == self._state:
            return
        self._state = status
        log.info("deepgram stream status", extra={"state": state, "reason": reason})
        try:
            self._on_status(status)
        except Exception as exc:  # noqa: BLE001 - a consumer bug must not stop us
            log.error("status callback failed", extra={"error": type(exc).__name__})


def connect_params(settings: DeepgramSettings, audio_format: AudioFormat) -> dict[str, Any]:
    """Query parameters for ``listen.v1.connect``; booleans as "true"/"false"."""
    params: dict[str, Any] = {
        "model": settings.model,
        "language": settings.language,
        "interim_results": _flag(settings.interim_results),
        "smart_format": _flag(settings.smart_format),
        "punctuate": "true",
        "endpointing": str(settings.endpointing_ms),
        "vad_events": "true",
    }
    if audio_format.mixed:  # one microphone, both voices: words carry speaker ids
        params["diarize"] = "true"
    if settings.interim_results:  # Deepgram requires interim results for UtteranceEnd
        params["utterance_end_ms"] = str(settings.utterance_end_ms)
    if audio_format.encoding == "linear16":
        params.update(
            encoding="linear16",
            sample_rate=str(audio_format.sample_rate),
            channels=str(audio_format.channels),
        )
    # Opus arrives in a WebM container: no encoding param, Deepgram reads the container.
    return params


def _flag(value: bool) -> str:
    return "true" if value else "false"
