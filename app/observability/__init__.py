"""Observability of a process: Prometheus metrics at ``/metrics`` and Sentry errors.

``init_app`` runs after the services exist (it reads their queue depths at scrape time
and wraps the live-call emitter) and before the first request.
"""

from __future__ import annotations

from flask import Flask

from app.config import Settings
from app.container import Services, get_services
from app.extensions import limiter
from app.observability import hooks
from app.observability.prometheus import Metrics
from app.observability.sentry import init_sentry
from app.services.analysis import store as analysis_store


def init_app(app: Flask, settings: Settings) -> Metrics:
    services = get_services(app)
    metrics = services.metrics = Metrics()
    hooks.init_http(app, metrics)
    view = hooks.metrics_view(metrics, settings.metrics_token)
    app.add_url_rule("/metrics", "metrics", limiter.exempt(view))
    _register_readers(metrics, services)
    sessions = services.sessions
    sessions.emit = hooks.observing_emitter(sessions.emit, metrics, sessions.calls.get)
    init_sentry(settings)
    return metrics


def _register_readers(metrics: Metrics, services: Services) -> None:
    c = metrics.collector
    c.gauge("live_calls", "Live calls held by this worker", lambda: len(services.sessions.calls))
    c.gauge(
        "socket_connections",
        "Authenticated /audio connections on this worker",
        lambda: len(services.connections.all()),
    )
    c.gauge(
        "utterance_writer_queue_depth",
        "Finals and suggestions waiting to be stored",
        lambda: services.sessions.writer._queue.qsize(),
    )
    c.counter(
        "utterance_writer_failures",
        "Failed attempts to store a batch (retried)",
        lambda: services.sessions.writer.failures,
    )
    c.gauge(
        "job_queue_depth",
        "Post-call analyses pending or running (all workers, from the database)",
        lambda: float(analysis_store.waiting_count()),
    )
