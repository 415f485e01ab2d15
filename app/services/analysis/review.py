"""The coaching review next to the rubric: what worked, missed opportunities with what to
do instead, improvement tips and the call's outcome.

Without a model it is built by rules from the scorecard, the metrics, the live summary
(checklist, stage objectives) and the transcript; with one, the model's review (checked
and cut to size by :func:`review_from_llm`) replaces it field by field. Shape::

    {what_worked: [str], missed_opportunities: [{moment, instead}], tips: [str],
     outcome: {label: won|lost|follow_up|no_decision, reason}, origin: "rules"|"llm"}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from app.models import Call, Suggestion
from app.services.analysis.extractive import next_step_sentences
from app.services.analysis.rubric import Criterion
from app.services.analysis.transcript import Line, clock

OUTCOMES = ("won", "lost", "follow_up", "no_decision")
MAX_ITEMS = 5
MAX_TEXT = 400
STRONG, WEAK = 4, 2  # scorecard scores that count as worked / missed
LOST = re.compile(
    r"\b(not interested|no thanks|no thank you|we will pass|going with someone else)\b"
)
WON = re.compile(r"\b(send (me |over )?the contract|we will sign|let's do it|you have a deal)\b")


def _clip(text: Any) -> str:
    return " ".join(str(text or "").split())[:MAX_TEXT]


Miss = dict[str, str]


def _objection_misses(lines: Sequence[Line], suggestions: Sequence[Suggestion]) -> list[Miss]:
    """Objections the rep answered without a question (or not at all)."""
    by_id = {line.utterance_id: i for i, line in enumerate(lines)}
    missed = []
    for card in (s for s in suggestions if s.kind == "objection"):
        at = by_id.get(card.trigger_utterance_id or "")
        if at is None:
            continue
        reply = next((ln for ln in lines[at + 1 :] if ln.source == "rep"), None)
        if reply is None or "?" not in reply.text:
            said = lines[at]
            missed.append(
                {
                    "moment": f"[{clock(said.start_ms)}] {card.title}: “{_clip(said.text)}”",
                    "instead": _clip(card.body),
                }
            )
    return missed


def _rule_misses(
    call: Call,
    lines: Sequence[Line],
    scorecard: Sequence[dict[str, Any]],
    suggestions: Sequence[Suggestion],
    rubric: Sequence[Criterion],
) -> list[Miss]:
    missed = _objection_misses(lines, suggestions)
    guides = {c.name: f"Aim for this: {c.guide}" for c in rubric}
    for card in scorecard:
        if card.get("score", 5) <= WEAK:
            instead = guides.get(card["criterion"]) or "Work on this before the next call."
            missed.append({"moment": f"{card['title']}: {card['rationale']}", "instead": instead})
    checklist = (call.live_summary or {}).get("checklist") or []
    for item in (i for i in checklist if isinstance(i, dict) and not i.get("done")):
        missed.append(
            {
                "moment": f"{item.get('title')} never came up.",
                "instead": f"Ask about {str(item.get('title')).lower()} before you close.",
            }
        )
    return missed[:MAX_ITEMS]


def _tips(metrics: dict[str, Any]) -> list[str]:
    tips = []
    if metrics.get("talk_ratio", 0) > 0.65:
        tips.append(
            f"You spoke {round(100 * metrics['talk_ratio'])}% of the time: ask, then listen; "
            "aim for under 60%."
        )
    if metrics.get("rep_questions", 0) < 3:
        tips.append("Ask more open questions (how, what, walk me through) before you pitch.")
    if metrics.get("longest_monologue_s", 0) > 90:
        tips.append(
            f"Your longest monologue ran {round(metrics['longest_monologue_s'])} s: "
            "stop and check in every minute."
        )
    if metrics.get("filler_per_100_words", 0) > 4:
        tips.append("Cut filler words; a short pause sounds more confident.")
    if metrics.get("rep_wpm", 0) > 180:
        tips.append(f"Slow down: {metrics['rep_wpm']} words a minute is hard to follow.")
    return tips[:MAX_ITEMS] or ["Keep the same structure on your next call."]


def _outcome(call: Call, lines: Sequence[Line]) -> dict[str, str]:
    if call.outcome in OUTCOMES:
        return {"label": call.outcome, "reason": "Set by the rep."}
    prospect = " ".join(ln.text.lower() for ln in lines if ln.source == "prospect")
    if WON.search(prospect):
        return {"label": "won", "reason": "The prospect agreed to go ahead."}
    if LOST.search(prospect):
        return {"label": "lost", "reason": "The prospect declined."}
    steps = next_step_sentences(lines)
    if steps:
        return {"label": "follow_up", "reason": f"Next step discussed: “{_clip(steps[-1].text)}”"}
    return {"label": "no_decision", "reason": "No decision or next step was agreed."}


def rule_review(
    call: Call,
    lines: Sequence[Line],
    results: dict[str, Any],
    suggestions: Sequence[Suggestion],
    rubric: Sequence[Criterion],
) -> dict[str, Any]:
    """The review built by rules (no model)."""
    checklist = (call.live_summary or {}).get("checklist") or []
    done = [str(i.get("title")) for i in checklist if isinstance(i, dict) and i.get("done")]
    worked = [f"Covered: {', '.join(done)}."] if done else []
    worked += [
        f"{card['title']}: {card['rationale']}"
        for card in results.get("scorecard", [])
        if card.get("score", 0) >= STRONG
    ]
    return {
        "what_worked": worked[:MAX_ITEMS],
        "missed_opportunities": _rule_misses(
            call, lines, results.get("scorecard", []), suggestions, rubric
        ),
        "tips": _tips(results.get("metrics", {})),
        "outcome": _outcome(call, lines),
        "origin": "rules",
    }


def _strings(raw: Any) -> list[str]:
    return [t for t in (_clip(x) for x in (raw if isinstance(raw, list) else [])) if t][:MAX_ITEMS]


def review_from_llm(raw: Any, fallback: dict[str, Any]) -> dict[str, Any]:
    """The model's review, checked; a field it left out or got wrong keeps the rules' value."""
    if not isinstance(raw, dict):
        return fallback
    misses = [
        {"moment": _clip(m.get("moment")), "instead": _clip(m.get("instead"))}
        for m in (raw.get("missed_opportunities") or [])
        if isinstance(m, dict) and _clip(m.get("moment")) and _clip(m.get("instead"))
    ][:MAX_ITEMS]
    given = raw.get("outcome")
    outcome: dict[str, Any] = given if isinstance(given, dict) else {}
    label = outcome.get("label") if outcome.get("label") in OUTCOMES else None
    return {
        "what_worked": _strings(raw.get("what_worked")) or fallback["what_worked"],
        "missed_opportunities": misses or fallback["missed_opportunities"],
        "tips": _strings(raw.get("tips")) or fallback["tips"],
        "outcome": (
            {"label": label, "reason": _clip(outcome.get("reason"))}
            if label
            else fallback["outcome"]
        ),
        "origin": "llm",
    }


REVIEW_TOOL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "what_worked": {"type": "array", "items": {"type": "string"}},
        "missed_opportunities": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"moment": {"type": "string"}, "instead": {"type": "string"}},
                "required": ["moment", "instead"],
            },
        },
        "tips": {"type": "array", "items": {"type": "string"}},
        "outcome": {
            "type": "object",
            "properties": {
                "label": {"type": "string", "enum": list(OUTCOMES)},
                "reason": {"type": "string"},
            },
            "required": ["label", "reason"],
        },
    },
    "required": ["what_worked", "missed_opportunities", "tips", "outcome"],
}
