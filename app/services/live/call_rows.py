"""The ``calls`` rows of live calls: created at start, revived on resume, closed at the end.

Another team's (or another user's) call id is answered exactly like an unknown one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from app.errors import AppError, NotFound
from app.events import LIVE_STATES, CallState, ErrorCode
from app.extensions import db
from app.models import Call, LiveCoachingState, Utterance
from app.models.base import utcnow
from app.services.auth import Principal
from app.services.metric_columns import stored_metrics


def require_live(call: Call) -> None:
    if call.state not in LIVE_STATES:
        raise AppError("The call has ended.", code=ErrorCode.CALL_NOT_LIVE, status=409)


def create(
    principal: Principal,
    data: dict[str, Any],
    transcriber: str,
    coach: str,
    columns: dict[str, Any] | None = None,
) -> Call:
    call = Call(
        **(columns or {}),
        team_id=principal.team_id,
        user_id=principal.user_id,
        title=data.get("title") or f"Call {utcnow():%Y-%m-%d %H:%M}",
        goal=data.get("goal"),
        prospect_name=data.get("prospect_name"),
        prospect_company=data.get("prospect_company"),
        notes=data.get("notes"),
        state=CallState.LIVE.value,
        audio_format=data["audio"],
        transcriber=transcriber,
        coach=coach,
    )
    db.session.add(call)
    db.session.commit()
    return call


def never_opened(call: Call) -> None:
    """A call whose streams never opened must not hold a quota slot."""
    call.state, call.ended_at = CallState.INTERRUPTED.value, utcnow()
    db.session.commit()


def revive(principal: Principal, call_id: str) -> Call:
    """The caller's live call held by no worker, marked live again (its lease renewed)."""
    call = db.session.get(Call, call_id)
    if call is None or call.team_id != principal.team_id or call.user_id != principal.user_id:
        raise NotFound("Call not found.", code=ErrorCode.NOT_FOUND)
    require_live(call)
    call.state, call.last_activity_at = CallState.LIVE.value, utcnow()
    db.session.commit()
    return call


def resume_offset_ms(call: Call) -> int:
    """Where a revived call's timeline goes on: the wall-clock time since it started, or
    the end of its last stored utterance if audio ran ahead of the clock (a client that
    sent its buffer faster than real time), so new finals never start before stored ones."""
    elapsed_ms = int((utcnow() - call.started_at).total_seconds() * 1000)
    stored_end = db.session.scalar(
        select(func.max(Utterance.end_ms)).where(Utterance.call_id == call.id)
    )
    return max(elapsed_ms, stored_end or 0)


def close(call_id: str, state: CallState, summary: Any, guidance: Any = None) -> Call | None:
    """Store the end state, the live summary and its metric columns and the latest
    guidance, and drop the coaching snapshot (needs an app context)."""
    call = db.session.get(Call, call_id)
    if call is None:
        return None
    call.state, call.ended_at, call.live_summary = state.value, utcnow(), summary
    call.guidance = guidance or call.guidance
    for column, value in stored_metrics(summary).items():
        setattr(call, column, value)
    db.session.execute(delete(LiveCoachingState).where(LiveCoachingState.call_id == call_id))
    db.session.commit()
    return call
