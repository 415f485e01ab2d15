"""Benchmark: one-microphone speaker attribution (not a test; not part of ``make bench``).

Run from the repository root: ``.venv/bin/python -m bench.attribution``.

For synthetic speakerphone dialogues with varied voices, levels and channels
(tests/dialogue.py), the recognizer's own segmenter cuts the audio into utterances;
for each one we time the voice features (added to each final in the recognition
worker process) and the attribution (in the Socket.IO process, on the reader task),
and score the attributed speaker against the truth, with and without a voice profile.
Feature time is given as wall time and as the thread's CPU time: on a shared machine the
wall time mostly measures waiting for a core.
Prints a markdown table. Whisper is not run: its text does not change who spoke.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.services.attribution.features import voice_features
from app.services.attribution.model import VoiceModel
from app.services.transcription.vad import Segmenter, VadConfig
from bench.report import Table, pct
from tests.dialogue import VARIANTS, Voices, build_dialogue, true_speaker

HARDER = {
    "same_band_same_level": Voices(telephone_band=False, prospect_gain_db=-1.0),
    "f2_vs_f5_band": Voices(rep="en-us+f2", prospect="en-us+f5", prospect_gain_db=-4.0),
    "short_pauses": replace(VARIANTS["f4_vs_us_m1"], pauses_s=(0.65, 0.7, 0.8)),
}


def _segments(pcm: bytes) -> list:
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768
    segmenter = Segmenter(VadConfig())
    return [u for u in [*segmenter.feed(audio), segmenter.flush()] if u is not None]


def run_variant(name: str, voices: Voices, out: Path) -> dict[str, float]:
    pcm, turns = build_dialogue(out, voices)
    utterances = _segments(pcm)
    feature_ms, feature_cpu_ms, judge_us, vectors = [], [], [], []
    for u in utterances:
        started, cpu = time.perf_counter(), time.thread_time()
        vectors.append(np.asarray(voice_features(u.audio)))
        feature_ms.append((time.perf_counter() - started) * 1000)
        feature_cpu_ms.append((time.thread_time() - cpu) * 1000)
    truth = [true_speaker(turns, u.start // 16, u.end // 16) for u in utterances]
    scores = {}
    for label, model in (
        ("first_voice", VoiceModel()),
        (
            "profile",
            VoiceModel.with_profile(
                list(
                    np.mean(
                        [v for v, t in zip(vectors, truth, strict=True) if t == "rep"][:2], axis=0
                    )
                )
            ),
        ),
    ):
        right = 0
        for vector, speaker in zip(vectors, truth, strict=True):
            started = time.perf_counter()
            verdict = model.observe(vector)
            judge_us.append((time.perf_counter() - started) * 1e6)
            right += verdict.source == speaker
        scores[label] = 100 * right / len(utterances)
    return {
        "lines": len(utterances),
        "right_first_voice": scores["first_voice"],
        "right_profile": scores["profile"],
        "features_p95_ms": pct(feature_ms, 95),
        "features_cpu_p95_ms": pct(feature_cpu_ms, 95),
        "features_max_ms": max(feature_ms),
        "judge_p95_us": pct(judge_us, 95),
        "mean_line_s": statistics.mean(len(u.audio) / 16000 for u in utterances),
    }


def main() -> None:
    table = Table(
        "One-microphone speaker attribution",
        [
            "dialogue",
            "lines",
            "right % (first voice)",
            "right % (profile)",
            "features p95 ms (wall)",
            "features max ms (wall)",
            "features p95 ms (CPU)",
            "attribution p95 µs",
        ],
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name, voices in {**VARIANTS, **HARDER}.items():
            r = run_variant(name, voices, Path(tmp))
            table.rows.append(
                [
                    name,
                    int(r["lines"]),
                    f"{r['right_first_voice']:.0f}",
                    f"{r['right_profile']:.0f}",
                    f"{r['features_p95_ms']:.1f}",
                    f"{r['features_max_ms']:.1f}",
                    f"{r['features_cpu_p95_ms']:.1f}",
                    f"{r['judge_p95_us']:.0f}",
                ]
            )
    print(table.markdown())


if __name__ == "__main__":
    main()
