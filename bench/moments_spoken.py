"""Moments spoken end to end: espeak-ng → local recognizer (prospect channel) → card.

Run alone: ``.venv/bin/python -m bench.moments_spoken [quick|full] [dev|holdout] [-v]``. A
sample of a labelled set (``quick``: two lines per entry and 15 neutral lines; ``full``: all
of it; the dev set, tuned on, unless ``holdout`` is named; ``make bench`` runs the dev set) is
synthesised into prospect streams, one call per round with at most one line per entry (so
cooldowns do not hide a card), 1.5 s of silence between lines, streamed at real-time pace
into a server with the local recognizer and the default toolkit (no keys), three calls at a
time. A card that arrives between the start of a line and the start of the next belongs to
that line; its delay is measured from the line's speech end (negative: carded before the
prospect stopped, on an interim). A card withdrawn because the final contradicted it does
not count (the rep no longer sees it); the final's own card, if any, does. The stall probe
records the worst event-loop delay meanwhile.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import socketio

from app.events import ServerEvent
from app.services.coaching.toolkit_data import default_toolkit_items
from bench.e2e_latency import speech_end
from bench.harness import BenchServer
from bench.moments import SETS, Labelled, load_set
from bench.report import Table, Target, ms, pct
from bench.stream import NS, RATE_BYTES, stream_call
from tests.speech import synthesize

GAP_S = 1.5
PER_ENTRY = {"quick": 2, "full": 10_000}
NEUTRAL = {"quick": 15, "full": 10_000}
LONG_S = 3.0
CONCURRENT_CALLS = 3  # calls streamed at once: the server carries several, and the set
# takes a third of the time


def rounds(profile: str, labelled: str = "dev") -> list[list[Labelled]]:
    """Calls to stream: each has at most one line per entry (so no cooldown interferes),
    with the neutral lines spread over them."""
    rows = load_set(SETS[labelled])
    by_entry: dict[str, list[Labelled]] = {}
    for row in rows:
        by_entry.setdefault("-" if row.neutral else min(row.entries), []).append(row)
    neutral = by_entry.pop("-", [])[: NEUTRAL[profile]]
    count = min(PER_ENTRY[profile], max(len(v) for v in by_entry.values()))
    calls = [[lines[k] for lines in by_entry.values() if k < len(lines)] for k in range(count)]
    for n, row in enumerate(neutral):
        call = calls[n % count]
        call.insert((n * 7) % (len(call) + 1), row)
    return calls


def build(rows: list[Labelled], tmp: Path) -> tuple[bytes, list[tuple[float, float]]]:
    """The stream and each line's (start, speech end) in seconds."""
    gap = b"\x00\x00" * int(16000 * GAP_S)
    audio, spans = gap, []
    for row in rows:
        pcm = synthesize(row.text, tmp)
        start = len(audio) / RATE_BYTES
        spans.append((start, start + speech_end(pcm)))
        audio += pcm + gap
    return audio, spans


Heard = list[tuple[float, str]]  # (audio time of the middle, text) of every final
Cards = list[tuple[float, str, float]]  # (arrival, title, audio time of its utterance's middle)


async def stream(url: str, token: str, audio: bytes) -> tuple[float, Cards, Heard]:
    """Stream ``audio`` as one call: its time zero, its cards, and what it heard."""
    sio = socketio.AsyncClient(reconnection=False)
    cards: dict[str, tuple[float, str, str]] = {}
    withdrawn: set[str] = set()  # cards the final contradicted: the rep no longer sees them
    spans: dict[str, float] = {}
    finals: Heard = []

    def on_card(data: dict[str, Any]) -> None:
        cards.setdefault(
            data["suggestion_id"], (time.monotonic(), data["title"], data["trigger_utterance_id"])
        )

    def on_transcript(data: dict[str, Any]) -> None:
        middle = (data["start_ms"] + data["end_ms"]) / 2000
        spans.setdefault(data["utterance_id"], middle)
        if data["is_final"]:
            finals.append((middle, data["text"]))

    def on_withdrawn(data: dict[str, Any]) -> None:
        withdrawn.add(data["suggestion_id"])

    sio.on(ServerEvent.SUGGESTION, on_card, namespace=NS)
    sio.on(ServerEvent.SUGGESTION_WITHDRAWN, on_withdrawn, namespace=NS)
    sio.on(ServerEvent.TRANSCRIPT, on_transcript, namespace=NS)
    t0 = await stream_call(sio, url, token, {"prospect": audio})
    return t0, shown(cards, withdrawn, spans), finals


def shown(
    cards: dict[str, tuple[float, str, str]], withdrawn: set[str], spans: dict[str, float]
) -> Cards:
    """The cards the rep is left with, by arrival: (arrival, title, audio time of the
    utterance that fired it); withdrawn ones and ones of an unknown utterance left out."""
    return sorted(
        (t, title, spans[uid])
        for card_id, (t, title, uid) in cards.items()
        if uid in spans and card_id not in withdrawn
    )


async def stream_together(
    url: str, token: str, audios: list[bytes]
) -> list[tuple[float, Cards, Heard]]:
    """Several calls at once, as a server carries them."""
    return await asyncio.gather(*(stream(url, token, audio) for audio in audios))


def attribute(
    rows: list[Labelled], spans: list[tuple[float, float]], t0: float, cards: list[Any]
) -> list[tuple[Labelled, float, float | None, str | None]]:
    """Per line: (row, duration s, first card delay after speech end s, its entry name).

    A card belongs to the line its trigger utterance was spoken in (by audio time), so a
    late card is counted late, not given to the next line.
    """
    names = {item.title: item.name for item in default_toolkit_items()}
    out = []
    for k, (row, (start, end)) in enumerate(zip(rows, spans, strict=True)):
        limit = spans[k + 1][0] if k + 1 < len(spans) else float("inf")
        mine = [(t - t0, title) for t, title, said in cards if start <= said < limit]
        first = mine[0] if mine else None
        delay = first[0] - end if first else None
        out.append((row, end - start, delay, names.get(first[1]) if first else None))
    return out


def heard(rows: list[Labelled], spans: list[tuple[float, float]], finals: Heard) -> list[str]:
    """What the recognizer wrote for each line (its finals between the line's start and
    the next line's)."""
    out = []
    for k, (start, _end) in enumerate(spans):
        limit = spans[k + 1][0] if k + 1 < len(spans) else float("inf")
        out.append(" | ".join(text for said, text in finals if start <= said < limit))
    return out


def run(profile: str, labelled: str = "dev", verbose: bool = False) -> list[Table]:
    results: list[Any] = []
    worst: dict[str, Any] = {"max_gap_ms": 0.0}
    calls = rounds(profile, labelled)
    with tempfile.TemporaryDirectory() as tmp:
        built = [build(rows, Path(tmp)) for rows in calls]
    with BenchServer(users=1, TRANSCRIBER="local", BENCH_STALL_PROBE="1") as server:
        url, token = server.url, server.tokens[0]
        audio, spans = built[0]
        asyncio.run(stream(url, token, audio[: int((spans[0][1] + 1.5) * RATE_BYTES)]))  # models
        for first in range(0, len(calls), CONCURRENT_CALLS):
            batch = range(first, min(first + CONCURRENT_CALLS, len(calls)))
            requests.get(f"{url}/bench/stall?reset=1", timeout=10)
            streamed = asyncio.run(stream_together(url, token, [built[n][0] for n in batch]))
            stall = requests.get(f"{url}/bench/stall", timeout=10).json()
            worst["max_gap_ms"] = max(worst["max_gap_ms"], float(stall.get("max_gap_ms", 0)))
            for n, (t0, cards, finals) in zip(batch, streamed, strict=True):
                lines = attribute(calls[n], built[n][1], t0, cards)
                results += lines
                if verbose:
                    _print(lines, heard(calls[n], built[n][1], finals))
    return [spoken_table(results, worst, labelled)]


def _print(lines: list[Any], texts: list[str]) -> None:
    for (row, length, delay, name), text in zip(lines, texts, strict=True):
        label = "|".join(sorted(row.entries)) or "-"
        got = f"{name} {delay:+.2f}s" if delay is not None else "no card"
        print(f"{label}\t{length:.1f}s\t{got}\t{row.text}\t=> {text}", flush=True)


def spoken_table(results: list[Any], stall: dict[str, Any], labelled: str = "dev") -> Table:
    moments = [r for r in results if not r[0].neutral]
    neutral = [r for r in results if r[0].neutral]
    carded = [r for r in moments if r[2] is not None]
    right = [r for r in carded if r[3] in r[0].entries]
    delays = [r[2] * 1000 for r in carded]
    long = [r for r in carded if r[1] >= LONG_S]
    early = [r for r in long if r[2] < 0]
    fps = [r for r in neutral if r[2] is not None]
    share = len(carded) / max(1, len(moments))
    fp_rate = len(fps) / max(1, len(neutral))
    median = pct(delays, 50)
    table = Table(
        f"Moments spoken end to end, {labelled} set "
        "(espeak-ng, local recognizer, prospect channel, no keys)",
        [
            "lines",
            "carded",
            "right entry",
            "neutral carded",
            "card after speech end p50 / p95 ms",
            f"carded before the end (lines >= {LONG_S:.0f} s)",
            "worst event-loop stall ms",
        ],
        [
            [
                f"{len(moments)} + {len(neutral)} neutral",
                f"{share:.0%}",
                f"{len(right) / max(1, len(carded)):.0%}",
                f"{fp_rate:.0%}",
                f"{ms(median)} / {ms(pct(delays, 95))}",
                f"{len(early)} of {len(long)}",
                ms(float(stall.get("max_gap_ms", float("nan")))),
            ]
        ],
    )
    table.targets += [
        Target("Spoken: carded", ">= 85 %", f"{share:.0%}", share >= 0.85),
        Target("Spoken: neutral carded", "<= 7 %", f"{fp_rate:.0%}", fp_rate <= 0.07),
        Target(
            "Spoken: card after speech end p50",
            "<= 600 ms",
            f"{ms(median)} ms over {len(delays)} carded lines",
            median <= 600,
            slug="moment_card_after_speech_end_p50_s",
            value=round(median / 1000, 3) if delays else None,
            unit="s",
        ),
    ]
    table.key["spoken carded"] = f"{share:.0%}"
    table.key["spoken card p50"] = f"{ms(median)} ms"
    table.notes.append("Negative delays: the card came on an interim, before the speech ended.")
    return table


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "-v"]
    profile = args[0] if args else "quick"
    labelled = args[1] if len(args) > 1 else "dev"
    for table in run(profile, labelled, verbose="-v" in sys.argv):
        print(table.markdown())


if __name__ == "__main__":
    main()
