"""Latency the LLM coach adds on top of the provider (target: under 50 ms p95), against the fake.

Run: ``.venv/bin/python -m bench.llm_overhead [turns]``. The fake Anthropic streams each card
with a fixed pause before its headers and between deltas, and records when it received the
request and when it sent each delta and the end of the stream (same clock as the coach).

- request: ``on_final`` (utterance.received_at) -> request received by the fake
- first partial: request + (first partial at the sink - the delta that triggered it was sent)
- final: request + (final at the sink - the fake finished sending)

The floor row is the same two gaps for a bare ``http.client`` request (no SDK, no coach),
so the difference is what the SDK + our code cost. Not a test: prints a markdown table.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import threading
import time
from typing import Any

from app.services.coaching.base import CallContext, SuggestionEvent, Utterance
from app.services.coaching.llm import LlmCallCoach
from app.services.coaching.llm_client import LlmClient, LlmSettings, build_anthropic
from app.services.coaching.llm_gate import TeamLlmGate
from bench.report import Table, Target
from tests.fakes.fake_anthropic import API_KEY, FakeAnthropic, Reply

FIRST_DELAY_S = 0.05
DELTA_DELAY_S = 0.005


class TimedSink:
    def __init__(self) -> None:
        self.events: list[tuple[float, SuggestionEvent]] = []
        self.done = threading.Event()

    def suggestion(self, event: SuggestionEvent) -> None:
        self.events.append((time.monotonic(), event))
        if event.status == "final":
            self.done.set()

    def withdrawn(self, event: SuggestionEvent, reason: str) -> None: ...

    def metrics(self, payload: dict[str, Any]) -> None: ...

    def nudge(self, event: Any) -> None: ...

    def degraded(self, reason: str) -> None:
        self.done.set()

    def recovered(self) -> None: ...


def _pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _coach_turn(
    coach: LlmCallCoach, sink: TimedSink, fake: FakeAnthropic, i: int
) -> tuple[float, float]:
    sink.events.clear()
    sink.done.clear()
    utterance = Utterance(
        f"u{i}", "prospect", f"Turn {i}: what does it cost?", 0, 1, received_at=time.monotonic()
    )
    coach.on_final(utterance)
    if not sink.done.wait(10):
        raise RuntimeError("turn did not finish")
    record = fake.requests[-1]
    request = record["at"] - utterance.received_at
    first_at = next(t for t, e in sink.events if e.status == "partial")
    trigger = max(t for t in record["sent"] if t <= first_at)
    final_at = next(t for t, e in sink.events if e.status == "final")
    return request + (first_at - trigger), request + (final_at - record["done_at"])


def _floor_turn(fake: FakeAnthropic, port: int) -> tuple[float, float]:
    body = json.dumps(
        {
            "model": "m",
            "max_tokens": 10,
            "stream": True,
            "messages": [{"role": "user", "content": "hi"}],
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    start = time.monotonic()
    conn.request(
        "POST",
        "/v1/messages",
        body,
        {"authorization": f"Bearer {API_KEY}", "content-type": "application/json"},
    )
    response = conn.getresponse()
    first = None
    while chunk := response.read1(65536):
        if first is None and b"content_block_delta" in chunk:
            first = time.monotonic()
    end = time.monotonic()
    conn.close()
    record = fake.requests[-1]
    request = record["at"] - start
    return request + ((first or end) - record["sent"][3]), request + (end - record["done_at"])


Rows = list[tuple[float, float]]


def collect(turns: int) -> tuple[Rows, Rows]:
    """(first partial, final) seconds per turn: through the coach, and the bare floor."""
    with FakeAnthropic() as fake:
        fake.default = Reply(first_delay_s=FIRST_DELAY_S, delta_delay_s=DELTA_DELAY_S)
        settings = LlmSettings(api_key=API_KEY, base_url=fake.base_url, partial_interval_s=0.1)
        client = LlmClient(settings, build_anthropic(settings))
        sink = TimedSink()
        context = CallContext("bench-call", "bench-team", "Book a demo", ())
        coach = LlmCallCoach(context, sink, client, settings, TeamLlmGate())
        coach_rows = [_coach_turn(coach, sink, fake, i) for i in range(turns)]
        coach.close()
        port = int(fake.base_url.rsplit(":", 1)[1])
        floor_rows = [_floor_turn(fake, port) for _ in range(turns)]
    return coach_rows, floor_rows


def run(profile: str) -> list[Table]:
    """The runner's entry: the table, and the target (coach p95 minus floor p95 < 50 ms)."""
    turns = 100 if profile == "quick" else 400
    coach_rows, floor_rows = collect(turns)
    table = Table(
        f"LLM coach overhead over the fake provider ({turns} turns, loopback, first delta after "
        f"{FIRST_DELAY_S * 1000:.0f} ms)",
        ["path", "first partial p50 ms", "p95 ms", "final p50 ms", "p95 ms"],
    )
    for name, rows in (("coach (SDK + ours)", coach_rows), ("bare http.client floor", floor_rows)):
        firsts = [r[0] * 1000 for r in rows]
        finals = [r[1] * 1000 for r in rows]
        table.rows.append(
            [name] + [f"{_pct(v, q):.1f}" for v in (firsts, finals) for q in (50, 95)]
        )
    added = _pct([r[1] * 1000 for r in coach_rows], 95)
    first = _pct([r[0] * 1000 for r in coach_rows], 95)
    table.targets.append(
        Target(
            "LLM suggestion: time the server adds",
            "< 50 ms p95 over the provider",
            f"final p95 {added:.1f} ms, first partial p95 {first:.1f} ms",
            added < 50 and first < 50,
        )
    )
    table.key["LLM added p95"] = f"{added:.1f} ms"
    table.notes.append(
        "Each value is our time around the provider's own (request → fake, plus delta/stream "
        "end at the fake → our sink); the provider's fixed pauses are excluded."
    )
    return [table]


def main(turns: int = 100) -> None:
    coach_rows, floor_rows = collect(turns)
    print(f"LLM coach overhead over the provider ({turns} turns, fake Anthropic on loopback)\n")
    print("| path | first partial p50 | p95 | final p50 | p95 |")
    print("|---|---|---|---|---|")
    for name, rows in (("coach (SDK + ours)", coach_rows), ("bare http.client floor", floor_rows)):
        firsts = [r[0] * 1000 for r in rows]
        finals = [r[1] * 1000 for r in rows]
        print(
            f"| {name} | {_pct(firsts, 50):.2f} ms | {_pct(firsts, 95):.2f} ms | "
            f"{_pct(finals, 50):.2f} ms | {_pct(finals, 95):.2f} ms |"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
