"""The snapshot a coach receives on ``call:join``: the call, recent finals, suggestions and
the latest stored guidance.

It reads the database, not this worker's memory, so a coach on any worker sees the same
call. Another team's call id is answered exactly like an unknown one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.errors import NotFound
from app.events import ErrorCode
from app.extensions import db
from app.models import Call, Suggestion, Utterance
from app.schemas.live_join import JoinSnapshotSchema
from app.services.auth import Principal
from app.services.live.call_rows import require_live

JOIN_TRANSCRIPT_LIMIT = 200
JOIN_SUGGESTION_LIMIT = 50


def join_snapshot(principal: Principal, call_id: str) -> dict[str, Any]:
    call = db.session.get(Call, call_id)
    if call is None or call.team_id != principal.team_id:
        raise NotFound("No live call with this id.", code=ErrorCode.NOT_FOUND)
    require_live(call)
    utterances = db.session.scalars(
        select(Utterance)
        .where(Utterance.call_id == call_id)
        .order_by(Utterance.start_ms.desc())
        .limit(JOIN_TRANSCRIPT_LIMIT)
    ).all()
    suggestions = db.session.scalars(
        select(Suggestion)
        .where(Suggestion.call_id == call_id, Suggestion.shown())
        .order_by(Suggestion.created_at.desc())
        .limit(JOIN_SUGGESTION_LIMIT)
    ).all()
    return JoinSnapshotSchema().dump(
        {
            "call": call,
            "transcript": list(reversed(utterances)),
            "suggestions": list(reversed(suggestions)),
            "guidance": call.guidance,
        }
    )
