"""Health of the external providers (speech-to-text, LLM) from their last real interactions.

Every stream status a transcriber reports and every LLM turn's outcome is recorded here,
so ``/health/ready`` tells the truth without calling a provider on each probe: an auth
failure (a revoked key) marks the provider unhealthy at once, ``failure_threshold``
failures in a row (unreachable, rate limited, dropped) likewise; the next success clears
it. Reasons are stable codes, never provider text. An optional probe (a Deepgram
handshake) refreshes the picture at most every ``probe_interval_s`` when enabled.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.services.coaching.llm_client import AUTH_FAILED, BAD_RESPONSE, SPEND_LIMIT
from app.services.transcription.base import (
    AudioFormat,
    StatusCallback,
    StreamStatus,
    Transcriber,
    TranscriberUnavailable,
    TranscriptCallback,
    TranscriptionStream,
)

# A refused key or request fails every later call too; these mark the provider unhealthy
# at once. Bad audio, a malformed model answer and one team's spend limit say nothing
# about the provider.
FATAL_REASONS = frozenset({"provider_auth_failed", "provider_rejected", AUTH_FAILED})
NOT_THE_PROVIDER = frozenset({"provider_unsupported_audio", BAD_RESPONSE, SPEND_LIMIT})


class ProviderUnhealthy(Exception):
    """Raised by :meth:`ProviderHealth.check`; ``code`` is the last failure's reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class _State:
    failures: int = 0
    reason: str | None = None
    fatal: bool = False
    last_at: float | None = None  # monotonic time of the last interaction


class ProviderHealth:
    """Thread-safe record of one provider's recent outcomes."""

    def __init__(
        self,
        failure_threshold: int = 3,
        probe: Callable[[], None] | None = None,  # raises TranscriberUnavailable
        probe_interval_s: float = 0.0,
    ) -> None:
        self.failure_threshold = failure_threshold
        self._probe, self.probe_interval_s = probe, probe_interval_s
        self._probed_at: float | None = None
        self._state = _State()
        self._lock = threading.Lock()

    def success(self) -> None:
        with self._lock:
            self._state = _State(last_at=time.monotonic())

    def failure(self, reason: str) -> None:
        if reason in NOT_THE_PROVIDER:
            return
        with self._lock:
            state = self._state
            state.failures += 1
            state.reason, state.last_at = reason, time.monotonic()
            state.fatal = state.fatal or reason in FATAL_REASONS

    @property
    def healthy(self) -> bool:
        with self._lock:
            return not (self._state.fatal or self._state.failures >= self.failure_threshold)

    def check(self) -> None:
        """Raise :class:`ProviderUnhealthy` if recent interactions failed (probing first
        when the optional probe is due)."""
        self._probe_if_due()
        if not self.healthy:
            raise ProviderUnhealthy(self._state.reason or "provider_unhealthy")

    def _probe_if_due(self) -> None:
        if self._probe is None or self.probe_interval_s <= 0:
            return
        now = time.monotonic()
        with self._lock:
            if self._probed_at is not None and now - self._probed_at < self.probe_interval_s:
                return
            self._probed_at = now
        try:
            self._probe()
        except TranscriberUnavailable as exc:
            self.failure(exc.code)
            return
        self.success()

    def observe_status(self, status: StreamStatus) -> None:
        """A transcription stream's status change: ``live`` is a success; ``failed``,
        ``degraded`` and ``reconnecting`` are failures with their reason."""
        if status.state == "live":
            self.success()
        elif status.state in ("failed", "degraded", "reconnecting"):
            self.failure(status.reason or f"provider_{status.state}")


class ObservedTranscriber:
    """A transcriber whose streams report their status to a :class:`ProviderHealth`."""

    def __init__(self, inner: Transcriber, health: ProviderHealth) -> None:
        self.inner, self.health = inner, health
        self.name = inner.name

    def open_stream(
        self, audio_format: AudioFormat, on_result: TranscriptCallback, on_status: StatusCallback
    ) -> TranscriptionStream:
        def observed(status: StreamStatus) -> None:
            self.health.observe_status(status)
            on_status(status)

        return self.inner.open_stream(audio_format, on_result, observed)

    def close(self) -> None:
        self.inner.close()
