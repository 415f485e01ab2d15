"""The rule-based scorecard (no LLM): each rubric criterion scored 1-5 from the metrics and
transcript, with the rule's rationale and quotes as evidence."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from app.models import Suggestion
from app.services.analysis.extractive import next_step_sentences
from app.services.analysis.rubric import Criterion
from app.services.analysis.transcript import Line, Sentence, evidence, sentences
from app.services.coaching.speech import count_questions

AGREEMENT = re.compile(
    r"\b(yes|yeah|sure|sounds good|works for me|that works|perfect|great|ok|okay)\b"
)
POSITIVE = re.compile(
    r"\b(thanks|thank you|great|love|helpful|appreciate|interesting|makes sense)\b"
)
Card = dict[str, Any]
Inputs = tuple[Sequence[Line], dict[str, Any], Sequence[Suggestion]]


def _card(criterion: Criterion, score: int, rationale: str, quotes: list[Sentence]) -> Card:
    return {
        "criterion": criterion.name,
        "title": criterion.title,
        "score": max(1, min(5, score)),
        "rationale": rationale,
        "evidence": [evidence(s) for s in quotes[:2]],
    }


def _by_source(lines: Sequence[Line], source: str) -> list[Sentence]:
    return [s for s in sentences(lines) if s.line.source == source]


def discovery(c: Criterion, inputs: Inputs) -> Card:
    lines, metrics, _ = inputs
    asked = metrics.get("rep_questions", 0)
    score = 1 if asked == 0 else 2 if asked <= 2 else 3 if asked <= 4 else 4 if asked <= 7 else 5
    quotes = [s for s in _by_source(lines, "rep") if count_questions(s.text)]
    return _card(c, score, f"The rep asked {asked} question(s).", quotes)


def _reply_after(lines: Sequence[Line], utterance_id: str | None) -> Line | None:
    ids = [line.utterance_id for line in lines]
    if utterance_id not in ids:
        return None
    for line in lines[ids.index(utterance_id) + 1 :]:
        if line.source == "rep":
            return line
    return None


def objection_handling(c: Criterion, inputs: Inputs) -> Card:
    lines, _, suggestions = inputs
    objections = [s for s in suggestions if s.kind == "objection"]
    if not objections:
        return _card(c, 3, "No objections were detected on this call.", [])
    replies = [_reply_after(lines, s.trigger_utterance_id) for s in objections]
    handled = [r for r in replies if r and (count_questions(r.text) or len(r.text.split()) >= 8)]
    used = sum(s.feedback == "used" for s in objections)
    score = 1 + round(4 * len(handled) / len(objections))
    rationale = (
        f"{len(handled)} of {len(objections)} objection(s) got a substantive reply or question; "
        f"{used} suggested talk track(s) marked used."
    )
    quotes = [Sentence(0, r, r.text) for r in handled]
    return _card(c, score, rationale, quotes)


def next_step(c: Criterion, inputs: Inputs) -> Card:
    lines, _, _ = inputs
    found = next_step_sentences(lines)
    if not found:
        return _card(c, 1, "No next step was discussed.", [])
    end_ms = max(line.start_ms for line in lines)
    late = [s for s in found if s.line.start_ms >= 0.6 * end_ms]
    if not late:
        return _card(c, 3, "A next step came up, but not at the end of the call.", found)
    last = late[-1].line
    after = [line for line in lines if line.start_ms > last.start_ms and line.source == "prospect"]
    agreed = any(AGREEMENT.search(line.text.lower()) for line in after[:2]) or (
        last.source == "prospect"
    )
    if agreed:
        return _card(c, 5, "A next step was proposed near the end and agreed.", late[-1:])
    return _card(c, 4, "A next step was proposed near the end.", late[-1:])


def talk_ratio(c: Criterion, inputs: Inputs) -> Card:
    _, metrics, _ = inputs
    total = metrics.get("rep_talk_s", 0) + metrics.get("prospect_talk_s", 0)
    if not total:
        return _card(c, 1, "Nobody's speech was recorded.", [])
    ratio = metrics.get("talk_ratio", 0.0)
    distance = abs(ratio - 0.5)
    score = 5 if distance <= 0.1 else 4 if distance <= 0.2 else 3 if distance <= 0.3 else 2
    return _card(c, score, f"The rep talked {round(ratio * 100)}% of the time.", [])


def rapport(c: Criterion, inputs: Inputs) -> Card:
    lines, metrics, _ = inputs
    words = metrics.get("rep_words", 0) + metrics.get("prospect_words", 0)
    share = metrics.get("prospect_words", 0) / words if words else 0.0
    warm = [s for s in _by_source(lines, "prospect") if POSITIVE.search(s.text.lower())]
    asked = metrics.get("prospect_questions", 0)
    score = 2 + (asked > 0) + (share >= 0.3) + bool(warm)
    rationale = (
        f"The prospect said {round(share * 100)}% of the words, asked {asked} question(s) "
        f"and {'did' if warm else 'did not'} respond warmly."
    )
    return _card(c, score if words else 1, rationale, warm)


RULES: dict[str, Callable[[Criterion, Inputs], Card]] = {
    "discovery": discovery,
    "objection_handling": objection_handling,
    "next_step": next_step,
    "talk_ratio": talk_ratio,
    "rapport": rapport,
}


def scorecard(
    rubric: Sequence[Criterion],
    lines: Sequence[Line],
    metrics: dict[str, Any],
    suggestions: Sequence[Suggestion],
) -> list[Card]:
    """Score every criterion that has a rule; unknown criteria get a neutral 3."""
    inputs: Inputs = (lines, metrics, suggestions)
    cards = []
    for criterion in rubric:
        rule = RULES.get(criterion.name)
        if rule is None:
            cards.append(_card(criterion, 3, "No rule scores this criterion.", []))
        else:
            cards.append(rule(criterion, inputs))
    return cards
