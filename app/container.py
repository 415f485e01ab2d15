"""The process's service objects, held on the Flask app, and the one way to reach them.

``app.composition.init_app`` builds a :class:`Services` and stores it on the app;
everything else calls :func:`get_services` (blueprints, sockets, commands, the worker), so
tests can swap any service (a fake transcriber, say) after ``create_app``. This is the
only module that reads ``app.extensions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from redis import Redis

    from app.config import Settings
    from app.observability.prometheus import Metrics
    from app.services.analysis.service import AnalysisJobs
    from app.services.coaching.llm_factory import LlmCoachFactory
    from app.services.health import HealthChecker
    from app.services.live.connections import ConnectionRegistry
    from app.services.live.limits import UserEventCounter
    from app.services.live.manager import LiveCallManager
    from app.services.live.socket_slots import SocketSlots
    from app.services.live.watchdog import ConnectionWatchdog
    from app.services.provider_health import ProviderHealth
    from app.services.transcription.base import Transcriber

EXTENSION_KEY = "salescoach"


class Services:
    """One app's services; the composition root sets every attribute without a default."""

    settings: Settings
    health: HealthChecker
    transcriber_health: ProviderHealth  # of the transcriber, from its real interactions
    connections: ConnectionRegistry
    sessions: LiveCallManager
    analysis: AnalysisJobs
    watchdog: ConnectionWatchdog  # closes sockets whose token expired or access was withdrawn
    user_events: UserEventCounter  # per-user control-event counter shared across workers
    socket_slots: SocketSlots  # per-user cap on open sockets, shared across workers
    redis: Redis | None = None
    transcriber: Transcriber | None = None  # built on first use (at start-up outside tests)
    llm: LlmCoachFactory | None = None  # None unless the LLM coach is configured
    metrics: Metrics | None = None  # set by app.observability.init_app


def install(app: Flask, services: Services) -> Services:
    """Attach ``services`` to ``app`` (the composition root calls this once per app)."""
    app.extensions[EXTENSION_KEY] = services
    return services


def get_services(app: Flask | None = None) -> Services:
    """The services of ``app``, or of the current app (then it needs an app context)."""
    target = app if app is not None else current_app
    services: Services = target.extensions[EXTENSION_KEY]
    return services
