"""Corrections of a line's speaker on a one-microphone call ("that was me" / "that was them").

The rep who owns the call, or a coach or admin of the same team (watching it, or after
the call over REST), flips a line. The change is stored (method ``correction``), sent to
the call room as ``transcript:corrected``, and, while the call is live on this worker,
teaches the call's voice model and recomputes the coach's metrics and cards. Lines of
two-source calls carry their stream's own label and cannot be corrected (``not_attributed``).
"""

from __future__ import annotations

from typing import Any

from app.errors import AppError, NotFound
from app.events import ErrorCode, ServerEvent
from app.extensions import db
from app.models import Call, Utterance
from app.services.auth import Principal
from app.services.live.call import LiveCall
from app.services.live.emitter import Emit, call_room

CORRECTED = {"method": "correction", "confidence": 1.0}
WRITER_WAIT_S = 2.0  # a line just heard may still be on its way to the database


def correct_line(
    principal: Principal,
    call_id: str,
    utterance_id: str,
    source: str,
    live: LiveCall | None,
    emit: Emit,
) -> dict[str, Any]:
    """Store the corrected speaker, tell the room, teach the live call; returns the payload."""
    if live is not None:
        live.writer.flush(WRITER_WAIT_S)
    call = db.session.get(Call, call_id)
    if call is None or call.team_id != principal.team_id:
        raise NotFound("Call not found.", code=ErrorCode.NOT_FOUND)
    if call.user_id != principal.user_id and not principal.has_role("coach"):
        raise NotFound("Call not found.", code=ErrorCode.NOT_FOUND)
    line = db.session.get(Utterance, utterance_id)
    if line is None or line.call_id != call_id:
        raise NotFound("Line not found.", code=ErrorCode.NOT_FOUND)
    if line.attribution_method is None:
        raise AppError(
            "This call has a source per speaker; its lines cannot be re-attributed.",
            code=ErrorCode.NOT_ATTRIBUTED,
            status=409,
        )
    old = line.source
    line.source = source
    line.attribution_method, line.attribution_confidence = "correction", 1.0
    db.session.commit()
    if live is not None:
        live.corrected(utterance_id, old, source)
    payload = {
        "call_id": call_id,
        "utterance_id": utterance_id,
        "source": source,
        "attribution": dict(CORRECTED),
        "by": principal.user_id,
    }
    emit(ServerEvent.TRANSCRIPT_CORRECTED, payload, call_room(call_id))
    return payload
