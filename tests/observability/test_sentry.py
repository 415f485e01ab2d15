"""Sentry: off without a DSN; with one, events leave without bodies, tokens or transcripts."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from app.config import load_settings
from app.observability.sentry import (
    FILTERED,
    WITHHELD,
    init_sentry,
    scrub_breadcrumb,
    scrub_event,
)

TRANSCRIPT = "our budget is forty thousand"


def _event() -> dict[str, Any]:
    return {
        "request": {
            "method": "POST",
            "url": "https://coach.example.com/api/v1/calls?token=abc",
            "query_string": "token=abc",
            "data": {"text": TRANSCRIPT},
            "cookies": {"session": "s"},
            "headers": {
                "Authorization": "Bearer eyJhbGci",
                "X-Api-Key": "sk-live",
                "Cookie": "a=b",
                "User-Agent": "pytest",
            },
            "env": {"REMOTE_ADDR": "10.0.0.1"},
        },
        "user": {"id": "u1", "email": "rep@acme.test", "ip_address": "10.0.0.1"},
        "extra": {
            "call_id": "c1",
            "text": TRANSCRIPT,
            "payload": {"data": "AAAA"},
            "nested": {"access_token": "t", "count": 3},
        },
        "contexts": {"runtime": {"name": "CPython"}, "call": {"transcript": TRANSCRIPT}},
        "exception": {"values": [{"stacktrace": {"frames": [{"vars": {"token": "t"}}]}}]},
        "breadcrumbs": {"values": [{"message": "socket", "data": {"body": TRANSCRIPT}}]},
    }


def test_the_scrubber_removes_bodies_credentials_and_transcript_text():
    event = scrub_event(_event(), None)
    assert event["request"] == {
        "method": "POST",
        "url": "https://coach.example.com/api/v1/calls",
        "headers": {"User-Agent": "pytest"},
    }
    assert event["user"] == {"id": "u1"}
    assert event["extra"]["call_id"] == "c1"
    assert event["extra"]["text"] == FILTERED and event["extra"]["payload"] == FILTERED
    assert event["extra"]["nested"] == {"access_token": FILTERED, "count": 3}
    assert event["contexts"]["runtime"] == {"name": "CPython"}
    assert event["contexts"]["call"] == {"transcript": FILTERED}
    assert "vars" not in event["exception"]["values"][0]["stacktrace"]["frames"][0]
    for secret in (TRANSCRIPT, "eyJhbGci", "sk-live", "rep@acme.test", "10.0.0.1", "AAAA"):
        assert secret not in str(event)


def test_breadcrumb_data_is_scrubbed_and_only_our_own_messages_kept():
    crumb = scrub_breadcrumb(
        {"category": "app.writer", "message": "db retry", "data": {"text": TRANSCRIPT, "rows": 2}}
    )
    assert crumb["message"] == "db retry" and crumb["data"] == {"text": FILTERED, "rows": 2}
    foreign = scrub_breadcrumb({"category": "sqlalchemy", "message": f"failed: {TRANSCRIPT}"})
    assert foreign["message"] == WITHHELD


def test_exception_messages_and_log_arguments_are_withheld_but_types_and_frames_kept():
    event = scrub_event(
        {
            "exception": {
                "values": [
                    {
                        "type": "IntegrityError",
                        "module": "sqlalchemy.exc",
                        "value": f"Failing row contains ({TRANSCRIPT}, rep@acme.test)",
                        "stacktrace": {"frames": [{"filename": "app/services/calls.py"}]},
                    }
                ]
            },
            "logentry": {"message": "note %s", "params": [TRANSCRIPT], "formatted": TRANSCRIPT},
            "extra": {"call_id": "c1", "error_type": "IntegrityError"},
        }
    )
    exception = event["exception"]["values"][0]
    assert exception["type"] == "IntegrityError" and exception["module"] == "sqlalchemy.exc"
    assert exception["value"] == WITHHELD
    assert exception["stacktrace"]["frames"] == [{"filename": "app/services/calls.py"}]
    assert event["logentry"] == {"message": "note %s", "params": []}
    assert event["extra"] == {"call_id": "c1", "error_type": "IntegrityError"}
    assert TRANSCRIPT not in str(event) and "rep@acme.test" not in str(event)


def test_without_a_dsn_sentry_is_not_started():
    assert init_sentry(load_settings({"SENTRY_DSN": ""})) is False
    assert not sentry_sdk.get_client().is_active()


class Capture(Transport):
    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Any) -> None:
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def captured() -> Iterator[Capture]:
    """Unhandled errors reach Sentry through the error handler's log record (logging
    integration); Alembic's fileConfig in earlier CLI tests disables existing loggers."""
    logging.getLogger("app.errors").disabled = False
    transport = Capture()
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # an inactive client again for the rest of the suite


def test_an_unhandled_error_reaches_sentry_without_token_or_body(app, client, captured):
    settings = load_settings({"SENTRY_DSN": "https://public@sentry.example.com/1"})
    assert init_sentry(settings, transport=captured) is True

    @app.route("/boom", methods=["POST"])
    def boom() -> str:
        raise RuntimeError("failed while handling the call")

    response = client.post(
        "/boom", json={"text": TRANSCRIPT}, headers={"Authorization": "Bearer eyJhbGci"}
    )
    assert response.status_code == 500
    sentry_sdk.flush(2)
    assert len(captured.events) == 1
    event = captured.events[0]
    assert event["exception"]["values"][0]["type"] == "RuntimeError"
    for exception in event["exception"]["values"]:
        for frame in exception["stacktrace"]["frames"]:  # source lines of this test file
            for key in ("pre_context", "context_line", "post_context"):
                frame.pop(key, None)
    assert TRANSCRIPT not in str(event) and "eyJhbGci" not in str(event)
