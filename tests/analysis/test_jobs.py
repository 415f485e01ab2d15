"""Job lifecycle: pending -> running -> done/failed, leases, re-runs, the call-end hooks."""

from __future__ import annotations

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.container import get_services
from app.events import CallState
from app.extensions import db
from app.models import Call, CallAnalysis
from app.models.base import utcnow
from app.services.analysis import content, service, store
from app.services.analysis.job import JobSettings
from app.services.analysis.service import MAX_PAUSE_S, AnalysisJobs, pause_after
from tests.analysis.helpers import analysis_row, run_jobs, seed_call
from tests.factories import make_call
from tests.helpers import ack, start_call, stream


def _wait_for(call_id: str, status: str, timeout: float = 10.0) -> CallAnalysis:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = analysis_row(call_id)
        if row is not None and row.status == status:
            return row
        time.sleep(0.05)
    raise AssertionError(f"analysis of {call_id} never reached {status}")


def test_ending_a_call_queues_its_analysis_and_the_runner_finishes_it(
    connect, admin, sessions, jobs
):
    jobs.start()
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    stream(rep, call_id, 8, source="prospect")
    stopped = ack(rep, "call:stop", {"call_id": call_id})
    assert stopped["ok"]  # the stop answered without waiting for the analysis
    row = _wait_for(call_id, "done")
    assert row.attempts == 1 and row.error_code is None
    assert row.results["metrics"]["prospect_words"] > 0
    assert row.results["metrics"]["objections"][0]["type"] == "objection-price"


def test_a_call_ended_by_lease_expiry_gets_an_analysis(app, tokens, finished):
    user = tokens.user()["user"]
    stale = utcnow() - timedelta(hours=1)
    call = make_call(user, texts=[("rep", "Hello there.")], state="live", ended_at=None)
    call.last_activity_at = stale
    db.session.commit()
    assert get_services().sessions.janitor.refresh_leases() == [call.id]
    assert analysis_row(call.id).status == "pending"
    assert run_jobs() == [call.id]
    assert analysis_row(call.id).status == "done"
    assert db.session.get(Call, call.id).state == CallState.INTERRUPTED.value


def test_the_end_hook_is_idempotent_and_never_resets_a_finished_analysis(app, tokens, jobs):
    call = seed_call(tokens.user()["user"])
    jobs.on_call_ended(call.id)
    run_jobs()
    jobs.on_call_ended(call.id)
    row = analysis_row(call.id)
    assert row.status == "done" and row.attempts == 1
    assert run_jobs() == []


def test_a_claimed_job_cannot_be_claimed_again_while_its_lease_holds(app, tokens):
    call = seed_call(tokens.user()["user"])
    store.ensure_pending(call.id)
    assert store.claim(call.id, "worker-a", 60)
    assert not store.claim(call.id, "worker-b", 60)
    assert store.claimable_ids() == []


def test_an_expired_lease_is_reclaimed_and_the_old_owner_cannot_write(app, tokens):
    call = seed_call(tokens.user()["user"])
    store.ensure_pending(call.id)
    assert store.claim(call.id, "dead-worker", -1)  # already expired
    assert store.claim(call.id, "worker-b", 60)
    assert not store.finish(call.id, "dead-worker", {"x": 1}, None)
    assert store.finish(call.id, "worker-b", {"x": 2}, None)
    row = analysis_row(call.id)
    assert (row.status, row.results, row.attempts) == ("done", {"x": 2}, 2)


def test_a_crash_in_the_analysis_fails_with_a_code_and_a_rerun_completes(
    app, tokens, jobs, monkeypatch, finished
):
    call = seed_call(tokens.user()["user"])

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret transcript text")

    monkeypatch.setattr(content, "analyse", broken)
    jobs.on_call_ended(call.id)
    run_jobs()
    row = analysis_row(call.id)
    assert (row.status, row.error_code, row.results) == ("failed", "analysis_error", None)
    monkeypatch.undo()
    assert store.reset_pending(call.id)
    run_jobs()
    row = analysis_row(call.id)
    assert row.status == "done" and row.error_code is None and row.results["scorecard"]
    assert finished == [(call.id, "failed"), (call.id, "done")]


def test_a_job_that_keeps_dying_stops_as_too_many_attempts(app, tokens, jobs):
    call = seed_call(tokens.user()["user"])
    store.ensure_pending(call.id)
    for attempt in range(jobs.settings.max_attempts):
        assert store.claim(call.id, f"dying-{attempt}", -1)
    run_jobs()
    row = analysis_row(call.id)
    assert (row.status, row.error_code) == ("failed", "too_many_attempts")


def test_a_live_call_is_not_analysed(app, tokens):
    call = make_call(tokens.user()["user"], state="live", ended_at=None)
    store.ensure_pending(call.id)
    run_jobs()
    assert analysis_row(call.id).error_code == "call_not_ended"


def test_the_in_process_runner_stops_cleanly(app, jobs):
    jobs.start()
    jobs.start()  # idempotent
    assert jobs.stop(5)
    assert jobs.stop(1)


def test_the_runner_rests_after_each_job_in_proportion_to_it():
    assert pause_after(0.003, 1.0) == 0.0  # back to back, still a yield
    assert pause_after(0.003, 0.25) == pytest.approx(0.009)  # three times the job
    assert pause_after(0.003, 0.5) == pytest.approx(0.003)
    assert pause_after(5.0, 0.33) == MAX_PAUSE_S  # a slow LLM job: no long idle spell
    assert pause_after(-1.0, 0.33) == 0.0  # a clock step never sleeps backwards


def test_a_burst_of_jobs_is_run_with_a_rest_after_every_one(app, monkeypatch):
    """Ten queued jobs of 10 ms each at a share of 0.25: the runner sleeps about 30 ms
    after each, so a burst of ended calls leaves the rest of the process three quarters
    of the time."""
    jobs = AnalysisJobs(app, JobSettings(runner_share=0.25), autostart=False)
    queued = list(range(10))
    sleeps: list[float] = []

    def run_next() -> str | None:
        if not queued:
            jobs._running = False
            return None
        queued.pop()
        clock.now += 0.010
        return "done"

    clock = SimpleNamespace(now=100.0)
    monkeypatch.setattr(jobs, "run_next", run_next)
    monkeypatch.setattr(service.time, "monotonic", lambda: clock.now)
    monkeypatch.setattr(service.time, "sleep", sleeps.append)
    jobs._running = True
    jobs._loop()
    assert not queued
    assert sleeps == [pytest.approx(0.030)] * 10
