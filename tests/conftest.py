"""Shared fixtures: an app per test on SQLite (default) or PostgreSQL (TEST_DATABASE_URL),
and Socket.IO test clients on /audio with the scripted transcriber.

Tables are created once per session with ``create_all`` (migrations are tested on their
own in tests/api/test_migrations.py) and emptied after every test.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as wsgi.py: the classifier's small matrices
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.container import get_services
from app.extensions import db, socketio
from app.services.transcription.scripted import ScriptedTranscriber
from tests.factories import TokenFactory
from tests.fakes.fake_anthropic import FakeAnthropic
from tests.helpers import make_app


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _database_url(tmp_path_factory)


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


@pytest.fixture
def fake_llm() -> Iterator[FakeAnthropic]:
    """The loopback fake of Anthropic's Messages API (tests/fakes/fake_anthropic.py)."""
    with FakeAnthropic() as fake:
        yield fake


@pytest.fixture
def scripted_transcriber(app) -> ScriptedTranscriber:
    transcriber = ScriptedTranscriber()
    get_services().transcriber = transcriber
    return transcriber


@pytest.fixture
def sessions(app):
    manager = get_services().sessions
    yield manager
    manager.janitor.stop()
    manager.writer.flush(5)


@pytest.fixture
def connect(app, client, scripted_transcriber, sessions):
    clients = []

    def _connect(token: str | None, **kwargs: Any):
        auth = {"token": token} if token is not None else kwargs.pop("auth", None)
        test_client = socketio.test_client(
            app, namespace="/audio", auth=auth, flask_test_client=client, **kwargs
        )
        clients.append(test_client)
        return test_client

    yield _connect
    for test_client in clients:
        if test_client.is_connected("/audio"):
            test_client.disconnect("/audio")
