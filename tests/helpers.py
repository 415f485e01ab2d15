"""Helpers shared by tests of every area: building an app, auth headers, the LLM fake's
settings, the socket test-client verbs and bounded polling. Fixtures live in conftest files."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from app import create_app
from tests.fakes.fake_anthropic import API_KEY, FakeAnthropic

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
CHUNK = b"\x01\x00" * 1600  # 100 ms of 16 kHz PCM16
FAST_WATCHDOG = {"SOCKET_TOKEN_CHECK_SECONDS": "0.1", "SOCKET_REVOCATION_CHECK_SECONDS": "0.2"}


def make_app(database_url: str, **env: str) -> Flask:
    config = {
        "APP_ENV": "testing",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": database_url,
        "ASYNC_MODE": "threading",
        "RATE_LIMIT_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
        "TRANSCRIBER": "local",
        "COACH": "playbook",
        "DEEPGRAM_API_KEY": "",
        "ANTHROPIC_API_KEY": "",
        **env,
    }
    return create_app(config)


def auth_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def llm_env(fake: FakeAnthropic, **extra: str) -> dict[str, str]:
    """Settings that point the real anthropic SDK at the fake, for an `app_env` override."""
    return {
        "COACH": "llm",
        "ANTHROPIC_API_KEY": API_KEY,
        "ANTHROPIC_BASE_URL": fake.base_url,
        "LLM_DEADLINE_S": "3",
        **extra,
    }


def ack(client, event: str, payload: Any) -> dict[str, Any]:
    return client.emit(event, payload, namespace="/audio", callback=True)


def received(client, name: str) -> list[dict[str, Any]]:
    return [e["args"][0] for e in client.get_received("/audio") if e["name"] == name]


def events(client, name: str) -> list[dict[str, Any]]:
    """Events received so far, readable even after the server disconnected the client."""
    return [e["args"][0] for e in client.queue if e["name"] == name]


def start_call(client, **overrides: Any) -> str:
    response = ack(client, "call:start", {"title": "Demo", **overrides})
    assert response["ok"], response
    return response["call_id"]


def stream(client, call_id: str, count: int, source: str = "rep", first_seq: int = 0) -> list:
    return [
        ack(
            client,
            "audio",
            {"call_id": call_id, "source": source, "seq": first_seq + i, "data": CHUNK},
        )
        for i in range(count)
    ]


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0, step: float = 0.02) -> Any:
    """Poll ``predicate`` until it is truthy; fail (never hang) after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"condition not met within {timeout} s")
