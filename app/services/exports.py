"""Bulk exports of calls with their transcripts, as JSON or CSV, streamed row by row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Call, Utterance

CSV_COLUMNS = (
    "call_id",
    "call_title",
    "call_started_at",
    "rep",
    "state",
    "utterance_id",
    "source",
    "start_ms",
    "end_ms",
    "confidence",
    "text",
)


def _calls(team_id: str | None, since: datetime | None) -> Iterator[Call]:
    query = select(Call).order_by(Call.started_at, Call.id)
    if team_id:
        query = query.where(Call.team_id == team_id)
    if since:
        query = query.where(Call.started_at >= since)
    yield from db.session.scalars(query.execution_options(yield_per=200))


def _utterances(call_id: str) -> list[Utterance]:
    return list(
        db.session.scalars(
            select(Utterance).where(Utterance.call_id == call_id).order_by(Utterance.start_ms)
        )
    )


def call_document(call: Call) -> dict[str, Any]:
    return {
        "id": call.id,
        "title": call.title,
        "state": call.state,
        "user_id": call.user_id,
        "started_at": call.started_at.isoformat(),
        "ended_at": call.ended_at.isoformat() if call.ended_at else None,
        "outcome": call.outcome,
        "notes": call.notes,
        "utterances": [
            {
                "utterance_id": u.id,
                "source": u.source,
                "text": u.text,
                "start_ms": u.start_ms,
                "end_ms": u.end_ms,
                "confidence": u.confidence,
            }
            for u in _utterances(call.id)
        ],
    }


def iter_json(team_id: str | None = None, since: datetime | None = None) -> Iterator[str]:
    """A JSON array, one call at a time, so large exports never sit in memory."""
    yield "["
    for index, call in enumerate(_calls(team_id, since)):
        yield ("," if index else "") + json.dumps(call_document(call))
    yield "]\n"


def _csv_line(row: tuple[Any, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)
    return buffer.getvalue()


def iter_csv(team_id: str | None = None, since: datetime | None = None) -> Iterator[str]:
    """One row per utterance, with the call's columns repeated."""
    yield _csv_line(CSV_COLUMNS)
    for call in _calls(team_id, since):
        for u in _utterances(call.id):
            yield _csv_line(
                (
                    call.id,
                    call.title,
                    call.started_at.isoformat(),
                    call.user_id,
                    call.state,
                    u.id,
                    u.source,
                    u.start_ms,
                    u.end_ms,
                    u.confidence,
                    u.text,
                )
            )
