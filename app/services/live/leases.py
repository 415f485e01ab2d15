"""Ownership of live calls across processes, kept in the database.

The worker holding a call refreshes ``Call.last_activity_at`` every few seconds (its
lease). Any worker's janitor ends calls whose lease is older than the grace period as
``interrupted``: their owner died or never came back. Utterances already stored stay.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.events import LIVE_STATES, CallState
from app.extensions import db
from app.models import Call
from app.models.base import utcnow

HEARTBEAT_S = 5.0


def refresh(call_ids: list[str]) -> None:
    if call_ids:
        db.session.execute(
            update(Call).where(Call.id.in_(call_ids)).values(last_activity_at=utcnow())
        )
        db.session.commit()


def expire_orphans(grace_seconds: float, held: set[str]) -> list[str]:
    """End live calls nobody has refreshed within grace; returns their ids."""
    cutoff = utcnow() - timedelta(seconds=grace_seconds + HEARTBEAT_S)
    stale = [
        cid
        for cid in db.session.scalars(
            select(Call.id)
            .where(Call.state.in_(LIVE_STATES), Call.last_activity_at < cutoff)
            .limit(500)
        )
        if cid not in held
    ]
    if stale:
        db.session.execute(
            update(Call)
            .where(Call.id.in_(stale), Call.state.in_(LIVE_STATES))
            .values(state=CallState.INTERRUPTED.value, ended_at=utcnow())
        )
        db.session.commit()
    return stale


def mark_reconnecting(call_ids: list[str]) -> None:
    """On shutdown: the calls stay resumable on another worker until their lease expires."""
    if call_ids:
        db.session.execute(
            update(Call)
            .where(Call.id.in_(call_ids))
            .values(state=CallState.RECONNECTING.value, last_activity_at=utcnow())
        )
        db.session.commit()
