"""Shared fixtures: an app per test on SQLite (default) or PostgreSQL (TEST_DATABASE_URL).

Tables are created once per session with ``create_all`` (migrations are tested on their
own in tests/api/test_migrations.py) and emptied after every test.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as wsgi.py: the encoder's small matrices
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests.factories import TokenFactory
from tests.fakes.fake_anthropic import API_KEY, FakeAnthropic

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _database_url(tmp_path_factory)


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


@pytest.fixture(scope="session")
def _schema(database_url: str) -> Iterator[None]:
    app = make_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app_env() -> dict[str, str]:
    """Override in a test module to change settings for its app."""
    return {}


@pytest.fixture
def app(database_url: str, _schema: None, app_env: dict[str, str]) -> Iterator[Flask]:
    application = make_app(database_url, **app_env)
    with application.app_context():
        yield application
        db.session.rollback()
        _empty_tables()
        db.session.remove()


@pytest.fixture
def tokens(app: Flask) -> TokenFactory:
    return TokenFactory(app)


def auth_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(tokens: TokenFactory) -> dict[str, Any]:
    """The first admin, created through the setup endpoint, with tokens."""
    return tokens.setup_admin()


@pytest.fixture
def fixtures_dir() -> Path:
    return Path(__file__).parent / "fixtures"


@pytest.fixture
def api(client: FlaskClient) -> FlaskClient:
    return client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests needing PostgreSQL features run only when TEST_DATABASE_URL points at it."""
    is_pg = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
    for item in items:
        if "postgres_only" in item.keywords and not is_pg:
            item.add_marker(pytest.mark.skip(reason="needs TEST_DATABASE_URL=postgresql://..."))


def sql(statement: str) -> Any:
    return db.session.execute(text(statement))


@pytest.fixture
def fake_llm() -> Iterator[FakeAnthropic]:
    """The loopback fake of Anthropic's Messages API (tests/fakes/fake_anthropic.py)."""
    with FakeAnthropic() as fake:
        yield fake


def llm_env(fake: FakeAnthropic, **extra: str) -> dict[str, str]:
    """Settings that point the real anthropic SDK at the fake, for an `app_env` override."""
    return {
        "COACH": "llm",
        "ANTHROPIC_API_KEY": API_KEY,
        "ANTHROPIC_BASE_URL": fake.base_url,
        "LLM_DEADLINE_S": "3",
        **extra,
    }
