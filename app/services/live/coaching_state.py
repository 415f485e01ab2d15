"""Snapshots of this worker's live calls' coaching state, kept in the database.

The janitor saves every call whose coach changed since its last save (at most once per
``COACHING_SNAPSHOT_SECONDS``); the drain saves all of them. The worker that revives a
call loads its snapshot into the fresh coach (app/services/coaching/state.py), so a
SIGKILL loses at most the changes of the last interval, and a drain loses none. The row
is deleted with the end of the call (app/services/live/call_rows.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import Flask
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import LiveCoachingState
from app.models.base import utcnow
from app.services.live.call import LiveCall

log = logging.getLogger(__name__)


class CoachingStates:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._saved: dict[str, int] = {}  # call id -> coach revision last saved

    def save(self, calls: Iterable[LiveCall], force: bool = False) -> int:
        """Upsert the snapshots of changed coaches (all with ``force``); returns how many."""
        rows = []
        for live in calls:
            coach = live.coach
            if coach is None or (live.closed and not force):
                continue  # an ended call's row is gone with it
            if not force and self._saved.get(live.call_id) == coach.revision:
                continue
            rows.append((live.call_id, coach.revision, coach.snapshot()))
        if not rows:
            return 0
        with self.app.app_context():
            try:
                for call_id, _, document in rows:
                    db.session.execute(_upsert(call_id, document))
                db.session.commit()
            except SQLAlchemyError as exc:  # next round retries; the call goes on
                db.session.rollback()
                log.warning("coaching state not saved", extra={"error_type": type(exc).__name__})
                return 0
            finally:
                db.session.remove()
        self._saved.update({call_id: revision for call_id, revision, _ in rows})
        return len(rows)

    @staticmethod
    def load(call_id: str) -> dict[str, Any] | None:
        """The stored snapshot of a call (inside the caller's app context)."""
        row = db.session.get(LiveCoachingState, call_id)
        return row.state if row is not None else None

    def forget(self, call_id: str) -> None:
        self._saved.pop(call_id, None)


def _upsert(call_id: str, document: dict[str, Any]) -> Any:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    values = {"call_id": call_id, "state": document, "updated_at": utcnow()}
    statement = insert(LiveCoachingState.__table__).values(**values)
    return statement.on_conflict_do_update(
        index_elements=["call_id"], set_={"state": document, "updated_at": values["updated_at"]}
    )
