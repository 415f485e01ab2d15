"""Import the previous MVP's JSON call logs (one file per call) into the database.

Only final transcripts become utterances; speakers map to rep / prospect / unknown. Each
call's summary and metrics are computed from its transcript on import
(app/services/imported_calls.py); the caller queues the analyses. Re-importing is a
no-op: a call is keyed by (team, legacy id). A malformed file is reported and skipped;
the others are imported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from sqlalchemy import select

from app.events import UNKNOWN_SOURCE, CallState
from app.extensions import db
from app.models import Call, Suggestion, User, Utterance
from app.schemas.text import Text
from app.services import imported_calls
from app.services.coaching.toolkit_data import to_items
from app.services.privacy import redactor_for
from app.services.toolkit import entries_for

SPEAKERS = {"salesperson": "rep", "customer": "prospect", "unknown": UNKNOWN_SOURCE}
MS_PER_WORD = 350  # legacy logs have no end times; estimate from speech at ~170 wpm


class LegacyTranscriptSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    text = Text(required=True, multiline=True)
    speaker = Text(load_default="unknown")
    is_final = fields.Bool(load_default=False)
    timestamp = fields.Float(load_default=0.0, validate=validate.Range(min=0))
    confidence = fields.Float(load_default=1.0)


class LegacyCallSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = Text(required=True, validate=validate.Length(min=1, max=64))
    start_time = fields.NaiveDateTime(required=True)
    end_time = fields.NaiveDateTime(load_default=None, allow_none=True)
    status = fields.Str(load_default="ended")
    transcripts = fields.List(fields.Nested(LegacyTranscriptSchema), load_default=list)
    suggestions = fields.List(fields.Dict(), load_default=list)


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    call_ids: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    utterances: int = 0
    suggestions: int = 0


def import_directory(directory: Path, owner: User) -> ImportReport:
    report = ImportReport()
    toolkit = to_items(entries_for(owner.team_id))
    for path in sorted(directory.glob("*.json")):
        try:
            data = LegacyCallSchema().load(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, ValidationError) as exc:
            report.failed[path.name] = _describe(exc)
            continue
        if _exists(owner.team_id, data["id"]):
            report.skipped.append(path.name)
            continue
        call = _store(data, owner, report)
        db.session.flush()
        imported_calls.summarize(call, toolkit)
        db.session.commit()
        report.imported.append(call.legacy_id or path.name)
        report.call_ids.append(call.id)
    return report


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "invalid fields: " + ", ".join(sorted(str(k) for k in exc.normalized_messages()))
    return "not valid JSON"


def _exists(team_id: str, legacy_id: str) -> bool:
    query = select(Call.id).where(Call.team_id == team_id, Call.legacy_id == legacy_id)
    return db.session.scalar(query) is not None


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _store(data: dict[str, Any], owner: User, report: ImportReport) -> Call:
    call = Call(
        team_id=owner.team_id,
        user_id=owner.id,
        legacy_id=data["id"],
        title=f"Imported call {data['id']}",
        transcriber=imported_calls.LEGACY,
        coach=imported_calls.LEGACY,
        started_at=_utc(data["start_time"]),
        ended_at=_utc(data["end_time"]),
        state=CallState.ENDED.value if data["status"] == "ended" else CallState.INTERRUPTED.value,
    )
    db.session.add(call)
    db.session.flush()
    finals = [t for t in data["transcripts"] if t["is_final"] and t["text"].strip()]
    seen: set[tuple[str, int]] = set()
    redactor = redactor_for(owner.team_id)
    for index, item in enumerate(finals):
        utterance = _utterance(
            call.id, item, finals[index + 1] if index + 1 < len(finals) else None
        )
        utterance.text = redactor.text(utterance.text)
        if (utterance.source, utterance.start_ms) not in seen:
            seen.add((utterance.source, utterance.start_ms))
            db.session.add(utterance)
            report.utterances += 1
    for item in data["suggestions"]:
        if (suggestion := _suggestion(call.id, item)) is not None:
            db.session.add(suggestion)
            report.suggestions += 1
    return call


def _utterance(call_id: str, item: dict[str, Any], following: dict[str, Any] | None) -> Utterance:
    start_ms = int(item["timestamp"] * 1000)
    estimated_end = start_ms + MS_PER_WORD * max(1, len(item["text"].split()))
    if following is not None and following["timestamp"] * 1000 > start_ms:
        estimated_end = min(estimated_end, int(following["timestamp"] * 1000))
    return Utterance(
        call_id=call_id,
        source=SPEAKERS.get(item["speaker"].lower(), UNKNOWN_SOURCE),
        text=item["text"].strip(),
        start_ms=start_ms,
        end_ms=estimated_end,
        confidence=max(0.0, min(1.0, item["confidence"])),
    )


def _suggestion(call_id: str, item: dict[str, Any]) -> Suggestion | None:
    primary = item.get("primary_suggestion")
    if not isinstance(primary, dict) or not str(primary.get("text", "")).strip():
        return None
    context = item.get("context")
    context = context if isinstance(context, dict) else {}
    objection = str(context.get("objection_type") or "none")
    highlights = item.get("highlight_toolkit") or []
    title = str(highlights[0]) if highlights else "Suggestion"
    return Suggestion(
        call_id=call_id,
        kind="objection" if objection != "none" else "legacy",
        title=title[:200],
        body=str(primary["text"]),
        origin="llm",
        entry_name=objection if objection != "none" else None,
    )
