"""Renders docs/performance.md: the last run's tables, the targets, a short history.

The history (last five runs) and the hand-written notes section are carried over from the
previous file; everything else is replaced by the new run.
"""

from __future__ import annotations

import re
from pathlib import Path

from bench import targets as named_targets
from bench.report import Table, Target

HISTORY_START, HISTORY_END = "<!-- history:start -->", "<!-- history:end -->"
NOTES_START, NOTES_END = "<!-- notes:start -->", "<!-- notes:end -->"
HISTORY_KEEP = 5
HISTORY_HEAD = "| date | profile | commit | key numbers |\n|---|---|---|---|"


def _between(text: str, start: str, end: str) -> str:
    match = re.search(re.escape(start) + r"\n(.*?)" + re.escape(end), text, re.S)
    return match.group(1) if match else ""


def previous_history(text: str) -> list[str]:
    body = _between(text, HISTORY_START, HISTORY_END)
    return [
        line
        for line in body.splitlines()
        if line.startswith("| ") and not line.startswith("| date")
    ]


def history_row(date: str, profile: str, commit: str, tables: list[Table]) -> str:
    keys = "; ".join(f"{k} {v}" for t in tables for k, v in t.key.items())
    return f"| {date} | {profile} | {commit} | {keys or '-'} |"


def targets_table(targets: list[Target]) -> str:
    lines = ["| target | goal | measured | status |", "|---|---|---|---|"]
    for t in targets:
        lines.append(f"| {t.name} | {t.goal} | {t.measured} | {'met' if t.met else '**missed**'} |")
    return "\n".join(lines) + "\n"


def render(
    previous: str, machine: dict[str, str], date: str, profile: str, tables: list[Table]
) -> str:
    history = [history_row(date, profile, machine["commit"], tables)]
    history += previous_history(previous)
    notes = _between(previous, NOTES_START, NOTES_END) or "(none yet)\n"
    targets = [t for table in tables for t in table.targets]
    parts = [
        "# Performance\n",
        "Written by `make bench` (`python -m bench.run --profile quick`; `BENCH=full` for the "
        "long runs, `BENCH_FULL=soak` for the named modules only). The tables and targets are replaced on every run; the history keeps the "
        "last five runs. Edit only the notes section by hand.\n",
        "## Last run\n",
        f"- date: {date}\n- profile: {profile}\n"
        + "".join(f"- {k}: {v}\n" for k, v in machine.items()),
        "## Targets\n",
        targets_table(targets),
        "## Results\n",
        *[t.markdown() for t in tables],
        "## Notes\n",
        f"{NOTES_START}\n{notes}{NOTES_END}\n",
        "## History\n",
        f"{HISTORY_START}\n{HISTORY_HEAD}\n"
        + "\n".join(history[:HISTORY_KEEP])
        + f"\n{HISTORY_END}\n",
    ]
    return "\n".join(parts)


def write(
    path: Path, machine: dict[str, str], date: str, profile: str, tables: list[Table]
) -> None:
    """Write ``path`` (markdown) and, beside it, the same run's targets as JSON."""
    previous = path.read_text() if path.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(previous, machine, date, profile, tables))
    named_targets.write(path.with_suffix(".json"), machine, date, profile, tables)
