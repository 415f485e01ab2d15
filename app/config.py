"""Settings read from the environment (and `.env`), parsed strictly, validated at start-up.

Every value has an embedded-mode default so `make run` needs no variables. Production
(`APP_ENV=production`) refuses to start without its secrets; :func:`load_settings` collects
every problem and raises one :class:`ConfigError` that lists them all.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
ASYNC_MODES = ("eventlet", "gevent", "threading")
TRANSCRIBERS = ("auto", "deepgram", "local", "scripted")
COACHES = ("auto", "playbook", "llm")
ANALYSIS_LLM_MODES = ("auto", "on", "off")
ENVIRONMENTS = ("development", "production", "testing")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DEV_SECRET_FILE = INSTANCE_DIR / ".secret_key"


class ConfigError(Exception):
    """Raised with every configuration problem found, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    """The whole configuration; see docs/configuration.md for each value."""

    app_env: str = "development"
    secret_key: str = ""
    jwt_secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = 5000
    database_url: str = ""
    redis_url: str = ""
    async_mode: str = "eventlet"
    cors_origins: tuple[str, ...] = ()
    proxy_fix_hops: int = 0
    max_content_length: int = 1_000_000
    log_level: str = "INFO"
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    refresh_reuse_grace_seconds: float = 30.0
    rate_limit_enabled: bool = True
    rate_limit_default: str = "300 per minute"
    rate_limit_auth: str = "10 per minute"
    health_cache_seconds: float = 5.0
    provider_failure_threshold: int = 3
    coaching_snapshot_seconds: float = 2.0
    provider_probe_seconds: float = 0.0
    metrics_token: str = ""
    sentry_dsn: str = ""
    sentry_traces_sample_rate: float = 0.0
    shutdown_timeout_s: float = 20.0
    transcriber: str = "auto"
    deepgram_api_key: str = ""
    deepgram_url: str = "wss://api.deepgram.com"
    deepgram_model: str = "nova-3"
    deepgram_language: str = "en-US"
    deepgram_max_streams: int = 100
    local_asr_model_path: str = ""
    local_asr_workers: int = 1
    local_asr_partial_interval_s: float = 1.0
    local_asr_prompt: str = ""
    coach: str = "auto"
    anthropic_api_key: str = ""
    anthropic_base_url: str = ""
    anthropic_model: str = "claude-haiku-4-5"
    llm_deadline_s: float = 6.0
    llm_max_retries: int = 1
    llm_context_token_budget: int = 1500
    guidance_llm_interval_s: float = 8.0
    max_audio_chunk_bytes: int = 64_000
    call_grace_seconds: int = 60
    max_live_calls_per_team: int = 50
    max_live_calls_per_user: int = 2
    max_sockets_per_user: int = 10
    socket_audio_per_second: float = 50.0
    socket_control_per_minute: float = 60.0
    socket_user_control_per_minute: int = 240
    socket_token_check_seconds: float = 2.0
    socket_revocation_check_seconds: float = 5.0
    redis_key_prefix: str = "salescoach:"
    retention_days: int = 365
    analysis_llm: str = "auto"
    analysis_model: str = ""
    analysis_llm_timeout_s: float = 60.0
    analysis_lease_seconds: int = 120
    analysis_max_attempts: int = 3
    analysis_poll_seconds: float = 2.0
    analysis_queue: str = "analysis"

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{INSTANCE_DIR / 'salescoach.db'}"

    @property
    def effective_transcriber(self) -> str:
        if self.transcriber != "auto":
            return self.transcriber
        return "deepgram" if self.deepgram_api_key else "local"

    @property
    def effective_coach(self) -> str:
        if self.coach != "auto":
            return self.coach
        return "llm" if self.anthropic_api_key else "playbook"

    @property
    def effective_analysis_llm(self) -> bool:
        """Post-call analysis by the LLM (else extractive summary and rule-based scorecard)."""
        if self.analysis_llm != "auto":
            return self.analysis_llm == "on"
        return bool(self.anthropic_api_key)


class _Reader:
    """Reads typed values from a mapping and records problems instead of failing early."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def text(self, name: str, default: str) -> str:
        return self.env.get(name, default).strip()

    def number(self, name: str, default: T, cast: Callable[[str], T], minimum: float = 0) -> T:
        raw = self.env.get(name)
        if raw is None or raw.strip() == "":
            return default
        try:
            value = cast(raw.strip())
        except ValueError:
            self.problems.append(f"{name} must be a number, got {raw!r}")
            return default
        if value < minimum:  # type: ignore[operator]
            self.problems.append(f"{name} must be at least {minimum}, got {value}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.env.get(name)
        if raw is None or raw.strip() == "":
            return default
        value = raw.strip().lower()
        if value not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            self.problems.append(f"{name} must be true or false, got {raw!r}")
            return default
        return value in ("1", "true", "yes", "on")

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.text(name, default)
        if value not in allowed:
            self.problems.append(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
            return default
        return value

    def csv(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        raw = self.env.get(name)
        if raw is None:
            return default
        return tuple(item.strip() for item in raw.split(",") if item.strip())


def _dev_secret() -> str:
    """Outside production, a random key kept in instance/ (git-ignored) across restarts."""
    if not DEV_SECRET_FILE.exists():
        DEV_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        DEV_SECRET_FILE.write_text(secrets.token_urlsafe(48))
        DEV_SECRET_FILE.chmod(0o600)
    return DEV_SECRET_FILE.read_text().strip()


def _read(env: Mapping[str, str]) -> tuple[Settings, list[str]]:
    r = _Reader(env)
    app_env = r.choice("APP_ENV", env.get("FLASK_ENV", "development"), ENVIRONMENTS)
    settings = Settings(
        app_env=app_env,
        secret_key=r.text("SECRET_KEY", "") or ("" if app_env == "production" else _dev_secret()),
        jwt_secret_key=r.text("JWT_SECRET_KEY", ""),
        host=r.text("HOST", "127.0.0.1"),
        port=r.number("PORT", 5000, int, 1),
        database_url=r.text("DATABASE_URL", ""),
        redis_url=r.text("REDIS_URL", ""),
        async_mode=r.choice("ASYNC_MODE", "eventlet", ASYNC_MODES),
        cors_origins=r.csv("CORS_ORIGINS", Settings.cors_origins),
        proxy_fix_hops=r.number("PROXY_FIX_HOPS", 0, int),
        max_content_length=r.number("MAX_CONTENT_LENGTH", 1_000_000, int, 1024),
        log_level=r.choice("LOG_LEVEL", "INFO", LOG_LEVELS),
        access_token_minutes=r.number("ACCESS_TOKEN_MINUTES", 15, int, 1),
        refresh_token_days=r.number("REFRESH_TOKEN_DAYS", 14, int, 1),
        refresh_reuse_grace_seconds=r.number("REFRESH_REUSE_GRACE_SECONDS", 30.0, float),
        rate_limit_enabled=r.flag("RATE_LIMIT_ENABLED", True),
        rate_limit_default=r.text("RATE_LIMIT_DEFAULT", "300 per minute"),
        rate_limit_auth=r.text("RATE_LIMIT_AUTH", "10 per minute"),
        health_cache_seconds=r.number("HEALTH_CACHE_SECONDS", 5.0, float),
        provider_failure_threshold=r.number("PROVIDER_FAILURE_THRESHOLD", 3, int, 1),
        coaching_snapshot_seconds=r.number("COACHING_SNAPSHOT_SECONDS", 2.0, float, 0.2),
        provider_probe_seconds=r.number("PROVIDER_PROBE_SECONDS", 0.0, float),
        metrics_token=r.text("METRICS_TOKEN", ""),
        sentry_dsn=r.text("SENTRY_DSN", ""),
        sentry_traces_sample_rate=r.number("SENTRY_TRACES_SAMPLE_RATE", 0.0, float),
        shutdown_timeout_s=r.number("SHUTDOWN_TIMEOUT_S", 20.0, float, 1),
        transcriber=r.choice("TRANSCRIBER", "auto", TRANSCRIBERS),
        deepgram_api_key=r.text("DEEPGRAM_API_KEY", ""),
        deepgram_url=r.text("DEEPGRAM_URL", "wss://api.deepgram.com"),
        deepgram_model=r.text("DEEPGRAM_MODEL", "nova-3"),
        deepgram_language=r.text("DEEPGRAM_LANGUAGE", "en-US"),
        deepgram_max_streams=r.number("DEEPGRAM_MAX_STREAMS", 100, int, 1),
        local_asr_model_path=r.text("LOCAL_ASR_MODEL_PATH", ""),
        local_asr_workers=r.number("LOCAL_ASR_WORKERS", 1, int, 1),
        local_asr_partial_interval_s=r.number("LOCAL_ASR_PARTIAL_INTERVAL_S", 1.0, float, 0.25),
        local_asr_prompt=r.text("LOCAL_ASR_PROMPT", ""),
        coach=r.choice("COACH", "auto", COACHES),
        anthropic_api_key=r.text("ANTHROPIC_API_KEY", ""),
        anthropic_base_url=r.text("ANTHROPIC_BASE_URL", ""),
        anthropic_model=r.text("ANTHROPIC_MODEL", "claude-haiku-4-5"),
        llm_deadline_s=r.number("LLM_DEADLINE_S", 6.0, float, 0.5),
        llm_max_retries=r.number("LLM_MAX_RETRIES", 1, int, 0),
        llm_context_token_budget=r.number("LLM_CONTEXT_TOKEN_BUDGET", 1500, int, 200),
        guidance_llm_interval_s=r.number("GUIDANCE_LLM_INTERVAL_S", 8.0, float, 1.0),
        max_audio_chunk_bytes=r.number("MAX_AUDIO_CHUNK_BYTES", 64_000, int, 1024),
        call_grace_seconds=r.number("CALL_GRACE_SECONDS", 60, int, 1),
        max_live_calls_per_team=r.number("MAX_LIVE_CALLS_PER_TEAM", 50, int, 1),
        max_live_calls_per_user=r.number("MAX_LIVE_CALLS_PER_USER", 2, int, 1),
        max_sockets_per_user=r.number("MAX_SOCKETS_PER_USER", 10, int, 1),
        socket_audio_per_second=r.number("SOCKET_AUDIO_PER_SECOND", 50.0, float, 1),
        socket_control_per_minute=r.number("SOCKET_CONTROL_PER_MINUTE", 60.0, float, 1),
        socket_user_control_per_minute=r.number("SOCKET_USER_CONTROL_PER_MINUTE", 240, int, 1),
        socket_token_check_seconds=r.number("SOCKET_TOKEN_CHECK_SECONDS", 2.0, float, 0.05),
        socket_revocation_check_seconds=r.number(
            "SOCKET_REVOCATION_CHECK_SECONDS", 5.0, float, 0.05
        ),
        redis_key_prefix=r.text("REDIS_KEY_PREFIX", "salescoach:"),
        retention_days=r.number("RETENTION_DAYS", 365, int, 1),
        analysis_llm=r.choice("ANALYSIS_LLM", "auto", ANALYSIS_LLM_MODES),
        analysis_model=r.text("ANALYSIS_MODEL", ""),
        analysis_llm_timeout_s=r.number("ANALYSIS_LLM_TIMEOUT_S", 60.0, float, 1),
        analysis_lease_seconds=r.number("ANALYSIS_LEASE_SECONDS", 120, int, 1),
        analysis_max_attempts=r.number("ANALYSIS_MAX_ATTEMPTS", 3, int, 1),
        analysis_poll_seconds=r.number("ANALYSIS_POLL_SECONDS", 2.0, float, 0.05),
        analysis_queue=r.text("ANALYSIS_QUEUE", "analysis"),
    )
    return settings, r.problems


def _analysis_checks(s: Settings) -> list[str]:
    problems: list[str] = []
    if s.analysis_llm == "on" and not s.anthropic_api_key:
        problems.append("ANALYSIS_LLM=on needs ANTHROPIC_API_KEY")
    if s.analysis_llm_timeout_s >= s.analysis_lease_seconds:
        problems.append("ANALYSIS_LLM_TIMEOUT_S must be shorter than ANALYSIS_LEASE_SECONDS")
    return problems


def _upper_bounds(s: Settings) -> list[str]:
    problems: list[str] = []
    if s.refresh_reuse_grace_seconds > 300:
        problems.append("REFRESH_REUSE_GRACE_SECONDS must be at most 300 (a replaced token)")
    if s.llm_max_retries > 1:
        problems.append("LLM_MAX_RETRIES must be 0 or 1 (live suggestions cannot wait longer)")
    return problems


def _cross_checks(s: Settings) -> list[str]:
    problems: list[str] = []
    if s.transcriber == "deepgram" and not s.deepgram_api_key:
        problems.append("TRANSCRIBER=deepgram needs DEEPGRAM_API_KEY")
    if s.coach == "llm" and not s.anthropic_api_key:
        problems.append("COACH=llm needs ANTHROPIC_API_KEY")
    problems += _analysis_checks(s)
    problems += _upper_bounds(s)
    if s.local_asr_model_path and not Path(s.local_asr_model_path).is_dir():
        problems.append("LOCAL_ASR_MODEL_PATH must be a directory holding a CTranslate2 model")
    if not s.is_production:
        return problems
    if len(s.secret_key) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not s.database_url:
        problems.append("DATABASE_URL must be set (PostgreSQL) in production")
    if "*" in s.cors_origins:
        problems.append("CORS_ORIGINS must list origins explicitly, not '*'")
    if s.transcriber == "scripted":
        problems.append("TRANSCRIBER=scripted is a benchmark double, not for production")
    return problems


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``env`` (default: the process environment), then ``overrides``."""
    settings, problems = _read(os.environ if env is None else env)
    if overrides:
        known = {f.name for f in fields(Settings)}
        unknown = sorted(set(overrides) - known)
        problems += [f"unknown setting override {name!r}" for name in unknown]
        settings = replace(settings, **{k: v for k, v in overrides.items() if k in known})
    problems += _cross_checks(settings)
    if problems:
        raise ConfigError(problems)
    return settings
