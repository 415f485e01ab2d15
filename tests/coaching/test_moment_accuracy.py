"""Accuracy floor of moment detection on the labelled sets (bench/moments.py measures time).

The floors sit a little below the figures measured when they were set, so a change that
makes detection worse fails here; docs/coaching.md has the measured numbers.
"""

from __future__ import annotations

import pytest

from app.services.coaching.moments import neutral_examples
from app.services.coaching.text import normalize
from app.services.coaching.toolkit_data import default_toolkit_items
from bench.moments import SETS, Labelled, Scores, evaluate, load_set

FLOORS = {  # name: (recall at least, neutral carded at most, right entry at least)
    "dev": (0.92, 0.03, 0.91),
    "holdout": (0.94, 0.04, 0.92),
}


@pytest.fixture(scope="module")
def sets() -> dict[str, list[Labelled]]:
    return {name: load_set(path) for name, path in SETS.items()}


@pytest.fixture(scope="module")
def scores(sets: dict[str, list[Labelled]]) -> dict[str, Scores]:
    return {name: evaluate(rows) for name, rows in sets.items()}


def _near(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Identical after normalisation, or sharing at least 70 % of their distinct words."""
    if a == b:
        return True
    sa, sb = set(a), set(b)
    return len(sa & sb) / max(1, len(sa | sb)) >= 0.7


def test_the_dev_set_has_enough_moments_of_every_kind_and_neutral_lines(
    sets: dict[str, list[Labelled]],
) -> None:
    dev = sets["dev"]
    moments = [row for row in dev if not row.neutral]
    assert len(moments) >= 300
    assert sum(row.neutral for row in dev) >= 100
    with_examples = {item.name for item in default_toolkit_items() if item.examples}
    labelled = {name for row in moments for name in row.entries}
    assert with_examples <= labelled
    assert labelled <= {item.name for item in default_toolkit_items()}


def test_labelled_lines_stay_apart_from_the_shipped_examples(
    sets: dict[str, list[Labelled]],
) -> None:
    shipped = [normalize(text) for item in default_toolkit_items() for text in item.examples]
    shipped += [normalize(text) for text in neutral_examples()]
    close = [
        row.text
        for rows in sets.values()
        for row in rows
        if any(_near(normalize(row.text), other) for other in shipped)
    ]
    assert close == []


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_detection_holds_its_accuracy_floor(name: str, scores: dict[str, Scores]) -> None:
    recall, fp_rate, right = FLOORS[name]
    result = scores[name]
    assert result.recall >= recall, result.misses
    assert result.fp_rate <= fp_rate, result.false_positives
    assert result.right_share >= right, result.wrong
