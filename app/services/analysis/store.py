"""The durable job state of post-call analyses, kept in ``call_analyses``.

The row is the source of truth, whichever runner executes the job. A runner *claims* a
row with one conditional UPDATE (pending, or running with an expired lease), which the
database serialises: of several processes racing for a row exactly one sees rowcount 1.
Every later write is fenced by ``lease_owner``: a runner that lost its lease (it was
paused past the lease and another took over) cannot overwrite the new owner's work.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import CallAnalysis
from app.models.base import utcnow

TOO_MANY_ATTEMPTS = "too_many_attempts"


def _claimable(now: datetime) -> Any:
    return or_(
        CallAnalysis.status == "pending",
        and_(CallAnalysis.status == "running", CallAnalysis.lease_until < now),
    )


def ensure_pending(call_id: str) -> bool:
    """Create the call's pending analysis unless one exists; True if created."""
    if db.session.get(CallAnalysis, call_id) is not None:
        return False
    db.session.add(CallAnalysis(call_id=call_id, status="pending", attempts=0))
    try:
        db.session.commit()
    except IntegrityError:  # another process created it first
        db.session.rollback()
        return False
    return True


def reset_pending(call_id: str) -> bool:
    """Queue a re-run; refused (False) while a live lease is running it."""
    now = utcnow()
    result = db.session.execute(
        update(CallAnalysis)
        .where(
            CallAnalysis.call_id == call_id,
            or_(
                CallAnalysis.status != "running",
                CallAnalysis.lease_until.is_(None),
                CallAnalysis.lease_until < now,
            ),
        )
        .values(status="pending", attempts=0, error_code=None, lease_owner=None, lease_until=None)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claim(call_id: str, owner: str, lease_s: float) -> bool:
    """Take the row for ``owner`` if it is pending or its lease expired."""
    now = utcnow()
    result = db.session.execute(
        update(CallAnalysis)
        .where(CallAnalysis.call_id == call_id, _claimable(now))
        .values(
            status="running",
            lease_owner=owner,
            lease_until=now + timedelta(seconds=lease_s),
            attempts=CallAnalysis.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claimable_ids(limit: int = 20) -> list[str]:
    """Oldest first: rows a runner may claim now."""
    return list(
        db.session.scalars(
            select(CallAnalysis.call_id)
            .where(_claimable(utcnow()))
            .order_by(CallAnalysis.created_at)
            .limit(limit)
        )
    )


def waiting_count() -> int:
    """Analyses not finished yet: pending, or running under a worker's lease."""
    statement = select(func.count()).where(CallAnalysis.status.in_(("pending", "running")))
    return int(db.session.scalar(statement) or 0)


def renew(call_id: str, owner: str, lease_s: float) -> bool:
    """Extend our lease before a long step; False if it was lost."""
    return _fenced(call_id, owner, lease_until=utcnow() + timedelta(seconds=lease_s))


def finish(call_id: str, owner: str, results: dict[str, Any], error_code: str | None) -> bool:
    """Store the outcome (done, or failed with a code); False if the lease was lost."""
    return _fenced(
        call_id,
        owner,
        status="failed" if error_code else "done",
        error_code=error_code,
        results=results or None,
        finished_at=utcnow(),
        lease_owner=None,
        lease_until=None,
    )


def fail(call_id: str, owner: str, error_code: str) -> bool:
    """Mark failed without touching earlier results."""
    return _fenced(
        call_id,
        owner,
        status="failed",
        error_code=error_code,
        finished_at=utcnow(),
        lease_owner=None,
        lease_until=None,
    )


def _fenced(call_id: str, owner: str, **values: Any) -> bool:
    result = db.session.execute(
        update(CallAnalysis)
        .where(
            CallAnalysis.call_id == call_id,
            CallAnalysis.status == "running",
            CallAnalysis.lease_owner == owner,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def attempts(call_id: str) -> int:
    row = db.session.get(CallAnalysis, call_id)
    return row.attempts if row is not None else 0


def stale_ids(limit: int = 100) -> list[str]:
    """Rows a queue should (re)dispatch: pending ones not queued within a lease (their
    ``lease_until`` marks the last dispatch) and running ones whose lease expired."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(CallAnalysis.call_id)
            .where(_stale(now))
            .order_by(CallAnalysis.created_at)
            .limit(limit)
        )
    )


def _stale(now: datetime) -> Any:
    return or_(
        and_(
            CallAnalysis.status == "pending",
            or_(CallAnalysis.lease_until.is_(None), CallAnalysis.lease_until < now),
        ),
        and_(CallAnalysis.status == "running", CallAnalysis.lease_until < now),
    )


def mark_dispatched(call_ids: list[str], lease_s: float) -> None:
    """Before queueing: stale rows become pending again, stamped with the dispatch time
    plus a lease so the sweeper leaves them alone meanwhile. A dead owner's late write is
    refused (its fence needs ``running``)."""
    if call_ids:
        now = utcnow()
        db.session.execute(
            update(CallAnalysis)
            .where(CallAnalysis.call_id.in_(call_ids), _stale(now))
            .values(
                status="pending", lease_owner=None, lease_until=now + timedelta(seconds=lease_s)
            )
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
