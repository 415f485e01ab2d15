"""Settings and the cluster record shared by the two-worker scale tests."""

from __future__ import annotations

from dataclasses import dataclass

from tests.scale.harness import RedisServer, Server

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "scale-test-secret-key-0123456789-0123456789"
METRICS_TOKEN = "scale-metrics-token"


def base_env(database_url: str, redis_url: str) -> dict[str, str]:
    return {
        "APP_ENV": "development",
        "SECRET_KEY": SECRET,
        "JWT_SECRET_KEY": "",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ASYNC_MODE": "eventlet",
        "TRANSCRIBER": "scripted",
        "COACH": "playbook",
        "DEEPGRAM_API_KEY": "",
        "ANTHROPIC_API_KEY": "",
        "RATE_LIMIT_ENABLED": "false",
        "LOG_LEVEL": "INFO",
        "SHUTDOWN_TIMEOUT_S": "8",
        "METRICS_TOKEN": METRICS_TOKEN,
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    }


@dataclass
class Cluster:
    a: Server
    b: Server
    redis: RedisServer
    tokens: dict[str, str]
    database_url: str
