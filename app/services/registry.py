"""Builds an app's services from its settings (see ``app.extensions.Services``)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.config import Settings
from app.extensions import Services
from app.services.health import HealthChecker, database_check


def init_app(app: Flask, settings: Settings) -> Services:
    services = Services()
    app.extensions["salescoach"] = services
    services.settings = settings
    services.health = HealthChecker(ttl=settings.health_cache_seconds)
    services.health.add("database", database_check)
    services.redis = _redis_client(settings.redis_url) if settings.redis_url else None
    if services.redis is not None:
        services.health.add("redis", services.redis.ping)
    services.health.add("transcriber", lambda: _transcriber_configured(settings))
    return services


def _redis_client(url: str) -> Any:
    import redis  # imported only when Redis is configured

    return redis.Redis.from_url(
        url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=30
    )


def _transcriber_configured(settings: Settings) -> None:
    if settings.effective_transcriber == "deepgram" and not settings.deepgram_api_key:
        raise RuntimeError("deepgram selected without a key")
