"""How many two-sided calls the embedded recognizer carries on this machine.

Each simulated call streams two sources (the rep's microphone and the prospect's tab), both
continuously at real-time pace in 100 ms chunks of Opus packets, as the web app does: the
two people take turns, so each source is speech for about 40 % of the time and silence for
the rest (the voice-activity gate decides what is decoded). For every sentence the latency
is the time from the end of its speech to its final transcript at the client. A step holds
when the final p95 is under 1.5 s, every sentence got a final, and nothing failed. The
server is the production app (eventlet, local recognizer with its default worker pool,
playbook coach).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import socketio

from bench.e2e_latency import first_after, speech_end
from bench.harness import BenchServer
from bench.report import Table, Target, ms, pct
from bench.stream import NS, RATE_BYTES, EncodedTracks, stream_call
from tests.speech import synthesize

TURNS = [
    ("rep", "Thanks for making the time today, how is the quarter going for your team"),
    ("prospect", "Busy, we are drowning in support tickets and the backlog keeps growing"),
    ("rep", "How many hours a week does your team spend on that right now"),
    ("prospect", "Probably twenty hours, and honestly the price of new tools worries me"),
    ("rep", "That makes sense, what would it be worth to get half of that time back"),
    ("prospect", "If it really worked we could look at a pilot next month"),
]
GAP_S = 0.8
STEPS = {"quick": [1, 2, 4, 6, 8], "full": [1, 2, 4, 6, 8, 10, 12]}
FINAL_P95_LIMIT_S = 1.5
ENCODING = "opus_packets"  # what the web app sends where WebCodecs can encode Opus
CHUNK_S = 0.1


def build_tracks(tmp: Path) -> tuple[dict[str, bytes], dict[str, list[float]]]:
    """One PCM track per source (silence while the other speaks) and each sentence's end."""
    tracks = {"rep": b"", "prospect": b""}
    ends: dict[str, list[float]] = {"rep": [], "prospect": []}
    gap = b"\x00\x00" * int(16000 * GAP_S)
    for source, sentence in TURNS:
        pcm = synthesize(sentence, tmp)
        other = "prospect" if source == "rep" else "rep"
        ends[source].append(len(tracks[source]) / RATE_BYTES + speech_end(pcm))
        tracks[source] += pcm + gap
        tracks[other] += b"\x00" * len(pcm) + gap
    return tracks, ends


async def one_call(
    url: str, token: str, tracks: EncodedTracks, ends: dict[str, list[float]]
) -> dict[str, Any]:
    sio = socketio.AsyncClient(reconnection=False)
    finals: dict[str, list[float]] = {"rep": [], "prospect": []}

    def on_transcript(data: dict[str, Any]) -> None:
        if data.get("is_final") and data.get("source") in finals:
            finals[data["source"]].append(time.monotonic())

    sio.on("transcript", on_transcript, namespace=NS)
    audio_bytes = tracks.nbytes  # what goes on the wire as `audio` data
    seconds = max(len(c) for c in tracks.chunks.values()) * CHUNK_S
    try:
        t0 = await stream_call(sio, url, token, tracks, tail_s=3.0)
    except RuntimeError:
        missing = sum(len(e) for e in ends.values())
        return {"latencies": [], "missing": missing, "errors": 1, "kbps": float("nan")}
    latencies: list[float | None] = []
    for source, source_ends in ends.items():
        latencies += first_after([t0 + e for e in source_ends], finals[source])
    got = [v for v in latencies if v is not None]
    kbps = audio_bytes * 8 / 1000 / seconds
    return {"latencies": got, "missing": len(latencies) - len(got), "errors": 0, "kbps": kbps}


async def step(url: str, tokens: list[str], tracks: EncodedTracks, ends: Any, n: int) -> Any:
    return await asyncio.gather(*(one_call(url, tokens[i], tracks, ends) for i in range(n)))


def measure(n: int, tracks: EncodedTracks, ends: dict[str, list[float]]) -> dict[str, Any]:
    with BenchServer(users=n, TRANSCRIBER="local") as server:
        warm = EncodedTracks(tracks.encoding, {s: c[:40] for s, c in tracks.chunks.items()})
        asyncio.run(step(server.url, server.tokens, warm, {"rep": [], "prospect": []}, 1))
        results = asyncio.run(step(server.url, server.tokens, tracks, ends, n))
    latencies = [v for r in results for v in r["latencies"]]
    return {
        "n": n,
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "missing": sum(r["missing"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "kbps": max(r["kbps"] for r in results),
    }


def holds(row: dict[str, Any]) -> bool:
    return row["errors"] == 0 and row["missing"] == 0 and row["p95"] < FINAL_P95_LIMIT_S


def run(profile: str) -> list[Table]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        pcm, ends = build_tracks(Path(tmp))
        tracks = EncodedTracks.of(pcm, ENCODING)
        for n in STEPS[profile]:
            rows.append(measure(n, tracks, ends))
            print(f"  local ASR calls={n}: final p95 {rows[-1]['p95']:.2f} s", flush=True)
            if not holds(rows[-1]):
                break
    return [table(rows)]


def table(rows: list[dict[str, Any]]) -> Table:
    t = Table(
        "Local recognizer capacity: two-sided calls, speech end → final at the client",
        [
            "calls (streams)",
            "final p50 ms",
            "final p95 ms",
            "sentences without a final",
            "errors",
            f"holds (p95 < {FINAL_P95_LIMIT_S} s)",
        ],
    )
    for r in rows:
        t.rows.append(
            [
                f"{r['n']} ({2 * r['n']})",
                ms(r["p50"] * 1000),
                ms(r["p95"] * 1000),
                str(r["missing"]),
                str(r["errors"]),
                "yes" if holds(r) else "no",
            ]
        )
    best = max((r["n"] for r in rows if holds(r)), default=0)
    t.targets.append(
        Target(
            "Two-sided calls on the local recognizer",
            "≥ 8 calls with final p95 < 1.5 s",
            f"{best} calls",
            best >= 8,
            slug="local_asr_concurrent_calls",
            value=float(best),
            unit="calls",
        )
    )
    kbps = rows[0]["kbps"]
    t.targets.append(
        Target(
            "Audio sent by a two-sided call",
            "≤ 64 kbit/s",
            f"{kbps:.1f} kbit/s of `audio` data ({ENCODING} from both sources)",
            kbps <= 64,
            slug="audio_kbps_two_sided_call",
            value=round(kbps, 1),
            unit="kbit/s",
        )
    )
    t.key["local ASR calls"] = str(best)
    t.notes.append(
        "Each call: two sources streamed continuously; the people take turns with 0.8 s "
        "gaps, so each source carries speech about 40 % of the time. Default worker pool. "
        f"Audio as {ENCODING} (32 kbit/s Opus, 20 ms packets, 5 per chunk), as the web app sends."
    )
    return t
