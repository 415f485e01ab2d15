"""The benchmark streamer's tracks: one chunk per 100 ms in either encoding."""

from __future__ import annotations

import numpy as np

from app.services.transcription.opus_packets import chunk_samples
from bench.stream import CHUNK, EncodedTracks


def test_pcm_tracks_are_sliced_into_100ms_chunks():
    tracks = EncodedTracks.of({"rep": bytes(CHUNK * 3 + 10)})
    assert tracks.encoding == "linear16"
    assert [len(c) for c in tracks.chunks["rep"]] == [CHUNK, CHUNK, CHUNK, 10]
    assert tracks.nbytes == CHUNK * 3 + 10


def test_opus_tracks_carry_100ms_per_chunk_in_far_fewer_bytes():
    t = np.arange(16000) / 16000
    pcm = (6000 * np.sin(2 * np.pi * 220 * t)).astype("<i2").tobytes()
    tracks = EncodedTracks.of({"rep": pcm, "prospect": pcm}, "opus_packets")
    chunks = tracks.chunks["rep"]
    assert len(chunks) in (10, 11)  # the encoder's flush may add a last short chunk
    assert all(chunk_samples(c) == 4800 for c in chunks[:10])  # 100 ms at 48 kHz
    assert tracks.nbytes < 2 * len(pcm) * 40 // 256  # under 40 kbit/s per source (PCM: 256)
