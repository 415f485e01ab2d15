"""`flask jobs worker --burst` and the Redis dispatch path, run inside the test process."""

from __future__ import annotations

import signal
import uuid
from collections.abc import Iterator

import pytest
import redis

from app.container import get_services
from app.services.analysis import rq_queue, store, tasks
from app.services.analysis.job import JobSettings
from app.services.analysis.service import AnalysisJobs
from app.services.analysis.worker import _run_rq, run_worker
from tests.analysis.helpers import analysis_row, clean_queue, seed_call
from tests.analysis.test_worker_processes import REDIS_URL


@pytest.fixture
def keep_signals() -> Iterator[None]:
    """Workers install SIGTERM/SIGINT handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_the_cli_worker_in_burst_mode_runs_every_pending_job(app, tokens, keep_signals):
    calls = [seed_call(tokens.user()["user"]) for _ in range(2)]
    for call in calls:
        store.ensure_pending(call.id)
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert [analysis_row(c.id).status for c in calls] == ["done", "done"]


@pytest.fixture
def redis_jobs(app) -> Iterator[AnalysisJobs]:
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    name = f"analysis-inline-{uuid.uuid4().hex[:8]}"
    services = get_services()
    original = services.analysis
    services.analysis = AnalysisJobs(
        app, JobSettings(queue_name=name, poll_s=0.1), redis=connection, autostart=False
    )
    yield services.analysis
    services.analysis = original
    tasks.bind(None)
    clean_queue(connection, name)
    connection.close()


def run_worker_with(app, jobs: AnalysisJobs) -> None:
    """`flask jobs worker --burst` against the fixture's queue (the app's REDIS_URL is empty)."""
    _run_rq(app, REDIS_URL, burst=True)


def test_with_redis_an_ended_call_is_queued_and_a_burst_worker_runs_it(
    app, tokens, redis_jobs, keep_signals
):
    call = seed_call(tokens.user()["user"])
    redis_jobs.on_call_ended(call.id)
    row = analysis_row(call.id)
    assert row.status == "pending" and row.lease_until is not None  # dispatch stamped
    assert rq_queue.queue(redis_jobs.redis, redis_jobs.settings.queue_name).count == 1
    assert store.stale_ids() == []  # the sweeper leaves a freshly queued job alone
    run_worker_with(app, redis_jobs)
    assert analysis_row(call.id).status == "done"


def test_the_sweeper_requeues_a_job_whose_worker_died(app, tokens, redis_jobs, keep_signals):
    call = seed_call(tokens.user()["user"])
    store.ensure_pending(call.id)
    assert store.claim(call.id, "killed-worker", -1)  # running, lease expired
    assert redis_jobs.sweep() == 1
    row = analysis_row(call.id)
    assert (row.status, row.lease_owner) == ("pending", None)
    assert not store.finish(call.id, "killed-worker", {"late": True}, None)  # fenced out
    run_worker_with(app, redis_jobs)
    row = analysis_row(call.id)
    assert row.status == "done" and row.attempts == 2 and "late" not in row.results


def test_redis_down_at_enqueue_leaves_the_row_for_the_sweeper(app, tokens):
    broken = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    jobs = AnalysisJobs(app, JobSettings(queue_name="nowhere"), redis=broken, autostart=False)
    call = seed_call(tokens.user()["user"])
    jobs.on_call_ended(call.id)  # logs analysis_queue_unavailable, does not raise
    assert analysis_row(call.id).status == "pending"


def test_run_worker_picks_the_database_loop_without_redis(app, keep_signals):
    run_worker(app, burst=True)  # nothing pending: returns at once
