"""Helpers for the Deepgram provider tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.services.transcription.base import AudioFormat, StreamStatus, TranscriptResult
from app.services.transcription.deepgram.settings import DeepgramSettings

WINDOW = 16000  # bytes of PCM16 16 kHz mono per fake final segment (0.5 s)


class Recorder:
    """Collects results and statuses from a provider's tasks (Deepgram or local); waits are
    bounded."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.results: list[TranscriptResult] = []
        self.statuses: list[StreamStatus] = []

    def on_result(self, result: TranscriptResult) -> None:
        with self._cond:
            self.results.append(result)
            self._cond.notify_all()

    def on_status(self, status: StreamStatus) -> None:
        with self._cond:
            self.statuses.append(status)
            self._cond.notify_all()

    @property
    def finals(self) -> list[TranscriptResult]:
        with self._cond:
            return [r for r in self.results if r.is_final]

    @property
    def states(self) -> list[str]:
        with self._cond:
            return [s.state for s in self.statuses]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(predicate, timeout)

    def wait_state(self, state: str, timeout: float = 5.0) -> StreamStatus:
        assert self.wait_for(lambda: any(s.state == state for s in self.statuses), timeout), (
            f"no {state!r} status within {timeout} s; got {self.statuses}"
        )
        return next(s for s in self.statuses if s.state == state)


def window(value: int, size: int = WINDOW) -> bytes:
    """Audio the fake "recognises" as ``segment <value>``."""
    return bytes([value]) * size


def fast_settings(url: str, **overrides: Any) -> DeepgramSettings:
    """Settings with short timers so fault tests finish in seconds."""
    base = DeepgramSettings(
        api_key="test-key",
        base_url=url,
        keepalive_interval_s=4.0,
        connect_timeout_s=2.0,
        reconnect_max_attempts=3,
        reconnect_backoff_base_s=0.05,
        reconnect_backoff_max_s=0.2,
        degraded_retry_interval_s=60.0,
    )
    return replace(base, **overrides)


PCM = AudioFormat()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` (for state nobody notifies about), bounded by ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True
