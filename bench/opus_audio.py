"""Opus packets against 16 kHz PCM: bits per call, recognition accuracy, latency cost.

The same espeak-ng speech as ``bench.asr_local`` goes to the local recognizer twice, at
real-time pace in 100 ms chunks: once as PCM, once as ``opus_packets`` chunks (libopus at
the web app's settings, decoded by the server's ``OpusPacketDecoder``). Word errors are
counted against the script for both. The cost per chunk is timed on every chunk: encoding
(libopus in Python stands in for the browser's WebCodecs encoder, which runs the same
library) and the server's decoding; the codec's own delay is measured by aligning the
decoded signal with the original.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from app.services.transcription.base import AudioFormat, TranscriptResult
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.local.transcriber import LocalTranscriber
from app.services.transcription.opus_input import OpusPacketInput
from app.services.transcription.opus_packets import OpusPacketDecoder
from bench.asr_local import GAP, SENTENCES, normalise, word_errors
from bench.report import Table, Target
from bench.stream import EncodedTracks
from tests.speech import OPUS_BITRATE, opus_packets, synthesize, to_opus_chunks

CHUNK_S = 0.1


def recognise(asr: LocalTranscriber, encoded: EncodedTracks) -> tuple[int, float]:
    """Word errors against the script, and the median final latency (s), for one stream."""
    transcriber = OpusPacketInput(asr) if encoded.encoding == "opus_packets" else asr
    finals: list[TranscriptResult] = []
    sent_at: dict[int, float] = {}
    latencies: list[float] = []

    def on_result(result: TranscriptResult) -> None:
        if result.is_final:
            finals.append(result)
            chunk = (result.end_ms + 99) // 100
            if chunk in sent_at:
                latencies.append(time.monotonic() - sent_at[chunk])

    stream = transcriber.open_stream(AudioFormat(), on_result, lambda s: None)
    start = time.monotonic()
    for i, chunk in enumerate(encoded.chunks["rep"]):
        stream.send(chunk)
        sent_at[i + 1] = time.monotonic()
        time.sleep(max(0.0, start + (i + 1) * CHUNK_S - time.monotonic()))
    stream.finish(30)
    ref = normalise(" ".join(SENTENCES))
    errors = word_errors(ref, normalise(" ".join(r.text for r in finals)))
    return errors, statistics.median(latencies) if latencies else float("nan")


def codec_cost(pcm: bytes) -> dict[str, float]:
    """Encode (mean) and decode (median) time per 100 ms chunk in ms, the codec's delay."""
    t = time.perf_counter()
    packets = opus_packets(pcm)
    encode_ms = (time.perf_counter() - t) * 1000 / (len(packets) / 5)
    chunks = EncodedTracks.of({"rep": pcm}, "opus_packets").chunks["rep"]
    decoder, decode_ms, out = OpusPacketDecoder(), [], []
    for chunk in chunks:
        t = time.perf_counter()
        out.append(decoder.decode(chunk))
        decode_ms.append((time.perf_counter() - t) * 1000)
    return {
        "encode_ms": encode_ms,
        "decode_ms": statistics.median(decode_ms),
        "delay_ms": delay_ms(pcm, b"".join(out)),
    }


def delay_ms(original: bytes, decoded: bytes) -> float:
    """The lag (ms) at which the decoded signal best matches the original."""
    a = np.frombuffer(original, dtype="<i2").astype(np.float64)[:80000]
    b = np.frombuffer(decoded, dtype="<i2").astype(np.float64)
    n = min(len(a), len(b) - 800)
    best = max(range(800), key=lambda k: float(np.dot(a[:n], b[k : k + n])))
    return best / 16.0


def with_noise_floor(pcm: bytes, dbfs: float = -60.0) -> bytes:
    """The speech with a microphone's hiss under it: no pause is digital silence."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    noise = np.random.default_rng(16).normal(0.0, 32768 * 10 ** (dbfs / 20), len(samples))
    return np.clip(samples + noise, -32768, 32767).astype("<i2").tobytes()


def run(profile: str) -> list[Table]:
    with tempfile.TemporaryDirectory() as tmp:
        pcm = GAP + b"".join(synthesize(s, Path(tmp)) + GAP for s in SENTENCES)
    seconds = len(pcm) / 32000
    tracks = {
        "linear16": EncodedTracks.of({"rep": pcm}),
        **{
            f"opus_packets {kbps} kbit/s": EncodedTracks(
                "opus_packets", {"rep": to_opus_chunks(pcm, kbps * 1000)}
            )
            for kbps in (OPUS_BITRATE // 1000, 16)
        },
    }
    asr = LocalTranscriber(LocalAsrSettings())
    try:
        if not asr.wait_ready(120):
            raise RuntimeError("recognizer_not_ready")
        results = {e: recognise(asr, t) for e, t in tracks.items()}
    finally:
        asr.close()
    cost = codec_cost(pcm)
    words = len(normalise(" ".join(SENTENCES)))
    table = Table(
        f"Opus packets against PCM ({seconds:.0f} s of espeak-ng speech, local recognizer)",
        ["encoding", "kbit/s per source", "word errors", "WER", "final latency p50 s"],
    )
    for encoding, encoded in tracks.items():
        errors, latency = results[encoding]
        kbps = encoded.nbytes * 8 / 1000 / seconds
        table.rows.append(
            [encoding, f"{kbps:.1f}", str(errors), f"{errors / words:.1%}", f"{latency:.2f}"]
        )
    noisy = EncodedTracks.of({"rep": with_noise_floor(pcm)}, "opus_packets")
    noisy_kbps = noisy.nbytes * 8 / 1000 / seconds
    pcm_errors = results["linear16"][0]
    opus_errors = results[f"opus_packets {OPUS_BITRATE // 1000} kbit/s"][0]
    table.targets.append(
        Target(
            f"Recognition accuracy with Opus packets at {OPUS_BITRATE // 1000} kbit/s",
            "no more word errors than PCM",
            f"{opus_errors} vs {pcm_errors} of {words} words",
            opus_errors <= pcm_errors,
        )
    )
    added = cost["decode_ms"] + cost["delay_ms"]
    table.key["opus added ms"] = f"{added:.1f}"
    table.notes += [
        f"The web app's Opus: {OPUS_BITRATE // 1000} kbit/s, 20 ms packets, five per chunk; "
        "kbit/s counts "
        "the `audio` data (framing included), not Socket.IO's envelope. The pauses here are "
        "digital silence, which Opus sends in a few bytes; with a -60 dBFS noise floor under "
        f"the whole track (a real microphone) it is {noisy_kbps:.1f} kbit/s per source.",
        f"Per 100 ms chunk: encode (mean) {cost['encode_ms']:.2f} ms (libopus in Python, "
        f"as a stand-in for the browser), server decode (median) {cost['decode_ms']:.2f} ms; codec "
        f"delay {cost['delay_ms']:.1f} ms. Latency added to every word: about {added:.1f} ms "
        "plus the browser's encode.",
    ]
    return [table]
