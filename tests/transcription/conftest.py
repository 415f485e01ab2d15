"""Fixtures for the local recognizer: synthetic speech, a started worker pool, collectors."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from app.services.transcription.base import StreamStatus, TranscriptResult
from app.services.transcription.local import LocalTranscriber
from app.services.transcription.local_settings import LocalAsrSettings

SENTENCE = "I think your price is too expensive for us"


def synthesize(text: str, out_dir: Path) -> bytes:
    """16 kHz mono PCM16 of ``text`` spoken by espeak-ng (resampled by sox)."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("espeak-ng and sox are needed to synthesise test speech (apt install them)")
    raw, wav = out_dir / "a.wav", out_dir / "b.wav"
    subprocess.run(["espeak-ng", "-v", "en-us+f2", "-s", "145", "-w", str(raw), text],
                   check=True, timeout=30)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)],
                   check=True, timeout=30)
    with wave.open(str(wav)) as reader:
        return reader.readframes(reader.getnframes())


def to_webm(pcm: bytes, rate: int = 16000) -> bytes:
    """Encode PCM16 mono as WebM/Opus 48 kHz stereo, like Chromium's MediaRecorder."""
    import av

    buf = io.BytesIO()
    with av.open(buf, mode="w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48000, layout="stereo")
        resampler = av.AudioResampler(format="s16", layout="stereo", rate=48000)
        samples = np.frombuffer(pcm, dtype="<i2").reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.rate = rate
        for resampled in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(resampled):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


class Collector:
    """Records results and statuses from the reader task; waits with a bound."""

    def __init__(self) -> None:
        self.results: list[TranscriptResult] = []
        self.statuses: list[StreamStatus] = []
        self._cond = threading.Condition()

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
        return [r for r in self.results if r.is_final]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True


def stream_audio(stream: object, pcm: bytes, chunk: int = 3200, pause: float = 0.02) -> None:
    """Send PCM in 100 ms chunks, faster than real time."""
    for i in range(0, len(pcm), chunk):
        stream.send(pcm[i : i + chunk])  # type: ignore[attr-defined]
        time.sleep(pause)


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return synthesize(SENTENCE, tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="module")
def transcriber() -> Iterator[LocalTranscriber]:
    asr = LocalTranscriber(LocalAsrSettings(workers=1, cpu_threads=2))
    assert asr.wait_ready(30), "the worker did not load the model"
    yield asr
    asr.close()
