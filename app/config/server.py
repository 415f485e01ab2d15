"""Settings of the server itself: where it runs, its secrets and stores, HTTP hardening, data."""

from __future__ import annotations

from dataclasses import dataclass

from app.config.spec import setting

ENVIRONMENTS = ("development", "production", "testing")
ASYNC_MODES = ("eventlet", "gevent", "threading")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class CoreSettings:
    """Where the app runs, its secrets, stores, logs, error reporting and readiness."""

    app_env: str = setting(
        "development",
        "`development`, `production` or `testing`. Production turns on HSTS, secure cookies "
        "and the checks above.",
        choices=ENVIRONMENTS,
        fallback_env="FLASK_ENV",
    )
    secret_key: str = setting(
        "",
        "Signs sessions and (unless `JWT_SECRET_KEY` is set) tokens. At least 32 characters "
        "in production.",
        shown_default="random, kept in `instance/.secret_key`",
    )
    jwt_secret_key: str = setting(
        "",
        "Separate signing key for access/refresh tokens (HS256).",
        shown_default="`SECRET_KEY`",
    )
    host: str = setting(
        "127.0.0.1",
        "Interface `make run` / `python wsgi.py` binds to (`0.0.0.0` in the container).",
    )
    port: int = setting(5000, "Port it listens on.", minimum=1)
    database_url: str = setting(
        "",
        "SQLAlchemy URL; PostgreSQL as `postgresql+psycopg://user:pass@host/db`.",
        shown_default="SQLite file `instance/salescoach.db`",
    )
    redis_url: str = setting(
        "",
        "Redis for the Socket.IO message queue, rate-limit storage, live-call leases and jobs.",
        shown_default="empty (in-process)",
    )
    async_mode: str = setting(
        "eventlet",
        "`eventlet`, `gevent` or `threading` (see docs/adr/0001-async-mode.md).",
        choices=ASYNC_MODES,
    )
    log_level: str = setting(
        "INFO",
        "`DEBUG`, `INFO`, `WARNING`, `ERROR`. Logs are JSON lines on stdout.",
        choices=LOG_LEVELS,
    )
    sentry_dsn: str = setting(
        "",
        "Send errors to Sentry, with transcript text and tokens scrubbed (docs/operations.md).",
        shown_default="empty (off)",
    )
    sentry_traces_sample_rate: float = setting(
        0.0,
        "Fraction (0 to 1) of requests traced for Sentry performance; 0 sends errors only.",
    )
    metrics_token: str = setting(
        "",
        "When set, `/metrics` requires `Authorization: Bearer <token>` (each worker serves "
        "its own metrics; docs/operations.md).",
    )
    shutdown_timeout_s: float = setting(
        20.0,
        "On SIGTERM a worker drains its live calls (streams flushed, finals stored, clients "
        "told to reconnect) and exits within this many seconds; it is killed one second later"
        " if the drain hangs. Keep gunicorn's `graceful_timeout` and Docker's "
        "`stop_grace_period` above it.",
        minimum=1,
    )
    health_cache_seconds: float = setting(
        5.0,
        "How long `/health/ready` reuses its last database and Redis checks (provider health "
        "is read fresh on every probe).",
    )
    provider_failure_threshold: int = setting(
        3,
        "Failed provider interactions in a row (unreachable, rate limited, dropped) after "
        "which `/health/ready` reports the transcriber (or the LLM, advisory) unhealthy; an "
        "auth failure counts at once.",
        minimum=1,
    )
    provider_probe_seconds: float = setting(
        0.0,
        "When above 0, `/health/ready` also probes the transcriber (one Deepgram handshake, "
        "no audio) at most this often per worker.",
        shown_default="`0` (off)",
    )


@dataclass(frozen=True)
class HttpSettings:
    """REST hardening: allowed origins, proxies, body size, rate limits and token lifetimes."""

    cors_origins: tuple[str, ...] = setting(
        (),
        "Extra comma-separated origins allowed for the REST API and the Socket.IO handshake, "
        "for a web app served from another address. Never `*` in production. Not needed for "
        "the app's own page: the server always accepts an `Origin` equal to the request's own"
        " host (127.0.0.1, localhost or the machine's name, any `PORT`), the configured "
        "`HOST`/`PORT`, and in development the Vite dev/preview servers (ports 5173, 4173).",
    )
    proxy_fix_hops: int = setting(
        0,
        "Number of trusted reverse proxies (nginx = 1) whose `X-Forwarded-*` headers are believed.",
    )
    max_content_length: int = setting(
        1_000_000,
        "Largest accepted HTTP request body in bytes (413 `payload_too_large` above).",
        minimum=1024,
    )
    rate_limit_enabled: bool = setting(True, "Turn REST rate limiting off (tests only).")
    rate_limit_default: str = setting(
        "300 per minute",
        "Default per-client REST limit (Flask-Limiter syntax).",
    )
    rate_limit_auth: str = setting("10 per minute", "Stricter limit on login, setup and refresh.")
    access_token_minutes: int = setting(15, "Lifetime of access tokens.", minimum=1)
    refresh_token_days: int = setting(
        14,
        "Lifetime of a refresh token; each refresh hands out a new one with a fresh lifetime,"
        " so a sign-in unused this long ends.",
        minimum=1,
    )
    refresh_reuse_grace_seconds: float = setting(
        30.0,
        "0 to 300. For this long after a refresh, the refresh token it replaced is still "
        "accepted (and answered with the current one), so two tabs or a lost response do not "
        "look like a stolen token; any other reuse ends the sign-in. 0 turns the grace off.",
        maximum=300,
        why_maximum="a replaced token",
    )


@dataclass(frozen=True)
class DataSettings:
    """Stored data."""

    retention_days: int = setting(365, "Default age for `flask calls prune`.", minimum=1)
