"""Real database errors on rows holding personal data reach neither Sentry nor the logs.

Sentry runs for real: ``SENTRY_DSN`` points at a loopback collector that receives the
SDK's HTTP envelopes (no mock of sentry_sdk). The database refuses the rows for real: a
trigger (SQLite) or a check constraint (PostgreSQL) added for the test, so the driver's
error text would quote the row. The server's own JSON log handler writes to a buffer.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator

import pytest
import sentry_sdk
from sqlalchemy import text

from app.container import get_services
from app.extensions import db
from app.logging import json_handler
from tests.factories import make_call
from tests.fakes.sentry_collector import SentryCollector
from tests.helpers import auth_header

EMAIL = "jordan.rivera@prospect-corp.test"
SPOKEN = "our budget is forty two thousand for the pilot"
NOTES = f"Send the pricing sheet to {EMAIL}; they said {SPOKEN}"


@pytest.fixture
def collector() -> Iterator[SentryCollector]:
    with SentryCollector() as running:
        yield running
        sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)  # inactive again for the rest of the suite


@pytest.fixture
def app_env(collector: SentryCollector) -> dict[str, str]:
    return {"SENTRY_DSN": collector.dsn}


@pytest.fixture
def server_log() -> Iterator[io.StringIO]:
    """The server's JSON log output (the handler configure_logging installs)."""
    buffer = io.StringIO()
    handler = json_handler(buffer)
    root = logging.getLogger()
    root.addHandler(handler)
    for name in ("app.errors", "app.services.live.writer"):  # alembic's fileConfig in CLI tests
        logging.getLogger(name).disabled = False
    yield buffer
    root.removeHandler(handler)


def _refuse(table: str, column: str) -> Iterator[None]:
    """Make the database itself refuse long values of ``table.column`` (a real error)."""
    name = f"refuse_{table}_{uuid.uuid4().hex[:6]}"
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK (length({column}) < 20)")
        )
        drop = f"ALTER TABLE {table} DROP CONSTRAINT {name}"
    else:
        for event in ("INSERT", "UPDATE"):
            db.session.execute(
                text(
                    f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} "
                    f"WHEN length(NEW.{column}) >= 20 BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        drop = f"DROP TRIGGER {name}_insert; DROP TRIGGER {name}_update"
    db.session.commit()
    yield
    db.session.rollback()
    for statement in drop.split("; "):
        db.session.execute(text(statement))
    db.session.commit()


@pytest.fixture
def notes_refused(app) -> Iterator[None]:
    yield from _refuse("calls", "notes")


@pytest.fixture
def utterances_refused(app) -> Iterator[None]:
    yield from _refuse("utterances", "text")


def _assert_clean(*outputs: str) -> None:
    for output in outputs:
        for secret in (EMAIL, SPOKEN, "forty two thousand", "prospect-corp"):
            assert secret not in output


def test_a_patch_whose_notes_the_database_refuses_leaks_them_nowhere(
    app, client, tokens, collector, server_log, notes_refused
):
    rep = tokens.user(email=f"rep-{uuid.uuid4().hex[:6]}@acme.test")
    call = make_call(rep["user"])
    response = client.patch(
        f"/api/v1/calls/{call.id}", json={"notes": NOTES}, headers=auth_header(rep["token"])
    )
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal_error"
    sentry_sdk.flush(5)
    events = collector.events()
    assert events, "the error reached Sentry"
    exception = events[-1]["exception"]["values"][-1]
    assert exception["type"] == "IntegrityError"  # the type and code location are kept
    assert exception["stacktrace"]["frames"]
    assert (
        '"unhandled error"' in server_log.getvalue() and "IntegrityError" in server_log.getvalue()
    )
    _assert_clean(collector.payload(), server_log.getvalue(), response.get_data(as_text=True))
    assert rep["user"].email not in collector.payload() + server_log.getvalue()


def test_an_utterance_the_database_refuses_is_logged_without_its_text(
    app, tokens, collector, server_log, utterances_refused
):
    rep = tokens.user()
    call = make_call(rep["user"], state="live")
    before = len(collector.events())
    writer = get_services().sessions.writer
    writer.start()
    writer.add_utterance(
        {
            "id": uuid.uuid4().hex,
            "call_id": call.id,
            "source": "prospect",
            "text": f"{SPOKEN}, email me at {EMAIL}",
            "start_ms": 0,
            "end_ms": 2000,
            "confidence": 0.9,
            "words": None,
        }
    )
    assert writer.flush(5)
    sentry_sdk.flush(5)
    assert "final refused by the database; dropped" in server_log.getvalue()
    assert len(collector.events()) > before, "the refusal reached Sentry as an error event"
    _assert_clean(collector.payload(), server_log.getvalue())
