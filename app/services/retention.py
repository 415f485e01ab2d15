"""Retention: deleting calls older than a cutoff together with every row they own."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.extensions import db
from app.models import Call, CallAnalysis, Suggestion, Utterance, Whisper
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
                .where(Call.started_at < cutoff, Call.state.in_(("ended", "interrupted")))
                .limit(BATCH)
            )
        )
        if not ids:
            return deleted
        for model in (Utterance, Suggestion, Whisper, CallAnalysis):
            db.session.execute(delete(model).where(model.call_id.in_(ids)))
        db.session.execute(delete(Call).where(Call.id.in_(ids)))
        db.session.commit()
        deleted += len(ids)
