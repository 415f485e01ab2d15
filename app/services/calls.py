"""Reading and editing stored calls, always scoped to the caller's team.

Another team's call id answers exactly like a missing one (``not_found``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.errors import Conflict, Forbidden, NotFound
from app.events import LIVE_STATES
from app.extensions import db
from app.models import Call, Suggestion, Utterance
from app.models.base import utcnow
from app.services import privacy, retention
from app.services.auth import Principal
from app.services.search import ranked_page, search_snippets, text_match_filter


@dataclass(frozen=True)
class CallFilters:
    q: str | None = None
    from_: datetime | None = None
    to: datetime | None = None
    user_id: str | None = None
    state: str | None = None


def _scoped(principal: Principal) -> Select[Any]:
    query = select(Call).where(Call.team_id == principal.team_id)
    if principal.role == "rep":
        query = query.where(Call.user_id == principal.user_id)
    return query


def _filtered(principal: Principal, f: CallFilters) -> Select[Any]:
    query = _scoped(principal)
    if f.from_:
        query = query.where(Call.started_at >= f.from_)
    if f.to:
        query = query.where(Call.started_at <= f.to)
    if f.user_id:
        query = query.where(Call.user_id == f.user_id)
    if f.state:
        query = query.where(Call.state == f.state)
    return query


def filtered_calls(principal: Principal, f: CallFilters) -> Select[Any]:
    """The caller's calls matching every filter, unordered (exports use this)."""
    query = _filtered(principal, f)
    return query.where(text_match_filter(principal.team_id, f.q)) if f.q else query


def _count(query: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _page(query: Select[Any], page: int, per_page: int) -> tuple[list[Call], int]:
    paged = query.options(selectinload(Call.user)).limit(per_page).offset((page - 1) * per_page)
    return list(db.session.scalars(paged).all()), _count(query)


def _search_page(
    principal: Principal, f: CallFilters, page: int, per_page: int
) -> tuple[list[Call], int]:
    """One ranked page of matches and their number; only the page's calls are loaded."""
    ids, total = ranked_page(_filtered(principal, f), principal.team_id, f.q or "", page, per_page)
    if not ids:
        return [], total
    loaded = db.session.scalars(
        select(Call).where(Call.id.in_(ids)).options(selectinload(Call.user))
    )
    by_id = {call.id: call for call in loaded}
    return [by_id[call_id] for call_id in ids], total


def list_calls(principal: Principal, f: CallFilters, page: int, per_page: int) -> dict[str, Any]:
    if f.q:
        rows, total = _search_page(principal, f, page, per_page)
    else:
        query = _filtered(principal, f).order_by(Call.started_at.desc(), Call.id)
        rows, total = _page(query, page, per_page)
    counts = _counts_for([c.id for c in rows])
    items = [call_view(c, counts[c.id]) for c in rows]
    if f.q:
        snippets = search_snippets([c.id for c in rows], f.q, principal.team_id)
        for item in items:
            item["snippet"] = snippets.get(item["id"])
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def get_call(principal: Principal, call_id: str) -> Call:
    call = db.session.scalar(_scoped(principal).where(Call.id == call_id))
    if call is None:
        raise NotFound("Call not found.", code="call_not_found")
    return call


def _counts_for(call_ids: list[str]) -> dict[str, tuple[int, int]]:
    """Utterance and suggestion counts (cards shown) of many calls in two grouped queries."""
    counted: dict[str, list[int]] = {call_id: [0, 0] for call_id in call_ids}
    counts = (
        (Utterance.call_id, Utterance.call_id.in_(call_ids)),
        (Suggestion.call_id, Suggestion.call_id.in_(call_ids) & Suggestion.shown()),
    )
    for slot, (column, where) in enumerate(counts):
        rows = db.session.execute(select(column, func.count()).where(where).group_by(column))
        for call_id, count in rows:
            counted[call_id][slot] = count
    return {call_id: (pair[0], pair[1]) for call_id, pair in counted.items()}


def call_view(call: Call, counts: tuple[int, int] | None = None) -> dict[str, Any]:
    """The call as the API shows it, with its counts (given, or counted now)."""
    utterance_count, suggestion_count = counts or _counts_for([call.id])[call.id]
    return {
        "id": call.id,
        "title": call.title,
        "state": call.state,
        "user": {"id": call.user_id, "name": call.user.name if call.user else None},
        "started_at": call.started_at,
        "ended_at": call.ended_at,
        "duration_s": call.duration_s,
        "outcome": call.outcome,
        "notes": call.notes,
        "goal": call.goal,
        "prospect_name": call.prospect_name,
        "prospect_company": call.prospect_company,
        "guidance": call.guidance,
        "transcriber": call.transcriber,
        "coach": call.coach,
        "consent": privacy.consent_view(call),
        "utterance_count": utterance_count,
        "suggestion_count": suggestion_count,
    }


def update_call(principal: Principal, call_id: str, changes: dict[str, Any]) -> Call:
    """Edit title, notes or outcome; typed title and notes are redacted like speech."""
    call = get_call(principal, call_id)
    redactor = privacy.redactor_for(principal.team_id)
    for name, value in changes.items():
        if name in ("title", "notes") and value:
            value = redactor.text(value)
        setattr(call, name, value)
    db.session.commit()
    return call


def delete_call(principal: Principal, call_id: str) -> None:
    call = get_call(principal, call_id)
    if principal.role == "rep" and call.user_id != principal.user_id:
        raise Forbidden()
    if call.state in LIVE_STATES:  # its finals are still being written: stop it first
        raise Conflict("The call is live; stop it before deleting it.", code="call_live")
    retention.delete_calls([call.id])
    db.session.commit()


def transcript(principal: Principal, call_id: str) -> list[Utterance]:
    get_call(principal, call_id)
    return list(
        db.session.scalars(
            select(Utterance).where(Utterance.call_id == call_id).order_by(Utterance.start_ms)
        )
    )


def suggestions(principal: Principal, call_id: str) -> list[Suggestion]:
    """The cards shown in the call (withdrawn ones are left out)."""
    get_call(principal, call_id)
    return list(
        db.session.scalars(
            select(Suggestion)
            .where(Suggestion.call_id == call_id, Suggestion.shown())
            .order_by(Suggestion.created_at)
        )
    )


def record_feedback(principal: Principal, call_id: str, suggestion_id: str, action: str) -> None:
    """Mark a suggestion used or dismissed (only the call's rep or a coach/admin); a
    withdrawn card is refused (``suggestion_withdrawn``), it was never a recommendation."""
    call = get_call(principal, call_id)
    if principal.role == "rep" and call.user_id != principal.user_id:
        raise Forbidden()
    suggestion = db.session.scalar(
        select(Suggestion).where(Suggestion.id == suggestion_id, Suggestion.call_id == call.id)
    )
    if suggestion is None:
        raise NotFound("Suggestion not found.", code="suggestion_not_found")
    if suggestion.withdrawn_reason is not None:
        raise Conflict("The suggestion was withdrawn.", code="suggestion_withdrawn")
    suggestion.feedback, suggestion.feedback_at = action, utcnow()
    db.session.commit()
