"""Helpers for the transcription tests."""

from __future__ import annotations

import time


def stream_audio(stream: object, pcm: bytes, chunk: int = 3200, pause: float = 0.02) -> None:
    """Send PCM in 100 ms chunks, faster than real time."""
    for i in range(0, len(pcm), chunk):
        stream.send(pcm[i : i + chunk])  # type: ignore[attr-defined]
        time.sleep(pause)
