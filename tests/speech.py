"""Synthetic test speech: espeak-ng text → 16 kHz mono PCM16 (and WebM/Opus like Chromium).

Shared by the transcription tests, the end-to-end tests and the benchmarks.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import av
import numpy as np
import pytest

SENTENCE = "I think your price is too expensive for us"


def synthesize(text: str, out_dir: Path) -> bytes:
    """16 kHz mono PCM16 of ``text`` spoken by espeak-ng (resampled by sox)."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("espeak-ng and sox are needed to synthesise test speech (apt install them)")
    raw, wav = out_dir / "a.wav", out_dir / "b.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us+f2", "-s", "145", "-w", str(raw), text], check=True, timeout=30
    )
    subprocess.run(
        ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True, timeout=30
    )
    with wave.open(str(wav)) as reader:
        return reader.readframes(reader.getnframes())


def to_webm(pcm: bytes, rate: int = 16000) -> bytes:
    """Encode PCM16 mono as WebM/Opus 48 kHz stereo, like Chromium's MediaRecorder."""
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


OPUS_BITRATE = 32000  # what the web app asks its AudioEncoder for
OPUS_PACKETS_PER_CHUNK = 5  # 5 x 20 ms = one 100 ms `audio` chunk


def opus_packets(pcm: bytes, bitrate: int = OPUS_BITRATE) -> list[bytes]:
    """16 kHz mono PCM16 → 20 ms Opus packets (libopus "audio" mode, as Chromium encodes)."""
    codec = av.CodecContext.create("libopus", "w")
    codec.sample_rate, codec.layout, codec.format = 16000, "mono", av.AudioFormat("s16")
    codec.bit_rate = bitrate
    codec.options = {"frame_duration": "20", "application": "audio"}
    codec.open()
    samples = np.frombuffer(pcm, dtype="<i2")
    samples = np.concatenate([samples, np.zeros(-len(samples) % 320, dtype="<i2")])
    packets: list[bytes] = []
    for start in range(0, len(samples), 320):
        frame = av.AudioFrame.from_ndarray(
            samples[None, start : start + 320], format="s16", layout="mono"
        )
        frame.sample_rate, frame.pts = 16000, start
        packets += [bytes(p) for p in codec.encode(frame)]
    return packets + [bytes(p) for p in codec.encode(None)]


def to_opus_chunks(pcm: bytes, bitrate: int = OPUS_BITRATE) -> list[bytes]:
    """``opus_packets`` chunks of 100 ms (the last may be shorter), as the web app sends."""
    from app.services.transcription.opus_packets import frame_packets

    packets = opus_packets(pcm, bitrate)
    n = OPUS_PACKETS_PER_CHUNK
    return [frame_packets(packets[i : i + n]) for i in range(0, len(packets), n)]
