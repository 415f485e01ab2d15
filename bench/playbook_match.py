"""Micro benchmark: playbook matching time per utterance (not a test).

Run from the repository root: ``.venv/bin/python -m bench.playbook_match``.
Measures, per final utterance: normalisation + matching against the default toolkit
(1x) and against ten copies of it (10x), and the whole LiveCallCoach.on_final
(matching, cards, metrics, stage, checklist, nudges) with a sink that drops events.
Prints a markdown table of p50 / p95 / max in microseconds.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from app.events import Source
from app.services.coaching.base import CallContext, ToolkitItem, Utterance
from app.services.coaching.coach import CoachSettings, LiveCallCoach
from app.services.coaching.playbook import PlaybookMatcher
from app.services.coaching.toolkit_data import default_toolkit_items
from bench.report import Table

ROUNDS = 200
SENTENCES = (
    "I think your price is too expensive for us",
    "We currently use a spreadsheet and honestly it is a real headache for the whole team",
    "That makes sense, what are the next steps from here?",
    "Can you tell me a bit more about how the integration with our CRM would work?",
    "We're happy with our current vendor, to be honest, they've been fine so far",
    "I need to check with my boss before we commit to anything this quarter",
    "Yeah, okay.",
    "Our goal is to cut the time it takes to onboard a new rep by about half by the end "
    "of the year, and right now we're nowhere near that because everything is manual",
    "How long does it take to set up, and is there any onboarding support included?",
    "It's not too expensive, I just want to understand the contract length",
    "We don't really see the need right now, maybe circle back next year",
    "Sounds good, let's move forward and send over the contract",
)


class NullSink:
    def suggestion(self, event: Any) -> None: ...

    def withdrawn(self, event: Any, reason: str) -> None: ...

    def guidance(self, payload: dict[str, Any]) -> None: ...

    def metrics(self, payload: dict[str, Any]) -> None: ...

    def nudge(self, event: Any) -> None: ...

    def degraded(self, reason: str) -> None: ...

    def recovered(self) -> None: ...


def toolkit_times(copies: int) -> tuple[ToolkitItem, ...]:
    """``copies`` copies of the default toolkit with unique names and no per-call limits."""
    items = default_toolkit_items()
    return tuple(
        replace(
            item,
            entry_id=f"{item.entry_id}-{n}",
            name=f"{item.name}-{n}",
            cooldown_s=0.0,
            max_per_call=10**9,
        )
        for n in range(copies)
        for item in items
    )


def utterances() -> list[Utterance]:
    out = []
    for n in range(ROUNDS * len(SENTENCES)):
        text = SENTENCES[n % len(SENTENCES)]
        source: Source = "rep" if n % 3 == 0 else "prospect"
        out.append(Utterance(f"u{n}", source, text, n * 3000, n * 3000 + 2500))
    return out


def measure(fn: Callable[[Utterance], object], batch: Sequence[Utterance]) -> list[float]:
    """Per-call durations in microseconds."""
    times = []
    for utterance in batch:
        start = time.perf_counter_ns()
        fn(utterance)
        times.append((time.perf_counter_ns() - start) / 1000)
    return times


def row(name: str, entries: int, times: list[float]) -> str:
    ordered = sorted(times)
    p50 = statistics.median(ordered)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"| {name} | {entries} | {len(times)} | {p50:.1f} | {p95:.1f} | {ordered[-1]:.1f} |"


def run(profile: str) -> list[Table]:
    """The runner's entry: the same rows as ``main`` as a table."""
    table = Table(
        "Playbook matching per final utterance (in process, µs)",
        ["measure", "entries", "utterances", "p50 µs", "p95 µs", "max µs"],
    )
    for line in collect_rows(utterances()):
        table.rows.append([c.strip() for c in line.strip("|").split("|")])
    table.key["match p95"] = f"{table.rows[0][4]} µs"
    return [table]


def collect_rows(batch: list[Utterance]) -> list[str]:
    rows = []
    for copies in (1, 10):
        toolkit = toolkit_times(copies)
        matcher = PlaybookMatcher(toolkit)
        measure(matcher.match, batch[:200])  # warm-up
        rows.append(
            row(
                f"normalise + match ({copies}x default)",
                len(toolkit),
                measure(matcher.match, batch),
            )
        )
    toolkit = default_toolkit_items()
    coach = LiveCallCoach(
        CallContext("bench", "team", None, toolkit),
        NullSink(),
        settings=CoachSettings(metrics_interval_s=0.0),
    )
    rows.append(
        row("LiveCallCoach.on_final (1x default)", len(toolkit), measure(coach.on_final, batch))
    )
    coach.close()
    return rows


def main() -> None:
    rows = collect_rows(utterances())
    print(
        f"Playbook matching, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {time.strftime('%Y-%m-%d')}\n"
    )
    print("| measure | entries | utterances | p50 µs | p95 µs | max µs |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
