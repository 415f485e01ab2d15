"""What a benchmark module returns: tables of measured numbers, targets met or missed.

Every benchmark module exposes ``run(profile: str) -> list[Table]``; the runner prints the
tables and writes them into docs/performance.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    """One number we hold ourselves to: the goal, the measured value, met or not.

    ``slug`` names the target in docs/performance.json (see bench/targets.py); ``value`` and
    ``unit`` are the measured number behind the ``measured`` text.
    """

    name: str
    goal: str
    measured: str
    met: bool
    slug: str = ""
    value: float | None = None
    unit: str = ""


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    key: dict[str, str] = field(default_factory=dict)  # short numbers kept in the history

    def markdown(self) -> str:
        lines = [f"### {self.title}", ""]
        lines.append("| " + " | ".join(self.headers) + " |")
        lines.append("|" + "---|" * len(self.headers))
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in self.rows]
        if self.notes:
            lines.append("")
            lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


def pct(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return float(values[0])
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def ms(value: float) -> str:
    """Milliseconds with a precision that suits the size."""
    if value != value:  # NaN
        return "n/a"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of ``(x, y)`` points; 0 for fewer than two."""
    if len(points) < 2:
        return 0.0
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else 0.0
