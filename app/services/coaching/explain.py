"""Try a sentence": which entry of a toolkit an utterance would card, and why.

Used by the toolkit editor so a manager can tune examples and thresholds without reading
code. It runs the same matcher as a live call (phrases first, then meaning), on a fresh
matcher so no cooldown applies, and also reports the closest entries by meaning.
"""

from __future__ import annotations

from typing import Any, cast

from app.events import Source
from app.services.coaching.base import ToolkitItem, Utterance
from app.services.coaching.moments import moment_index, threshold_of
from app.services.coaching.playbook import PlaybookMatcher, card_items, compile_toolkit
from app.services.coaching.text import normalize

TOP = 5


def try_sentence(items: tuple[ToolkitItem, ...], text: str, source: str) -> dict[str, Any]:
    """``{fired: {...} | None, closest: [{name, title, kind, score, threshold}]}``."""
    utterance = Utterance("try", cast(Source, source), text, 0, 1000)
    tokens = normalize(text)
    matcher = PlaybookMatcher(items)
    fired = matcher.match(utterance, tokens, limit=1)
    index = moment_index(card_items(items))
    closest = index.scores(text)[:TOP] if index is not None else []
    phrase_hits = {item.entry_id for item, _ in compile_toolkit(card_items(items)).find(tokens)}
    result: dict[str, Any] = {"fired": None, "closest": [_row(s.item, s.score) for s in closest]}
    if fired:
        item = fired[0]
        score = next((s.score for s in closest if s.item.entry_id == item.entry_id), None)
        by = "phrase" if item.entry_id in phrase_hits else "meaning"
        result["fired"] = {**_row(item, score), "by": by}
    return result


def _row(item: ToolkitItem, score: float | None) -> dict[str, Any]:
    return {
        "name": item.name,
        "title": item.title,
        "kind": item.kind,
        "score": None if score is None else round(score, 3),
        "threshold": threshold_of(item),
    }
