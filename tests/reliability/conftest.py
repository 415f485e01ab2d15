"""Fixtures for the fault-matrix tests: the socket test-client helpers of tests/sockets,
short watchdog intervals, and a watchdog that is stopped after each test."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from app.container import get_services
from tests.sockets.conftest import connect, scripted_transcriber, sessions  # noqa: F401

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


PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_apps():
    """Build apps ("workers") on one fresh PostgreSQL schema; dropped afterwards.

    ``build(url=...)`` lets a test reach the same database another way (a proxy)."""
    import uuid

    from sqlalchemy import create_engine, text

    from app.extensions import db
    from tests.conftest import make_app

    schema = f"rel_{uuid.uuid4().hex[:10]}"
    admin_engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin_engine.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:
        admin_engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}")
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    built: list[Any] = []

    def build(port: int = 5432, **env: str) -> Any:
        worker = make_app(url.replace(":5432/", f":{port}/"), **env)
        with worker.app_context():
            if not built:
                db.create_all()
        built.append(worker)
        return worker

    try:
        yield build
    finally:
        for worker in built:
            services = get_services(worker)
            services.sessions.janitor.stop()
            services.sessions.writer.stop(1)
            with worker.app_context():
                db.session.remove()
                db.engine.dispose()
        with admin_engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin_engine.dispose()
