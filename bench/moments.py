"""Moment detection on the labelled sets: recall per entry, false positives, right entry, time.

Run alone: ``.venv/bin/python -m bench.moments``. Each utterance of
``tests/fixtures/moments_dev.tsv`` (tuned on) and ``moments_holdout.tsv`` (never tuned on)
goes, as prospect text, through a fresh :class:`PlaybookMatcher` on the default toolkit
(phrases first, then meaning), so no cooldown interferes. ``tests/coaching`` holds a floor
on the same accuracy numbers; the time is only measured here.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy: as wsgi.py

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.services.coaching.base import ToolkitItem, Utterance
from app.services.coaching.playbook import PlaybookMatcher
from app.services.coaching.toolkit_data import default_toolkit_items
from bench.report import Table, Target, pct

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SETS = {"dev": FIXTURES / "moments_dev.tsv", "holdout": FIXTURES / "moments_holdout.tsv"}
NEUTRAL = "-"


@dataclass(frozen=True)
class Labelled:
    text: str
    entries: frozenset[str]  # empty: neutral

    @property
    def neutral(self) -> bool:
        return not self.entries


def load_set(path: Path) -> list[Labelled]:
    """``entry<TAB>text`` lines; ``-`` marks neutral, ``a|b`` accepts either entry."""
    rows = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, text = line.split("\t", 1)
        names = frozenset() if label == NEUTRAL else frozenset(label.split("|"))
        rows.append(Labelled(text.strip(), names))
    return rows


@dataclass
class Scores:
    hits: Counter[str] = field(default_factory=Counter)  # per label: carded at all
    right: Counter[str] = field(default_factory=Counter)  # per label: carded with its entry
    totals: Counter[str] = field(default_factory=Counter)
    neutral: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    times_ms: list[float] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return sum(self.hits.values()) / max(1, sum(self.totals.values()))

    @property
    def fp_rate(self) -> float:
        return len(self.false_positives) / max(1, self.neutral)

    @property
    def right_share(self) -> float:
        return sum(self.right.values()) / max(1, sum(self.hits.values()))


def detect(items: tuple[ToolkitItem, ...], text: str) -> list[str]:
    """Entry names a fresh matcher cards for ``text`` said by the prospect."""
    utterance = Utterance("u", "prospect", text, 0, 1000)
    return [item.name for item in PlaybookMatcher(items).match(utterance, limit=2)]


def evaluate(rows: Sequence[Labelled], items: tuple[ToolkitItem, ...] | None = None) -> Scores:
    items = items if items is not None else default_toolkit_items()
    scores = Scores()
    for row in rows:
        start = time.perf_counter()
        fired = detect(items, row.text)
        scores.times_ms.append((time.perf_counter() - start) * 1000)
        if row.neutral:
            scores.neutral += 1
            if fired:
                scores.false_positives.append(f"{row.text} -> {fired[0]}")
            continue
        label = "|".join(sorted(row.entries))
        scores.totals[label] += 1
        if not fired:
            scores.misses.append(f"{label}: {row.text}")
        elif fired[0] in row.entries:
            scores.hits[label] += 1
            scores.right[label] += 1
        else:
            scores.hits[label] += 1
            scores.wrong.append(f"{label}: {row.text} -> {fired[0]}")
    return scores


def table(name: str, scores: Scores) -> Table:
    out = Table(
        f"Moment detection, {name} set (default toolkit, text as the prospect)",
        ["entry", "utterances", "carded", "right entry"],
    )
    for label in sorted(scores.totals):
        total = scores.totals[label]
        out.rows.append(
            [label, str(total), f"{scores.hits[label] / total:.0%}", str(scores.right[label])]
        )
    p95 = pct(scores.times_ms, 95)
    out.rows.append(["all moments", str(sum(scores.totals.values())), f"{scores.recall:.1%}", ""])
    out.rows.append(["neutral lines carded", str(scores.neutral), f"{scores.fp_rate:.1%}", ""])
    out.notes.append(f"right entry among carded moments: {scores.right_share:.1%}")
    out.notes.append(
        f"detection time per utterance: p50 {pct(scores.times_ms, 50):.2f} ms, "
        f"p95 {p95:.2f} ms (first pass per text; the machine is shared)"
    )
    out.targets += [
        Target(f"{name}: recall", ">= 90 %", f"{scores.recall:.1%}", scores.recall >= 0.9),
        Target(
            f"{name}: neutral carded", "<= 3 %", f"{scores.fp_rate:.1%}", scores.fp_rate <= 0.03
        ),
        Target(
            f"{name}: right entry",
            ">= 90 %",
            f"{scores.right_share:.1%}",
            scores.right_share >= 0.9,
        ),
        Target(f"{name}: detection p95", "< 10 ms", f"{p95:.2f} ms", p95 < 10),
    ]
    out.key[f"{name} recall"] = f"{scores.recall:.1%}"
    out.key[f"{name} fp"] = f"{scores.fp_rate:.1%}"
    return out


def run(profile: str) -> list[Table]:
    del profile  # the sets are small: same work in every profile
    return [table(name, evaluate(load_set(path))) for name, path in SETS.items() if path.exists()]


def main() -> None:
    for name, path in SETS.items():
        if not path.exists():
            continue
        scores = evaluate(load_set(path))
        print(table(name, scores).markdown())
        for title, lines in (
            ("missed", scores.misses),
            ("wrong", scores.wrong),
            ("false positive", scores.false_positives),
        ):
            for line in lines:
                print(f"  {title}: {line}")


if __name__ == "__main__":
    main()
