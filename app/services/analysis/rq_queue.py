"""The Redis job queue (RQ) for analyses, used when REDIS_URL is set.

RQ only delivers job ids; the database row stays the source of truth. A worker claims
the row with its lease before running, so a job queued twice (a re-dispatch, a retry)
still runs once, and a worker killed mid-job leaves a row the sweeper re-queues when
its lease expires.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from rq import Queue, SimpleWorker

log = logging.getLogger(__name__)
TASK = "app.services.analysis.tasks.run_analysis"
RESULT_TTL_S = 3600
FAILURE_TTL_S = 7 * 24 * 3600


def queue(connection: Any, name: str) -> Queue:
    return Queue(name, connection=connection)


def enqueue(connection: Any, name: str, call_ids: Iterable[str], lease_s: float) -> int:
    """Queue one job per call id; returns how many were queued."""
    q = queue(connection, name)
    count = 0
    for call_id in call_ids:
        q.enqueue(
            TASK,
            call_id,
            job_timeout=int(lease_s) + 30,
            result_ttl=RESULT_TTL_S,
            failure_ttl=FAILURE_TTL_S,
            description=f"analysis {call_id}",
        )
        count += 1
    return count


def worker(connection: Any, name: str) -> SimpleWorker:
    """A worker running jobs in this process (no fork: the app and its pools stay valid)."""
    return SimpleWorker([queue(connection, name)], connection=connection)
