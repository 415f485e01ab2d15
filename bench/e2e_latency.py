"""End to end as the rep feels it: end of the prospect's speech → first card at the client.

A server with the local recognizer (TRANSCRIBER=local, eventlet) and the stall probe
(bench/server.py); a scripted dialogue synthesised with espeak-ng, streamed by
python-socketio clients in 100 ms chunks at real-time pace (as a browser sends them). The
end of each sentence is known from the audio timeline (last sample above -40 dBFS); a card
received between that moment and the end of the next sentence belongs to it. Two reps
stream at once (the recognizer target is stated for 2 concurrent streams), and the stall
probe records the event loop's worst delay in the Socket.IO process meanwhile.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import requests
import socketio

from bench.harness import BenchServer
from bench.report import Table, Target, ms, pct
from bench.stream import NS, RATE_BYTES, stream_call
from tests.speech import synthesize

DIALOGUE = [
    "I think your price is too expensive for us",
    "We are happy with our current vendor to be honest",
    "I need to check with my boss before we commit to anything",
    "We don't really see the need right now, maybe circle back next year",
    "How long does it take to set up",
    "We currently use a spreadsheet and honestly it is a real headache for the team",
]
GAP_S = 2.0
ROUNDS = {"quick": 1, "full": 3}


def speech_end(pcm: bytes) -> float:
    """Seconds to the last sample louder than -40 dBFS."""
    samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32))
    loud = np.nonzero(samples > 328)[0]
    return float(loud[-1] + 1) / 16000 if len(loud) else 0.0


def build_audio(tmp: Path) -> tuple[bytes, list[float]]:
    gap = b"\x00\x00" * int(16000 * GAP_S)
    audio, ends = gap, []
    for sentence in DIALOGUE:
        pcm = synthesize(sentence, tmp)
        ends.append(len(audio) / RATE_BYTES + speech_end(pcm))
        audio += pcm + gap
    return audio, ends


async def one_call(url: str, token: str, audio: bytes, ends: list[float]) -> dict[str, Any]:
    sio = socketio.AsyncClient(reconnection=False)
    cards: list[float] = []
    finals: list[float] = []
    sio.on("suggestion", lambda d: cards.append(time.monotonic()), namespace=NS)
    sio.on(
        "transcript",
        lambda d: finals.append(time.monotonic()) if d.get("is_final") else None,
        namespace=NS,
    )
    t0 = await stream_call(sio, url, token, {"prospect": audio})
    walls = [t0 + e for e in ends]
    return {"cards": first_after(walls, cards), "finals": first_after(walls, finals)}


def first_after(ends: list[float], events: list[float]) -> list[float | None]:
    """Per sentence: seconds from its end to the first event before the next one's end."""
    out: list[float | None] = []
    for k, end in enumerate(ends):
        limit = ends[k + 1] if k + 1 < len(ends) else float("inf")
        hits = [t - end for t in events if end <= t < limit]
        out.append(min(hits) if hits else None)
    return out


async def dialogue(url: str, tokens: list[str], audio: bytes, ends: list[float], reps: int) -> Any:
    return await asyncio.gather(*(one_call(url, tokens[i], audio, ends) for i in range(reps)))


def run(profile: str, reps: int = 2) -> list[Table]:
    with tempfile.TemporaryDirectory() as tmp:
        audio, ends = build_audio(Path(tmp))
    cards: list[float | None] = []
    finals: list[float | None] = []
    env = {"TRANSCRIBER": "local", "BENCH_STALL_PROBE": "1"}
    with BenchServer(users=reps, **env) as server:
        warm = audio[: int((ends[0] + 1.5) * RATE_BYTES)]
        asyncio.run(dialogue(server.url, server.tokens, warm, ends[:1], 1))  # load the model
        requests.get(f"{server.url}/bench/stall?reset=1", timeout=10)
        for _ in range(ROUNDS[profile]):
            for result in asyncio.run(dialogue(server.url, server.tokens, audio, ends, reps)):
                cards += result["cards"]
                finals += result["finals"]
        stall = requests.get(f"{server.url}/bench/stall", timeout=10).json()
    return [latency_table(cards, finals, reps), stall_table(stall, reps)]


def latency_table(cards: list[float | None], finals: list[float | None], reps: int) -> Table:
    got = [c * 1000 for c in cards if c is not None]
    fin = [f * 1000 for f in finals if f is not None]
    p50, p95 = pct(got, 50), pct(got, 95)
    table = Table(
        f"End to end: end of prospect speech → first card at the client (local recognizer, "
        f"{reps} concurrent calls)",
        ["turns", "with a card", "card p50 ms", "card p95 ms", "final transcript p50 / p95 ms"],
        [
            [
                str(len(cards)),
                str(len(got)),
                ms(p50),
                ms(p95),
                f"{ms(pct(fin, 50))} / {ms(pct(fin, 95))}",
            ]
        ],
    )
    table.targets.append(
        Target(
            "End to end (speech end → card)",
            "p95 < 1 s (old MVP 3-5 s)",
            f"p50 {ms(p50)} ms, p95 {ms(p95)} ms over {len(got)} turns",
            p95 < 1000 and bool(got),
        )
    )
    table.targets.append(
        Target(
            "Card after the prospect stops speaking (median)",
            "p50 ≤ 0.6 s",
            f"p50 {ms(p50)} ms over {len(got)} turns",
            p50 <= 600 and bool(got),
        )
    )
    table.key["e2e p95"] = f"{ms(p95)} ms"
    table.notes.append("Includes the recognizer's end-of-utterance silence (vad_silence_ms 600).")
    return table


def stall_table(stall: dict[str, Any], reps: int) -> Table:
    worst = float(stall.get("max_gap_ms", float("nan")))
    table = Table(
        "Event-loop stall in the Socket.IO process while recognising",
        ["concurrent streams", "probe ticks", "worst stall ms", "ticks late > 20 ms"],
        [[str(reps), str(stall.get("ticks")), ms(worst), str(stall.get("over_20ms"))]],
    )
    table.targets.append(
        Target("Event-loop stall while recognising", "< 20 ms", f"{ms(worst)} ms", worst < 20)
    )
    table.key["stall"] = f"{ms(worst)} ms"
    table.notes.append("A 10 ms ticker task in the server (bench/server.py); stall = lateness.")
    return table
