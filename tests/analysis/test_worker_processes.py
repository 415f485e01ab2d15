"""Durability with real processes: a worker SIGKILLed mid-job, two RQ workers on Redis."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from app.extensions import db
from app.models import CallAnalysis
from app.services.analysis import rq_queue, store
from tests.analysis.helpers import analysis_row, clean_queue, seed_call

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/11"
Spawn = Callable[..., subprocess.Popen]


@pytest.fixture
def record(tmp_path) -> Path:
    return tmp_path / "finished.log"


@pytest.fixture
def spawn_worker(database_url, record, tmp_path) -> Iterator[Spawn]:
    procs: list[subprocess.Popen] = []

    def spawn(*settings: str, slow: float = 0.0) -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(procs)}.log", "wb")  # noqa: SIM115
        command = [sys.executable, "-m", "tests.analysis.worker_process"]
        command += ["--db", database_url, "--record", str(record), "--slow", str(slow)]
        proc = subprocess.Popen(
            [*command, *settings], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        procs.append(proc)
        return proc

    yield spawn
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _wait(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _rows() -> list[CallAnalysis]:
    db.session.expire_all()
    return db.session.query(CallAnalysis).all()


def _records(record: Path) -> list[tuple[str, str]]:
    if not record.exists():
        return []
    return [tuple(line.split()[:2]) for line in record.read_text().splitlines()]


def test_a_worker_killed_mid_job_leaves_it_to_the_next_which_finishes_it_once(
    app, tokens, spawn_worker, record
):
    call = seed_call(tokens.user()["user"])
    store.ensure_pending(call.id)
    settings = ("ANALYSIS_LEASE_SECONDS=2", "ANALYSIS_LLM_TIMEOUT_S=1", "ANALYSIS_POLL_SECONDS=0.1")
    first = spawn_worker(*settings, slow=60)
    _wait(lambda: analysis_row(call.id).status == "running", 30, "the first worker's claim")
    first_owner = analysis_row(call.id).lease_owner
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert analysis_row(call.id).status == "running"  # left behind, lease still held
    spawn_worker(*settings)
    _wait(lambda: analysis_row(call.id).status == "done", 30, "the second worker to finish")
    row = analysis_row(call.id)
    assert row.attempts == 2 and row.lease_owner is None and row.results["scorecard"]
    assert str(first.pid) in first_owner
    time.sleep(0.5)  # give a (buggy) duplicate run the chance to show up
    assert _records(record) == [(call.id, "done")]


@pytest.fixture
def rq_connection() -> Iterator[tuple[redis.Redis, str]]:
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    name = f"analysis-test-{uuid.uuid4().hex[:8]}"
    yield connection, name
    clean_queue(connection, name)
    connection.close()


def test_with_redis_and_two_workers_each_job_runs_exactly_once(
    app, tokens, spawn_worker, record, rq_connection
):
    connection, name = rq_connection
    user = tokens.user()["user"]
    calls = [seed_call(user) for _ in range(8)]
    for call in calls:
        store.ensure_pending(call.id)
    ids = [c.id for c in calls]
    rq_queue.enqueue(connection, name, ids + ids, lease_s=30)  # every job queued twice
    settings = (f"REDIS_URL={REDIS_URL}", f"ANALYSIS_QUEUE={name}", "ANALYSIS_POLL_SECONDS=0.2")
    workers = [spawn_worker(*settings), spawn_worker(*settings)]
    _wait(lambda: all(r.status == "done" for r in _rows()), 45, "all analyses done")
    _wait(lambda: rq_queue.queue(connection, name).count == 0, 15, "the queue to drain")
    assert sorted(_records(record)) == sorted((i, "done") for i in ids)
    assert {r.attempts for r in _rows()} == {1}
    pids = {line.split()[2] for line in record.read_text().splitlines()}
    assert pids <= {str(w.pid) for w in workers}
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        assert worker.wait(timeout=15) is not None
