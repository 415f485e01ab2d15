"""Deterministic call metrics, computed from the stored call (always part of an analysis).

Talk figures reuse the live pipeline's :class:`LiveMetrics` and speech heuristics, so the
post-call numbers mean exactly what the live ``metrics`` events meant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from app.events import SOURCES
from app.models import Call, Suggestion
from app.models import Utterance as StoredUtterance
from app.services.coaching.base import Utterance
from app.services.coaching.live_metrics import LiveMetrics
from app.services.transcription.base import Word


def to_coaching(row: StoredUtterance) -> Utterance | None:
    """A stored utterance as the coach sees it (None for an unknown speaker)."""
    if row.source not in SOURCES:
        return None
    words = tuple(
        Word(str(w[0]), int(w[1]), int(w[2]))
        for w in (row.words or [])
        if isinstance(w, list | tuple) and len(w) >= 3
    )
    return Utterance(
        utterance_id=row.id,
        source=row.source,  # type: ignore[arg-type]
        text=row.text,
        start_ms=row.start_ms,
        end_ms=row.end_ms,
        confidence=row.confidence,
        words=words,
    )


def talk_metrics(utterances: Sequence[StoredUtterance]) -> dict[str, Any]:
    """Talk ratio, monologue, questions, fillers and pace over the whole call."""
    live = LiveMetrics(retain_s=0.0)
    for row in utterances:
        utterance = to_coaching(row)
        if utterance is not None:
            live.ingest(utterance)
    rep, prospect = live.rep, live.prospect
    pace = rep.words * 60_000 / rep.talk_ms if rep.talk_ms else 0.0
    return {
        "talk_ratio": round(live.talk_ratio(), 3),
        "rep_talk_s": round(rep.talk_ms / 1000, 1),
        "prospect_talk_s": round(prospect.talk_ms / 1000, 1),
        "longest_monologue_s": round(live.longest_monologue_s(), 1),
        "rep_questions": rep.questions,
        "prospect_questions": prospect.questions,
        "filler_words": live.filler_words,
        "filler_per_100_words": round(100 * live.filler_words / rep.words, 1) if rep.words else 0,
        "rep_words": rep.words,
        "prospect_words": prospect.words,
        "rep_wpm": round(pace),
        "utterances": len(utterances),
    }


def suggestion_metrics(suggestions: Sequence[Suggestion]) -> dict[str, Any]:
    """Suggestions shown / used / dismissed, and objections met grouped by type."""
    by_type: dict[str, dict[str, int]] = defaultdict(lambda: {"count": 0, "used": 0})
    for s in suggestions:
        if s.kind == "objection":
            entry = by_type[s.entry_name or s.title]
            entry["count"] += 1
            entry["used"] += s.feedback == "used"
    return {
        "suggestions_shown": len(suggestions),
        "suggestions_used": sum(s.feedback == "used" for s in suggestions),
        "suggestions_dismissed": sum(s.feedback == "dismissed" for s in suggestions),
        "objections": [
            {"type": name, **counts}
            for name, counts in sorted(by_type.items(), key=lambda kv: (-kv[1]["count"], kv[0]))
        ],
    }


def checklist_metrics(call: Call) -> dict[str, Any]:
    """Checklist coverage from the live summary the coach stored when the call ended."""
    items = (call.live_summary or {}).get("checklist") or []
    rows: list[dict[str, Any]] = [
        {"name": str(i.get("name")), "title": str(i.get("title")), "done": bool(i.get("done"))}
        for i in items
        if isinstance(i, dict)
    ]
    done = sum(r["done"] for r in rows)
    return {
        "checklist_coverage": round(done / len(rows), 3) if rows else None,
        "checklist": rows,
    }


def call_metrics(
    call: Call, utterances: Sequence[StoredUtterance], suggestions: Sequence[Suggestion]
) -> dict[str, Any]:
    return {
        "duration_s": call.duration_s,
        **talk_metrics(utterances),
        **suggestion_metrics(suggestions),
        **checklist_metrics(call),
    }
