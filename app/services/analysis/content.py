"""What an analysis contains: metrics always; an LLM or an extractive/rule-based reading.

Result shape (``CallAnalysis.results``)::

    {version, engine: "llm"|"extractive", metrics: {...}, summary: str,
     key_moments: [evidence], action_items: [item], next_steps: [item],
     scorecard: [{criterion, title, score, rationale, evidence: [evidence]}],
     review: {what_worked, missed_opportunities, tips, outcome, origin} (review.py)}

with ``evidence = {quote, at_ms, at, source, utterance_id}`` and
``item = {text, owner, at_ms, at}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.models import Call, Suggestion
from app.models import Utterance as StoredUtterance
from app.services.analysis import extractive, rules
from app.services.analysis.call_metrics import call_metrics
from app.services.analysis.llm import OWNERS, AnalysisLlm
from app.services.analysis.review import review_from_llm, rule_review
from app.services.analysis.rubric import MAX_SCORE, MIN_SCORE, Criterion
from app.services.analysis.transcript import Line, clock, find_quote, lines_of
from app.services.coaching.llm_client import LlmFailure

VERSION = 1
MAX_TEXT = 500
MAX_SUMMARY = 4000


def offline_results(
    call: Call,
    utterances: Sequence[StoredUtterance],
    suggestions: Sequence[Suggestion],
    rubric: Sequence[Criterion],
) -> dict[str, Any]:
    """Metrics plus the extractive summary and the rule-based scorecard."""
    lines = lines_of(utterances)
    metrics = call_metrics(call, utterances, suggestions)
    summary, moments = extractive.summary(lines)
    results = {
        "version": VERSION,
        "engine": "extractive",
        "metrics": metrics,
        "summary": summary,
        "key_moments": moments,
        "action_items": extractive.action_items(lines),
        "next_steps": extractive.next_steps(lines),
        "scorecard": rules.scorecard(rubric, lines, metrics, suggestions),
    }
    results["review"] = rule_review(call, lines, results, suggestions, rubric)
    return results


def analyse(
    call: Call,
    utterances: Sequence[StoredUtterance],
    suggestions: Sequence[Suggestion],
    rubric: Sequence[Criterion],
    llm: AnalysisLlm | None,
) -> tuple[dict[str, Any], str | None]:
    """The results and an error code (an LLM failure keeps the offline results)."""
    results = offline_results(call, utterances, suggestions, rubric)
    lines = lines_of(utterances)
    if llm is None or not lines:
        return results, None
    try:
        raw = llm.analyse(rubric, call.title, call.goal, lines)
    except LlmFailure as failure:
        return results, failure.reason
    llm_results = from_llm(raw, lines, rubric, results["scorecard"])
    llm_results["review"] = review_from_llm(raw.get("review"), results["review"])
    return {**results, **llm_results, "engine": "llm"}, None


def _text(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _items(raw: Any) -> list[dict[str, Any]]:
    items = []
    for entry in raw if isinstance(raw, list) else []:
        entry = entry if isinstance(entry, dict) else {"text": entry}
        text = _text(entry.get("text"), MAX_TEXT)
        if text:
            owner = entry.get("owner") if entry.get("owner") in OWNERS else None
            items.append({"text": text, "owner": owner, "at_ms": None, "at": None})
    return items[:10]


def _evidence(raw: Any, lines: Sequence[Line]) -> list[dict[str, Any]]:
    kept = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict):
            continue
        quote = _text(entry.get("quote"), MAX_TEXT)
        near = entry.get("at_ms") if isinstance(entry.get("at_ms"), int) else None
        line = find_quote(lines, quote, near)
        if line is not None:
            kept.append(
                {
                    "quote": quote,
                    "at_ms": line.start_ms,
                    "at": clock(line.start_ms),
                    "source": line.source,
                    "utterance_id": line.utterance_id,
                }
            )
    return kept[:3]


def _score(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return max(MIN_SCORE, min(MAX_SCORE, round(value)))


def _scorecard(
    raw: Any, lines: Sequence[Line], rubric: Sequence[Criterion], fallback: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    given = {
        c.get("criterion"): c for c in (raw if isinstance(raw, list) else []) if isinstance(c, dict)
    }
    by_rule = {card["criterion"]: card for card in fallback}
    cards = []
    for criterion in rubric:
        card, score = given.get(criterion.name), None
        if card is not None:
            score = _score(card.get("score"))
        if card is None or score is None:  # the model skipped it: keep the rule's score
            cards.append({**by_rule[criterion.name], "engine": "rules"})
            continue
        cards.append(
            {
                "criterion": criterion.name,
                "title": criterion.title,
                "score": score,
                "rationale": _text(card.get("rationale"), MAX_TEXT),
                "evidence": _evidence(card.get("evidence"), lines),
            }
        )
    return cards


def from_llm(
    raw: dict[str, Any],
    lines: Sequence[Line],
    rubric: Sequence[Criterion],
    fallback: list[dict[str, Any]],
) -> dict[str, Any]:
    """The model's tool input, checked and normalised into the result shape."""
    return {
        "summary": _text(raw.get("summary"), MAX_SUMMARY),
        "action_items": _items(raw.get("action_items")),
        "next_steps": _items(raw.get("next_steps")),
        "scorecard": _scorecard(raw.get("scorecard"), lines, rubric, fallback),
    }
