"""The analysis job service of one process: enqueue on call end, run, recover.

Without Redis, an in-process runner (a background task) claims jobs from the database;
several processes sharing the database each run it and each job still runs once. With
Redis, jobs go to an RQ queue served by job-worker processes (``python -m app.worker``),
and a sweeper in each worker re-queues rows nobody finished (a killed worker, Redis down
at enqueue time).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask

from app.services.analysis import job, rq_queue, store
from app.services.analysis.job import JobSettings
from app.services.analysis.llm import AnalysisLlm
from app.services.concurrency import spawn

log = logging.getLogger(__name__)
MAX_PAUSE_S = 0.2  # a slow job (an LLM request) is not followed by a long idle spell


def pause_after(job_s: float, share: float) -> float:
    """How long the embedded runner rests after a job of ``job_s`` seconds so that, while
    jobs are queued, it takes at most ``share`` of the process's time."""
    return min(MAX_PAUSE_S, max(0.0, job_s) * (1.0 - share) / share)


class AnalysisJobs:
    def __init__(
        self,
        app: Flask,
        settings: JobSettings,
        llm: AnalysisLlm | None = None,
        redis: Any = None,
        autostart: bool = True,
    ) -> None:
        self.app = app
        self.settings = settings
        self.llm = llm
        self.redis = redis
        self.autostart = autostart
        self.owner = job.new_owner()
        self._wake = threading.Event()
        self._running = False
        self._stopped = threading.Event()

    # ------------------------------------------------------------------ enqueue
    def on_call_ended(self, call_id: str) -> None:
        """The live-call manager's hook (inside an app context): queue the analysis."""
        try:
            if store.ensure_pending(call_id):
                self.dispatch([call_id])
        except Exception as exc:  # noqa: BLE001 - never break ending a call; the row recovers
            log.error(
                "analysis_enqueue_failed",
                extra={"call_id": call_id, "error_class": type(exc).__name__},
            )

    def dispatch(self, call_ids: list[str]) -> None:
        """Hand queued rows to a runner: RQ with Redis, else wake the in-process runner."""
        if self.redis is None:
            if self.autostart:
                self.start()
            self._wake.set()
            return
        store.mark_dispatched(call_ids, self.settings.lease_s)
        try:
            rq_queue.enqueue(self.redis, self.settings.queue_name, call_ids, self.settings.lease_s)
        except Exception as exc:  # noqa: BLE001 - Redis down: the sweeper re-queues later
            log.warning("analysis_queue_unavailable", extra={"error_class": type(exc).__name__})

    # ------------------------------------------------------------------ run
    def run_call(self, call_id: str) -> str:
        """Run one call's job if it can be claimed (inside an app context)."""
        return job.run_one(call_id, self.owner, self.settings, self.llm)

    def run_next(self) -> str | None:
        """Claim and run the oldest claimable job (inside an app context)."""
        return job.run_next(self.owner, self.settings, self.llm)

    def sweep(self) -> int:
        """Re-queue rows nobody finished (Redis mode); returns how many."""
        ids = store.stale_ids()
        if ids and self.redis is not None:
            self.dispatch(ids)
        return len(ids)

    # ------------------------------------------------------------------ in-process runner
    def start_embedded(self) -> None:
        """At server start: run the in-process runner unless Redis workers do the jobs
        (or under APP_ENV=testing, where tests start it themselves)."""
        if self.autostart and self.redis is None:
            self.start()

    def start(self) -> None:
        """Start the in-process runner (idempotent)."""
        if not self._running:
            self._running = True
            self._stopped.clear()
            spawn(self._loop, name="analysis-runner")

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the runner after its current job; True if it stopped in time."""
        if not self._running:
            return True
        self._running = False
        self._wake.set()
        return self._stopped.wait(timeout)

    def _loop(self) -> None:
        """Jobs one after another, each followed by a rest (``pause_after``): the runner
        shares its process (and, under eventlet, its one event loop) with live calls, and
        a burst of ended calls must not hold their audio and transcripts back. The rest
        is a green sleep, so the loop serves every waiting event before the next job."""
        try:
            while self._running:
                started = time.monotonic()
                ran = self._tick()
                if ran:
                    time.sleep(pause_after(time.monotonic() - started, self.settings.runner_share))
                elif self._running:
                    self._wake.wait(self.settings.poll_s)
                    self._wake.clear()
        finally:
            self._stopped.set()

    def _tick(self) -> bool:
        try:
            with self.app.app_context():
                return self.run_next() is not None
        except Exception as exc:  # noqa: BLE001 - the runner survives anything (DB down)
            log.error("analysis_runner_failed", extra={"error_class": type(exc).__name__})
            return False
