"""The loop of a process that only runs analysis jobs (`python -m app.worker`, `flask jobs worker`).

With REDIS_URL it serves the RQ queue (and re-queues rows nobody finished every
ANALYSIS_POLL_SECONDS); without it, it claims jobs straight from the database like the
in-process runner does. SIGTERM/SIGINT stop it after the current job.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

import redis
from flask import Flask

from app.container import get_services
from app.services.analysis import rq_queue, tasks
from app.services.analysis.service import AnalysisJobs
from app.services.concurrency import spawn

log = logging.getLogger(__name__)


def _jobs(app: Flask) -> AnalysisJobs:
    return get_services(app).analysis


def run_worker(app: Flask, burst: bool = False) -> None:
    settings = get_services(app).settings
    if settings.redis_url:
        _run_rq(app, settings.redis_url, burst)
    else:
        _run_db(app, burst)


def _sweep(app: Flask) -> None:
    try:
        with app.app_context():
            count = _jobs(app).sweep()
        if count:
            log.info("analysis_requeued", extra={"count": count})
    except Exception as exc:  # noqa: BLE001 - the sweeper survives Redis/DB outages
        log.warning("analysis_sweep_failed", extra={"error_class": type(exc).__name__})


def _sweeper(app: Flask, stop: threading.Event) -> None:
    while not stop.wait(_jobs(app).settings.poll_s):
        _sweep(app)


def _run_rq(app: Flask, url: str, burst: bool) -> None:
    connection: Any = redis.Redis.from_url(url)  # no socket timeout: the dequeue blocks
    tasks.bind(app)
    _sweep(app)
    stop = threading.Event()
    if not burst:
        spawn(_sweeper, app, stop, name="analysis-sweeper")
    try:
        rq_queue.worker(connection, _jobs(app).settings.queue_name).work(burst=burst)
    finally:
        stop.set()


def _run_db(app: Flask, burst: bool) -> None:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    jobs = _jobs(app)
    while not stop.is_set():
        with app.app_context():
            ran = jobs.run_next()
        if ran is None:
            if burst:
                return
            stop.wait(jobs.settings.poll_s)
