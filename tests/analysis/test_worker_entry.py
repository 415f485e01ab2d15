"""`python -m app.worker`: the job-worker process entry, and the task without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.analysis import store, tasks
from tests.analysis.helpers import analysis_row, seed_call
from tests.helpers import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]


def _worker_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "APP_ENV": "testing",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "TRANSCRIBER": "local",
        "COACH": "playbook",
        "ANTHROPIC_API_KEY": "",
        "DEEPGRAM_API_KEY": "",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def _run_worker(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.worker", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_worker_entry_in_burst_mode_runs_every_pending_job(app, tokens, database_url):
    calls = [seed_call(tokens.user()["user"]) for _ in range(2)]
    for call in calls:
        store.ensure_pending(call.id)
    result = _run_worker(_worker_env(database_url), "--burst")
    assert result.returncode == 0, result.stderr
    assert [analysis_row(c.id).status for c in calls] == ["done", "done"]


def test_the_worker_entry_stops_on_an_invalid_configuration_naming_the_problem(database_url):
    result = _run_worker(_worker_env(database_url, ANALYSIS_POLL_SECONDS="soon"), "--burst")
    assert result.returncode == 1
    assert "ANALYSIS_POLL_SECONDS" in result.stderr


def test_a_task_in_a_process_that_bound_no_app_refuses_to_build_one():
    tasks.bind(None)
    with pytest.raises(tasks.NoWorkerApp):
        tasks.run_analysis("any-call")
