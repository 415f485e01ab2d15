"""Micro benchmark: redaction time per recognizer result (not a test).

Run from the repository root: ``.venv/bin/python -m bench.redaction`` (or through
``python -m bench.run --only bench.redaction``). Measures
:func:`app.services.redaction.transcript.redact_result` (text and timed words) per final
and per interim, with the default kinds (cards, US SSNs) and with every kind, over a mix
of ordinary sales-call sentences and sentences holding numbers as recognizers write them.
Target: under 1 ms p95 per utterance.
"""

from __future__ import annotations

import platform
import time

from app.services.redaction import ALL_KINDS, DEFAULT_KINDS, Redactor
from app.services.redaction.transcript import redact_result
from app.services.transcription.base import TranscriptResult, Word
from bench.report import Table, Target, pct

ROUNDS = 300
TARGET_US = 1000.0
SENTENCES = (
    "I think your price is too expensive for us",
    "We currently use a spreadsheet and honestly it is a real headache for the whole team",
    "That makes sense, what are the next steps from here?",
    "We have about 250 reps across 12 offices and a budget of $45,000 for 2026",
    "Our goal is to cut the time it takes to onboard a new rep by about half by the end "
    "of the year, and right now we're nowhere near that because everything is manual",
    "My current number is 4,111,111,111,111,111,111,111",
    "My card is 4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1",
    "sure it's four one one one one one one one one one one one one one one one",
    "My social security number is 123456789",
    "you can reach me on 415 555 2671 or jane dot doe at acme dot com",
    "the IBAN is GB82 WEST 1234 5698 7654 32 and the account number is 12345678",
)


def results() -> list[TranscriptResult]:
    out = []
    for n in range(ROUNDS * len(SENTENCES)):
        text = SENTENCES[n % len(SENTENCES)]
        words = tuple(Word(w, i * 300, i * 300 + 250) for i, w in enumerate(text.split()))
        out.append(TranscriptResult(text, n % 2 == 0, 0, len(words) * 300, 0.9, words))
    return out


def measure(redactor: Redactor, batch: list[TranscriptResult]) -> tuple[list[float], list[float]]:
    """Per-result CPU time and wall time in microseconds (after a warm-up). CPU time is
    what redaction costs; wall time also counts the moments the shared machine gave the
    core to someone else."""
    for result in batch[:100]:
        redact_result(redactor, result)
    cpu, wall = [], []
    for result in batch:
        start_cpu, start_wall = time.thread_time_ns(), time.perf_counter_ns()
        redact_result(redactor, result)
        wall.append((time.perf_counter_ns() - start_wall) / 1000)
        cpu.append((time.thread_time_ns() - start_cpu) / 1000)
    return cpu, wall


def run(profile: str) -> list[Table]:
    table = Table(
        "Redaction per recognizer result, text + words (in process, µs)",
        ["kinds", "results", "CPU p50 µs", "CPU p95 µs", "CPU max µs", "wall p95 µs"],
        notes=[
            "CPU time of the redacting thread; wall time also counts preemption",
            "measured on the shared 2-core development machine (other work running)",
        ],
    )
    batch = results()
    worst = 0.0
    for name, kinds in (("default (card, us_ssn)", DEFAULT_KINDS), ("all kinds", ALL_KINDS)):
        cpu, wall = measure(Redactor(kinds), batch)
        p95 = pct(cpu, 95)
        worst = max(worst, p95)
        row = [f"{pct(cpu, 50):.0f}", f"{p95:.0f}", f"{max(cpu):.0f}", f"{pct(wall, 95):.0f}"]
        table.rows.append([name, str(len(cpu)), *row])
    table.targets.append(
        Target("Redaction per utterance, CPU p95", "< 1 ms", f"{worst:.0f} µs", worst < TARGET_US)
    )
    table.key["redaction p95"] = f"{worst:.0f} µs"
    return [table]


def main() -> None:
    print(
        f"Redaction, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {time.strftime('%Y-%m-%d')}\n"
    )
    for table in run("quick"):
        print(table.markdown())
        for target in table.targets:
            print(f"- {target.name}: {target.measured} (goal {target.goal}, met: {target.met})")


if __name__ == "__main__":
    main()
