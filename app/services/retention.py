"""Retention: deleting calls older than a cutoff together with every row they own."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, select

from app.events import FINISHED_STATES
from app.extensions import db
from app.models import Call
from app.models.base import utcnow

BATCH = 500


def prune_calls(older_than_days: int, now: datetime | None = None) -> int:
    """Delete ended calls that started before the cutoff; returns how many were deleted.

    Child rows are deleted explicitly (not only by ON DELETE CASCADE) so SQLite without
    foreign-key enforcement keeps no orphans. Works in batches to bound transactions.
    """
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    deleted = 0
    while True:
        ids = list(
            db.session.scalars(
                select(Call.id)
                .where(Call.started_at < cutoff, Call.state.in_(FINISHED_STATES))
                .limit(BATCH)
            )
        )
        if not ids:
            return deleted
        delete_calls(ids)
        db.session.commit()
        deleted += len(ids)


def _call_children() -> list[tuple[Table, Any]]:
    """Every table with a foreign key to ``calls.id`` (utterances, suggestions, whispers,
    analysis, and whatever later migrations add), deepest first."""
    calls = Call.__table__
    children = [
        (table, fk.parent)
        for table in reversed(db.metadata.sorted_tables)
        for fk in table.foreign_keys
        if fk.column.table is calls
    ]
    return children


def delete_calls(ids: list[str]) -> None:
    """Delete calls and every row that refers to them (no commit). Explicit, so SQLite
    without foreign-key enforcement keeps no orphans either."""
    for table, column in _call_children():
        db.session.execute(delete(table).where(column.in_(ids)))
    db.session.execute(delete(Call).where(Call.id.in_(ids)))
