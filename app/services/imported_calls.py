"""Calls that were never live (MVP imports): their summary and metrics, computed from the
stored transcript exactly as the live coach would have, and their post-call analysis.

A live call gets its summary from the coach at call end; an imported call gets the same
shape here (talk time and ratio, questions, checklist coverage), stored in the same
columns, so analytics and the call page treat both alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Call, Utterance
from app.services.analysis import store
from app.services.analysis.call_metrics import talk_metrics, to_coaching
from app.services.coaching.base import ToolkitItem
from app.services.coaching.checklist import Checklist
from app.services.coaching.text import normalize
from app.services.coaching.toolkit_data import to_items
from app.services.metric_columns import stored_metrics
from app.services.toolkit import entries_for

LEGACY = "legacy"


def summary_of(utterances: Sequence[Utterance], toolkit: Sequence[ToolkitItem]) -> dict[str, Any]:
    """The live summary the coach would have stored: metrics and the checklist."""
    talk = talk_metrics(utterances)
    checklist = Checklist(toolkit)
    for row in utterances:
        utterance = to_coaching(row)
        if utterance is not None:
            checklist.observe(utterance, normalize(utterance.text))
    attributed = talk["rep_talk_s"] + talk["prospect_talk_s"]
    metrics = {
        # no speech of a known speaker (one-microphone MVP logs): the ratio is unknown, not 0
        "talk_ratio": talk["talk_ratio"] if attributed else None,
        "rep_talk_s": talk["rep_talk_s"],
        "prospect_talk_s": talk["prospect_talk_s"],
        "questions_asked": talk["rep_questions"],
        "prospect_questions": talk["prospect_questions"],
        "longest_monologue_s": talk["longest_monologue_s"],
        "filler_words": talk["filler_words"],
        "rep_wpm": talk["rep_wpm"],
    }
    return {"metrics": metrics, "checklist": checklist.stored(), "source": "transcript"}


def summarize(call: Call, toolkit: Sequence[ToolkitItem] | None = None) -> None:
    """Fill ``live_summary`` and the metric columns of a call from its stored transcript."""
    rows = db.session.scalars(
        select(Utterance).where(Utterance.call_id == call.id).order_by(Utterance.start_ms)
    ).all()
    items = toolkit if toolkit is not None else to_items(entries_for(call.team_id))
    call.live_summary = summary_of(rows, items)
    for column, value in stored_metrics(call.live_summary).items():
        setattr(call, column, value)


def queue_analysis(call_ids: Sequence[str], analysis: Any, inline: bool) -> None:
    """Queue each call's analysis; ``inline`` runs it now (a CLI without Redis workers)."""
    for call_id in call_ids:
        store.ensure_pending(call_id)
    if inline:
        for call_id in call_ids:
            analysis.run_call(call_id)
    elif call_ids:
        analysis.dispatch(list(call_ids))


def missing_metrics(team_id: str | None = None) -> list[Call]:
    """Imported calls whose metrics were never computed (imports older than this code)."""
    query = select(Call).where(Call.transcriber == LEGACY, Call.rep_talk_s.is_(None))
    if team_id:
        query = query.where(Call.team_id == team_id)
    return list(db.session.scalars(query.order_by(Call.started_at)))
