"""Benchmark of the local recognizer: CPU real-time factor, final latency, word error rate.

Usage: .venv/bin/python -m bench.asr_local  (needs espeak-ng and sox). Streams are paced in
real time in 100 ms chunks, as a browser sends them; the RTF is the worker processes' CPU
time divided by the audio they were given, so it counts partials and finals alike.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import threading
import time
from pathlib import Path

from app.services.transcription.base import AudioFormat, TranscriptResult
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.local.transcriber import LocalTranscriber
from bench.report import Table, Target
from tests.speech import synthesize

SENTENCES = [
    "I think your price is too expensive for us",
    "We already work with another vendor for this",
    "Can you send me a proposal by Friday",
    "Our budget for the next quarter is limited",
    "How long does the implementation usually take",
    "I need to talk to my manager before we decide",
]
GAP = b"\x00\x00" * 12800  # 0.8 s of silence between sentences
CHUNK = 3200  # 100 ms


def normalise(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]", " ", text.lower()).split()


def word_errors(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_stream(
    asr: LocalTranscriber, pcm: bytes, finals: list[TranscriptResult], latencies: list[float]
) -> None:
    sent_at: dict[int, float] = {}
    stream = asr.open_stream(AudioFormat(), lambda r: on_result(r), lambda s: None)

    def on_result(result: TranscriptResult) -> None:
        if result.is_final:
            finals.append(result)
            audio_end = result.end_ms // 100
            if audio_end in sent_at:
                latencies.append(time.monotonic() - sent_at[audio_end])

    start = time.monotonic()
    for i in range(0, len(pcm), CHUNK):
        stream.send(pcm[i : i + CHUNK])
        sent_at[(i + CHUNK) // CHUNK] = time.monotonic()
        time.sleep(max(0.0, start + (i + CHUNK) / 32000 - time.monotonic()))
    stream.finish(30)


def measure(asr: LocalTranscriber, pcm: bytes, streams: int) -> dict[str, float]:
    pids = [p for p in asr.worker_pids() if p]
    before = sum(cpu_seconds(p) for p in pids)
    results: list[list[TranscriptResult]] = [[] for _ in range(streams)]
    latencies: list[float] = []
    threads = [
        threading.Thread(target=run_stream, args=(asr, pcm, results[k], latencies))
        for k in range(streams)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    cpu = sum(cpu_seconds(p) for p in pids) - before
    audio_s = len(pcm) / 32000 * streams
    ref = normalise(" ".join(SENTENCES))
    errors = [word_errors(ref, normalise(" ".join(r.text for r in res))) for res in results]
    latencies.sort()
    return {
        "rtf": cpu / audio_s,
        "wer": sum(errors) / (len(ref) * streams),
        "lat_p50": latencies[len(latencies) // 2] if latencies else float("nan"),
        "lat_max": latencies[-1] if latencies else float("nan"),
    }


def worker_rss_mb(asr: LocalTranscriber) -> float:
    total = 0.0
    for pid in (p for p in asr.worker_pids() if p):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def run(profile: str) -> list[Table]:
    """The runner's entry: the default worker layout (quick) or both layouts (full)."""
    layouts = [(1, 2)] if profile == "quick" else [(1, 2), (2, 1)]
    with tempfile.TemporaryDirectory() as tmp:
        pcm = GAP + b"".join(synthesize(s, Path(tmp)) + GAP for s in SENTENCES)
    table = Table(
        f"Local recognizer (faster-whisper tiny.en int8, {len(pcm) / 32000:.0f} s of espeak-ng "
        f"speech per stream, {len(SENTENCES)} sentences)",
        [
            "workers x threads",
            "streams",
            "CPU RTF per stream",
            "final latency p50 / max s",
            "WER",
            "worker RSS MB",
        ],
    )
    rtf_at_2 = float("nan")
    for workers, threads in layouts:
        asr = LocalTranscriber(LocalAsrSettings(workers=workers, cpu_threads=threads))
        try:
            if not asr.wait_ready(120):
                raise RuntimeError("recognizer_not_ready")
            for n in (1, 2, 4):
                m = measure(asr, pcm, n)
                table.rows.append(
                    [
                        f"{workers} x {threads}",
                        str(n),
                        f"{m['rtf']:.3f}",
                        f"{m['lat_p50']:.2f} / {m['lat_max']:.2f}",
                        f"{m['wer']:.1%}",
                        f"{worker_rss_mb(asr):.0f}",
                    ]
                )
                if n == 2 and (workers, threads) == layouts[0]:
                    rtf_at_2 = m["rtf"]
        finally:
            asr.close()
    table.targets.append(
        Target(
            "Local recognizer real-time factor",
            "< 0.3 per stream with 2 concurrent streams",
            f"{rtf_at_2:.3f}",
            rtf_at_2 < 0.3,
        )
    )
    table.key["RTF@2"] = f"{rtf_at_2:.2f}"
    table.notes.append("RTF = worker CPU time / audio seconds given (partials and finals).")
    return [table]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", default="1,2,4")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pcm = GAP + b"".join(synthesize(s, Path(tmp)) + GAP for s in SENTENCES)
    print(
        f"audio per stream: {len(pcm) / 32000:.1f} s, {len(SENTENCES)} sentences, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        "| workers x threads | streams | CPU RTF per stream | final latency p50 / max (s) | WER |"
    )
    print("|---|---|---|---|---|")
    for workers, threads in ((1, 2), (2, 1)):
        asr = LocalTranscriber(LocalAsrSettings(workers=workers, cpu_threads=threads))
        try:
            assert asr.wait_ready(60)
            for n in (int(x) for x in args.streams.split(",")):
                m = measure(asr, pcm, n)
                print(
                    f"| {workers} x {threads} | {n} | {m['rtf']:.3f} | "
                    f"{m['lat_p50']:.2f} / {m['lat_max']:.2f} | {m['wer']:.1%} |",
                    flush=True,
                )
        finally:
            asr.close()


if __name__ == "__main__":
    main()
