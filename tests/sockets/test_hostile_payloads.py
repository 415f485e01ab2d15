"""The probe's socket inputs: lone surrogates, NUL and bidi overrides in text, payloads
nested 1,000 deep or holding a 5,000-digit integer. Each gets an ack with
`validation_error`, the socket stays open, and nothing is logged at error level."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Call, Whisper
from tests.helpers import ack, start_call
from tests.security.logcapture import captured_logs

SURROGATE = "\ud800"
HIDDEN = "\u0000\u202eadmin"


def raw_ack(client, event: str, payload_json: str) -> dict:
    """Send an event whose payload is JSON text as written (the test client would encode a
    Python object with the standard encoder, which cannot even build these payloads)."""
    client.callback_counter += 1
    packet = f'2/audio,{client.callback_counter}["{event}",{payload_json}]'
    client.socketio.server._handle_eio_message(client.eio_sid, packet)
    response, client.acks = client.acks, None
    return response["args"][0]


def _assert_refused(response: dict, field: str | None = None) -> None:
    assert response["ok"] is False, response
    assert response["error"]["code"] == "validation_error"
    if field:
        assert field in response["error"]["fields"]


@pytest.mark.parametrize("text", [SURROGATE, HIDDEN, "x\u2066y"])
def test_bad_text_in_a_call_title_is_refused_and_no_call_starts(connect, admin, text):
    client = connect(admin["token"])
    with captured_logs() as logs:
        _assert_refused(ack(client, "call:start", {"title": text}), "title")
    assert db.session.query(Call).count() == 0
    assert client.is_connected("/audio")
    assert not [r for r in logs.records if r.levelname in ("ERROR", "CRITICAL")]


@pytest.mark.parametrize("text", [SURROGATE, HIDDEN])
def test_bad_text_in_a_whisper_is_refused_and_nothing_is_stored(connect, admin, text):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    coach = connect(admin["token"])
    assert ack(coach, "call:join", {"call_id": call_id})["ok"]
    with captured_logs() as logs:
        _assert_refused(ack(coach, "coach:whisper", {"call_id": call_id, "text": text}), "text")
    assert db.session.query(Whisper).count() == 0
    assert not [r for r in logs.records if r.levelname in ("ERROR", "CRITICAL")]


def test_a_surrogate_in_a_call_id_or_token_is_a_validation_error(connect, admin):
    client = connect(admin["token"])
    _assert_refused(ack(client, "call:stop", {"call_id": SURROGATE}), "call_id")
    _assert_refused(ack(client, "auth:refresh", {"token": "sck_" + SURROGATE}), "token")


def test_a_surrogate_token_at_connect_is_refused(connect, admin):
    with captured_logs() as logs:
        client = connect("sck_" + SURROGATE)
    assert not client.is_connected("/audio")
    assert not [r for r in logs.records if r.levelname in ("ERROR", "CRITICAL")]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("[" * 1000 + "]" * 1000, "json_too_deep"),
        ('{"title": ' + "9" * 5000 + "}", "number_out_of_range"),
        ('{"title": 1e999}', "number_out_of_range"),
    ],
    ids=["deep", "huge-int", "infinite"],
)
def test_payloads_beyond_the_json_limits_get_a_validation_error_ack(
    connect, admin, payload, reason
):
    client = connect(admin["token"])
    with captured_logs() as logs:
        response = raw_ack(client, "call:start", payload)
    _assert_refused(response, "payload")
    assert response["error"]["fields"]["payload"] == [reason]
    assert client.is_connected("/audio")
    assert not [r for r in logs.records if r.levelname in ("ERROR", "CRITICAL")]
    assert ack(client, "call:start", {"title": "Still fine"})["ok"]


def test_escaped_surrogates_through_the_wire_are_refused_like_the_others(connect, admin):
    client = connect(admin["token"])
    _assert_refused(raw_ack(client, "call:start", '{"title": "\\ud800"}'), "title")
