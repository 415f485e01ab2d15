"""Exports of calls with their transcripts: one document per call, streamed JSON and CSV.

The generators read calls in batches (one utterance query per batch, not per call), so a
large export never sits in memory and never issues one query per call.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Call, CallAnalysis, Suggestion, Utterance
from app.services.privacy import consent_view

BATCH = 200
CSV_COLUMNS = (
    "call_id",
    "call_title",
    "call_started_at",
    "rep",
    "rep_name",
    "state",
    "consent_mode",
    "consent_confirmed_at",
    "consent_confirmed_by",
    "utterance_id",
    "source",
    "start_ms",
    "end_ms",
    "confidence",
    "text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def calls_query(team_id: str | None = None, since: datetime | None = None) -> Select[Any]:
    """All calls (of one team, since a date) oldest first: the CLI's selection."""
    query = select(Call)
    if team_id:
        query = query.where(Call.team_id == team_id)
    if since:
        query = query.where(Call.started_at >= since)
    return query


def _batches(query: Select[Any]) -> Iterator[list[Call]]:
    ordered = query.order_by(None).order_by(Call.started_at, Call.id)
    ordered = ordered.options(selectinload(Call.consent_confirmer))
    rows = iter(db.session.scalars(ordered.execution_options(yield_per=BATCH)))
    while batch := list(islice(rows, BATCH)):
        yield batch


def _by_call(model: Any, order: Any, call_ids: list[str]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    rows = db.session.scalars(select(model).where(model.call_id.in_(call_ids)).order_by(order))
    for row in rows:
        grouped[row.call_id].append(row)
    return grouped


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def utterance_document(u: Utterance) -> dict[str, Any]:
    return {
        "utterance_id": u.id,
        "source": u.source,
        "text": u.text,
        "start_ms": u.start_ms,
        "end_ms": u.end_ms,
        "confidence": u.confidence,
    }


def _suggestion_document(s: Suggestion) -> dict[str, Any]:
    return {
        "suggestion_id": s.id,
        "kind": s.kind,
        "title": s.title,
        "body": s.body,
        "origin": s.origin,
        "entry_name": s.entry_name,
        "feedback": s.feedback,
        "withdrawn_reason": s.withdrawn_reason,
        "created_at": s.created_at.isoformat(),
    }


def _analysis_document(analysis: CallAnalysis | None) -> dict[str, Any] | None:
    if analysis is None:
        return None
    return {"status": analysis.status, "results": analysis.results, "overrides": analysis.overrides}


def _document(
    call: Call,
    utterances: Iterable[Utterance],
    suggestions: Iterable[Suggestion],
    analysis: CallAnalysis | None,
) -> dict[str, Any]:
    """The export document (shape: app.schemas.export.CallExportSchema)."""
    return {
        "id": call.id,
        "title": call.title,
        "state": call.state,
        "user_id": call.user_id,
        "user_name": call.user.name if call.user else None,
        "started_at": call.started_at.isoformat(),
        "ended_at": _iso(call.ended_at),
        "duration_s": call.duration_s,
        "outcome": call.outcome,
        "notes": call.notes,
        "goal": call.goal,
        "prospect_name": call.prospect_name,
        "prospect_company": call.prospect_company,
        "guidance": call.guidance,
        "transcriber": call.transcriber,
        "coach": call.coach,
        "consent": consent_view(call, iso=True),
        "live_summary": call.live_summary,
        "analysis": _analysis_document(analysis),
        "utterances": [utterance_document(u) for u in utterances],
        "suggestions": [_suggestion_document(s) for s in suggestions],
    }


def call_document(call: Call) -> dict[str, Any]:
    """One call with everything it owns."""
    ids = [call.id]
    return _document(
        call,
        _by_call(Utterance, Utterance.start_ms, ids)[call.id],
        _by_call(Suggestion, Suggestion.created_at, ids)[call.id],
        db.session.get(CallAnalysis, call.id),
    )


def _documents(query: Select[Any]) -> Iterator[dict[str, Any]]:
    for batch in _batches(query):
        ids = [c.id for c in batch]
        utterances = _by_call(Utterance, Utterance.start_ms, ids)
        suggestions = _by_call(Suggestion, Suggestion.created_at, ids)
        analyses = {
            a.call_id: a
            for a in db.session.scalars(select(CallAnalysis).where(CallAnalysis.call_id.in_(ids)))
        }
        for call in batch:
            yield _document(call, utterances[call.id], suggestions[call.id], analyses.get(call.id))


def iter_json(query: Select[Any] | None = None) -> Iterator[str]:
    """A JSON array of call documents, one call at a time."""
    yield "["
    for index, document in enumerate(_documents(query if query is not None else calls_query())):
        yield ("," if index else "") + json.dumps(document, ensure_ascii=False)
    yield "]\n"


def _cell(value: Any) -> Any:
    """Neutralises spreadsheet formulas: text starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_line(row: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([_cell(v) for v in row])
    return buffer.getvalue()


def _utterance_row(call: Call, u: Utterance) -> tuple[Any, ...]:
    name = call.user.name if call.user else ""
    confirmer = call.consent_confirmer.name if call.consent_confirmer else ""
    return (
        call.id,
        call.title,
        call.started_at.isoformat(),
        call.user_id,
        name,
        call.state,
        call.consent_mode or "",
        _iso(call.consent_confirmed_at) or "",
        confirmer,
        u.id,
        u.source,
        u.start_ms,
        u.end_ms,
        u.confidence,
        u.text,
    )


def csv_rows(call: Call, utterances: Iterable[Utterance]) -> Iterator[str]:
    for u in utterances:
        yield _csv_line(_utterance_row(call, u))


def iter_csv(query: Select[Any] | None = None) -> Iterator[str]:
    """One row per utterance, with the call's columns repeated (header first)."""
    yield _csv_line(CSV_COLUMNS)
    for batch in _batches(query if query is not None else calls_query()):
        utterances = _by_call(Utterance, Utterance.start_ms, [c.id for c in batch])
        for call in batch:
            yield from csv_rows(call, utterances[call.id])


def call_csv(call: Call) -> str:
    return "".join(iter_csv(select(Call).where(Call.id == call.id)))


def attachment_name(call: Call | None, extension: str, when: datetime | None = None) -> str:
    """An ASCII file name: ``call-2026-01-05-acme-renewal-1a2b3c4d.pdf`` or ``calls-...``."""
    if call is None:
        stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
        return f"calls-{stamp}.{extension}"
    slug = re.sub(r"[^a-z0-9]+", "-", call.title.lower()).strip("-")[:40] or "call"
    return f"call-{call.started_at:%Y-%m-%d}-{slug}-{call.id[:8]}.{extension}"
