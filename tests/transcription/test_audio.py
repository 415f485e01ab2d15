from __future__ import annotations

import threading

import numpy as np
import pytest

from app.services.transcription.audio import (
    ContainerDecoder,
    Pcm16Decoder,
    StreamingResampler,
    pcm16_to_mono,
)
from tests.speech import to_webm


def sine(rate: int, seconds: float, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def peak_hz(x: np.ndarray, rate: int = 16000) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[int(np.argmax(spectrum))])


@pytest.mark.parametrize("src", [8000, 22050, 44100, 48000])
def test_resampling_keeps_duration_and_pitch(src: int) -> None:
    out = StreamingResampler(src).process(sine(src, 2.0))
    assert abs(len(out) - 32000) <= 2
    assert abs(peak_hz(out) - 440) < 5


def test_resampling_in_chunks_matches_one_shot() -> None:
    x = sine(48000, 1.0)
    whole = StreamingResampler(48000).process(x)
    r = StreamingResampler(48000)
    pieces = np.concatenate([r.process(x[i : i + 1234]) for i in range(0, len(x), 1234)])
    assert len(pieces) == len(whole)
    assert np.allclose(pieces, whole, atol=1e-5)


def test_stereo_pcm_is_mixed_to_mono() -> None:
    frames = np.array([[1000, 3000], [-2000, 0]], dtype="<i2").tobytes()
    assert np.allclose(pcm16_to_mono(frames, 2) * 32768, [2000, -1000])


def test_chunks_that_split_a_sample_are_reassembled() -> None:
    pcm = (sine(16000, 0.5) * 32767).astype("<i2").tobytes()
    got: list[np.ndarray] = []
    decoder = Pcm16Decoder(16000, 1, got.append)
    for i in range(0, len(pcm), 333):  # odd sizes split int16 samples
        decoder.feed(pcm[i : i + 333])
    out = np.concatenate(got)
    assert len(out) == 8000
    assert np.allclose(out * 32768, np.frombuffer(pcm, dtype="<i2"), atol=1)


def decode_container(data: bytes, piece: int = 1000) -> tuple[np.ndarray, list[str]]:
    pcm: list[np.ndarray] = []
    errors: list[str] = []
    ended = threading.Event()
    decoder = ContainerDecoder(pcm.append, errors.append, ended.set)
    for i in range(0, len(data), piece):
        decoder.feed(data[i : i + piece])
    decoder.close()
    assert ended.wait(10), "decoder thread did not end"
    return (np.concatenate(pcm) if pcm else np.zeros(0, dtype=np.float32)), errors


def test_webm_opus_is_decoded_incrementally_to_16k_mono() -> None:
    source = (sine(16000, 2.0, 300) * 32767).astype("<i2").tobytes()
    out, errors = decode_container(to_webm(source))
    assert errors == []
    assert abs(len(out) / 16000 - 2.0) < 0.05
    assert abs(peak_hz(out) - 300) < 10


def test_garbage_in_a_container_stream_reports_unsupported_audio() -> None:
    out, errors = decode_container(b"this is not webm" * 200)
    assert errors == ["unsupported_audio"] and len(out) == 0
