"""Fixtures for the fault-matrix tests: short watchdog intervals, a watchdog that is stopped
after each test, and apps on a fresh PostgreSQL schema."""

from __future__ import annotations

from typing import Any

import pytest

from app.container import get_services
from tests.helpers import FAST_WATCHDOG


@pytest.fixture
def app_env() -> dict[str, str]:
    return dict(FAST_WATCHDOG)


@pytest.fixture(autouse=True)
def _stop_watchdog(app):
    yield
    get_services().watchdog.stop()


PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_apps():
    """Build apps ("workers") on one fresh PostgreSQL schema; dropped afterwards.

    ``build(url=...)`` lets a test reach the same database another way (a proxy)."""
    import uuid

    from sqlalchemy import create_engine, text

    from app.extensions import db
    from tests.helpers import make_app

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
            services.watchdog.stop()  # else its thread outlives the schema and logs errors
            services.sessions.writer.stop(1)
            with worker.app_context():
                db.session.remove()
                db.engine.dispose()
        with admin_engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin_engine.dispose()
