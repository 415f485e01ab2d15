"""The spoken benchmark counts only the cards a rep is left with."""

from __future__ import annotations

from bench.moments import Labelled
from bench.moments_spoken import attribute, shown


def test_a_withdrawn_card_does_not_count_and_the_finals_own_card_does():
    cards = {
        "s1": (10.2, "Pricing question", "interim-1"),  # fired on an interim, then withdrawn
        "s2": (10.9, "Price objection", "final-1"),
        "s3": (11.0, "Ghost", "unknown-utterance"),
    }
    spans = {"interim-1": 2.0, "final-1": 2.5}
    assert shown(cards, {"s1"}, spans) == [(10.9, "Price objection", 2.5)]
    assert [c[1] for c in shown(cards, set(), spans)] == ["Pricing question", "Price objection"]


def test_a_line_whose_only_card_was_withdrawn_is_not_carded():
    rows = [Labelled("I think your price is way too high", frozenset({"objection-price"}))]
    cards = {"s1": (9.0, "Pricing question", "interim-1")}
    lines = attribute(rows, [(1.0, 3.0)], 5.0, shown(cards, {"s1"}, {"interim-1": 2.0}))
    assert lines[0][2] is None and lines[0][3] is None
