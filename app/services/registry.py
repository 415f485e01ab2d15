"""Builds an app's services from its settings (see ``app.container.Services``).

Providers are chosen by configuration from small registries (name → factory), so a
deployment selects Deepgram or the local recognizer, the LLM coach or the playbook only,
and tests swap in fakes by assigning ``services.transcriber``.
"""

from __future__ import annotations

import importlib
from functools import partial
from typing import Any

import redis
from flask import Flask

from app.config import Settings
from app.container import Services, install
from app.events import NAMESPACE
from app.extensions import socketio
from app.services.analysis.wiring import build_analysis
from app.services.health import HealthChecker, database_check
from app.services.live.connections import ConnectionRegistry, SocketLimits
from app.services.live.emitter import socketio_emitter
from app.services.live.limits import TeamLocks, UserEventCounter
from app.services.live.manager import LiveCallManager, ManagerSettings
from app.services.live.socket_slots import SocketSlots
from app.services.live.watchdog import ConnectionWatchdog, WatchdogSettings
from app.services.provider_health import ObservedTranscriber, ProviderHealth
from app.services.providers import LlmCoachFactory, llm_settings
from app.services.transcription.base import Transcriber

TRANSCRIBERS = {
    "deepgram": "app.services.providers:build_deepgram",
    "local": "app.services.providers:build_local",
    # a zero-cost double for tests and benchmarks; never the default, refused in production
    "scripted": "app.services.transcription.scripted:build_transcriber",
}


def init_app(app: Flask, settings: Settings) -> Services:
    services = install(app, Services())
    services.settings = settings
    services.redis = _redis_client(settings.redis_url) if settings.redis_url else None
    services.transcriber_health = ProviderHealth(
        settings.provider_failure_threshold,
        probe=lambda: _probe_transcriber(services),
        probe_interval_s=settings.provider_probe_seconds,
    )
    services.connections = ConnectionRegistry(_socket_limits(settings))
    services.user_events = UserEventCounter(
        services.redis, settings.redis_key_prefix, settings.socket_user_control_per_minute
    )
    services.socket_slots = SocketSlots(
        services.redis,
        settings.redis_key_prefix,
        settings.max_sockets_per_user,
        ttl_s=max(30.0, settings.socket_revocation_check_seconds * 6),
    )
    services.llm = (
        LlmCoachFactory(llm_settings(settings), ProviderHealth(settings.provider_failure_threshold))
        if settings.effective_coach == "llm"
        else None
    )
    services.health = _health(settings, services)
    services.analysis = build_analysis(app, settings, services.redis)
    services.sessions = LiveCallManager(
        app,
        _manager_settings(settings),
        socketio_emitter(socketio),
        transcriber=lambda: ObservedTranscriber(
            _transcriber(services), services.transcriber_health
        ),
        llm_factory=services.llm,
        on_call_ended=services.analysis.on_call_ended,
        team_lock=TeamLocks(services.redis, settings.redis_key_prefix).hold,
    )
    services.watchdog = _watchdog(app, settings, services)
    if settings.app_env != "testing":
        _transcriber(services)  # import providers at start-up, never on a first request
    return services


def _health(settings: Settings, services: Services) -> HealthChecker:
    health = HealthChecker(ttl=settings.health_cache_seconds)
    health.add("database", database_check)
    if services.redis is not None:
        health.add("redis", partial(_ping, services.redis))
    health.add("transcriber", lambda: _check_transcriber(services), cached=False)
    if services.llm is not None:
        health.add("llm", services.llm.health.check, cached=False, critical=False)
    return health


def _ping(client: redis.Redis) -> None:
    client.ping()


def _check_transcriber(services: Services) -> None:
    """The configured provider can be built (keys present, model found; built once at
    start-up outside tests, so this is cheap) and its last real interactions (or the
    optional cached probe) went well."""
    _transcriber(services)
    services.transcriber_health.check()


def _probe_transcriber(services: Services) -> None:
    """The optional probe (PROVIDER_PROBE_SECONDS): a provider handshake, if it has one."""
    probe = getattr(_transcriber(services), "probe", None)
    if probe is not None:
        probe()


def _socket_limits(settings: Settings) -> SocketLimits:
    return SocketLimits.from_rates(
        settings.socket_audio_per_second, settings.socket_control_per_minute
    )


def _watchdog(app: Flask, settings: Settings, services: Services) -> ConnectionWatchdog:
    def send(sid: str, event: str, payload: dict[str, Any]) -> None:
        socketio.emit(event, payload, namespace=NAMESPACE, to=sid)

    def disconnect(sid: str) -> None:
        socketio.server.disconnect(sid, namespace=NAMESPACE)

    return ConnectionWatchdog(
        app,
        WatchdogSettings(
            settings.socket_token_check_seconds, settings.socket_revocation_check_seconds
        ),
        services.connections,
        services.sessions,
        send,
        disconnect,
        renew_slots=services.socket_slots.renew,
    )


def _manager_settings(settings: Settings) -> ManagerSettings:
    return ManagerSettings(
        grace_seconds=settings.call_grace_seconds,
        max_calls_per_team=settings.max_live_calls_per_team,
        max_calls_per_user=settings.max_live_calls_per_user,
        max_chunk_bytes=settings.max_audio_chunk_bytes,
        transcriber_name=settings.effective_transcriber,
        coach_name=settings.effective_coach,
        coaching_snapshot_s=settings.coaching_snapshot_seconds,
    )


def _transcriber(services: Services) -> Transcriber:
    if services.transcriber is None:
        module_name, _, factory = TRANSCRIBERS[services.settings.effective_transcriber].partition(
            ":"
        )
        services.transcriber = getattr(importlib.import_module(module_name), factory)(
            services.settings
        )
    return services.transcriber


def _redis_client(url: str) -> Any:
    return redis.Redis.from_url(
        url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=30
    )
