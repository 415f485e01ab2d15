"""The composition root: turns an app's :class:`~app.config.Settings` into its services.

This is the one module that reads settings to build objects; the services themselves
never read configuration. ``init_app`` fills the app's :class:`~app.container.Services`
(``create_app`` calls it once). Providers are chosen by name from small tables, so a
deployment selects Deepgram or the local recognizer, the LLM coach or the playbook only,
and tests swap in fakes by assigning ``services.transcriber``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import redis
from flask import Flask

from app.config import Settings
from app.container import Services, install
from app.events import NAMESPACE
from app.extensions import socketio
from app.services.analysis.job import JobSettings
from app.services.analysis.llm import AnalysisLlm, AnalysisLlmSettings
from app.services.analysis.service import AnalysisJobs
from app.services.coaching.llm_client import LlmSettings
from app.services.coaching.llm_factory import LlmCoachFactory
from app.services.health import HealthChecker, database_check
from app.services.live.connections import ConnectionRegistry, SocketLimits
from app.services.live.emitter import socketio_emitter
from app.services.live.limits import TeamLocks, UserEventCounter
from app.services.live.manager import LiveCallManager, ManagerSettings
from app.services.live.socket_slots import SocketSlots
from app.services.live.watchdog import ConnectionWatchdog, WatchdogSettings
from app.services.provider_health import ObservedTranscriber, ProviderHealth
from app.services.transcription import scripted
from app.services.transcription.base import Transcriber
from app.services.transcription.deepgram.settings import DeepgramSettings
from app.services.transcription.deepgram.transcriber import DeepgramTranscriber
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.local.transcriber import LocalTranscriber


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
        LlmCoachFactory(
            coach_llm_settings(settings), ProviderHealth(settings.provider_failure_threshold)
        )
        if settings.effective_coach == "llm"
        else None
    )
    services.health = _health(settings, services)
    services.analysis = _analysis(app, settings, services.redis)
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
        _transcriber(services)  # build the provider at start-up, never on a first request
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
        build = TRANSCRIBERS[services.settings.effective_transcriber]
        services.transcriber = build(services.settings)
    return services.transcriber


def _redis_client(url: str) -> Any:
    return redis.Redis.from_url(
        url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=30
    )


def build_deepgram(settings: Settings) -> DeepgramTranscriber:
    return DeepgramTranscriber(
        DeepgramSettings(
            api_key=settings.deepgram_api_key,
            base_url=settings.deepgram_url,
            model=settings.deepgram_model,
            language=settings.deepgram_language,
            max_streams=settings.deepgram_max_streams,
        )
    )


def build_local(settings: Settings) -> LocalTranscriber:
    """The embedded recognizer; worker processes start on the first stream."""
    return LocalTranscriber(
        LocalAsrSettings(
            model_path=settings.local_asr_model_path or None,
            workers=settings.local_asr_workers,
            cpu_threads=max(1, 2 // settings.local_asr_workers),
            partial_interval_s=settings.local_asr_partial_interval_s,
            partial_busy_share=settings.local_asr_partial_busy_share,
            beam_size=settings.local_asr_beam_size,
            alternatives=settings.local_asr_alternatives,
            prompt=settings.local_asr_prompt,
        )
    )


TRANSCRIBERS: dict[str, Callable[[Settings], Transcriber]] = {
    "deepgram": build_deepgram,
    "local": build_local,
    # a zero-cost double for tests and benchmarks; never the default, refused in production
    "scripted": scripted.build_transcriber,
}


def coach_llm_settings(settings: Settings) -> LlmSettings:
    """The live LLM coach's client settings (cards and guidance)."""
    return LlmSettings(
        api_key=settings.anthropic_api_key,
        base_url=settings.anthropic_base_url or None,
        model=settings.anthropic_model,
        deadline_s=settings.llm_deadline_s,
        max_retries=settings.llm_max_retries,
        context_token_budget=settings.llm_context_token_budget,
        guidance_interval_s=settings.guidance_llm_interval_s,
    )


def analysis_llm_settings(settings: Settings) -> AnalysisLlmSettings:
    """The post-call analysis LLM's settings (its own model, if one is configured)."""
    return AnalysisLlmSettings(
        api_key=settings.anthropic_api_key,
        base_url=settings.anthropic_base_url or None,
        model=settings.analysis_model or settings.anthropic_model,
        timeout_s=settings.analysis_llm_timeout_s,
    )


def job_settings(settings: Settings) -> JobSettings:
    return JobSettings(
        lease_s=settings.analysis_lease_seconds,
        max_attempts=settings.analysis_max_attempts,
        poll_s=settings.analysis_poll_seconds,
        runner_share=settings.analysis_runner_share,
        queue_name=settings.analysis_queue,
    )


def _analysis(app: Flask, settings: Settings, redis_client: Any) -> AnalysisJobs:
    """The process's job service; its in-process runner starts on the first job
    (never under APP_ENV=testing, where tests start it explicitly)."""
    llm = AnalysisLlm(analysis_llm_settings(settings)) if settings.effective_analysis_llm else None
    return AnalysisJobs(
        app, job_settings(settings), llm, redis_client, autostart=settings.app_env != "testing"
    )
