"""Fixtures for the fault-matrix tests: the socket test-client helpers of tests/sockets,
short watchdog intervals, and a watchdog that is stopped after each test."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from app.extensions import get_services
from tests.sockets.conftest import connect, fake_transcriber, sessions  # noqa: F401

FAST_WATCHDOG = {"SOCKET_TOKEN_CHECK_SECONDS": "0.1", "SOCKET_REVOCATION_CHECK_SECONDS": "0.2"}


@pytest.fixture
def app_env() -> dict[str, str]:
    return dict(FAST_WATCHDOG)


@pytest.fixture(autouse=True)
def _stop_watchdog(app):
    yield
    get_services().watchdog.stop()


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0, step: float = 0.02) -> Any:
    """Poll ``predicate`` until it is truthy; fail (never hang) after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"condition not met within {timeout} s")


def events(client, name: str) -> list[dict[str, Any]]:
    """Events received so far, readable even after the server disconnected the client."""
    return [e["args"][0] for e in client.queue if e["name"] == name]
