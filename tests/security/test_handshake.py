"""A1, A2, A3, A6: who may open the `/audio` socket, and what crosses teams."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jwt as pyjwt
import pytest
from flask_jwt_extended import create_access_token

from app.container import get_services
from app.extensions import socketio
from tests.helpers import TEST_SECRET, ack, start_call, stream
from tests.security.logcapture import captured_logs

POLLING_HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def _forged(admin, **changes):
    now = datetime.now(UTC)
    claims = {
        "sub": admin["user"]["id"],
        "type": "access",
        "jti": "forged",
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
        "team_id": admin["team_id"],
        "role": "admin",
    }
    key, algorithm = changes.pop("key", TEST_SECRET), changes.pop("algorithm", "HS256")
    return pyjwt.encode({**claims, **changes}, key, algorithm=algorithm)


@pytest.mark.parametrize(
    ("case", "expected_code"),
    [
        ("missing", None),
        ("bad_signature", "invalid_token"),
        ("alg_none", "invalid_token"),
        ("expired", "token_expired"),
        ("refresh_token", "invalid_token"),
    ],
)
def test_bad_credentials_are_refused_at_connect_with_a_logged_code(
    connect, admin, sessions, case, expected_code
):
    token = {
        "missing": None,
        "bad_signature": _forged(admin, key="another-secret-that-is-long-enough-000000"),
        "alg_none": _forged(admin, key=None, algorithm="none"),
        "expired": create_access_token(admin["user"]["id"], expires_delta=timedelta(seconds=-5)),
        "refresh_token": admin["refresh"],
    }[case]
    with captured_logs() as logs:
        client = connect(token)
    assert not client.is_connected("/audio")
    assert get_services().connections.all() == []  # nothing registered or joined
    assert sessions.calls == {}
    if expected_code:
        refusals = [r for r in logs.records if r.getMessage() == "socket auth refused"]
        assert [r.code for r in refusals] == [expected_code]
    if token:
        assert token not in logs.text


def test_token_in_query_string_is_refused_and_never_logged(app, client, admin, sessions):
    with captured_logs() as logs:
        refused = socketio.test_client(
            app,
            namespace="/audio",
            auth={"token": admin["token"]},
            query_string=f"access_token={admin['token']}",
            flask_test_client=client,
        )
        client.get(f"/api/v1/calls?token={admin['token']}")  # REST ignores it too
    assert not refused.is_connected("/audio")
    assert "socket token in query string refused" in logs.text
    assert admin["token"] not in logs.text
    assert admin["token"].split(".")[1] not in logs.text  # not even the claims part


def test_handshake_from_a_foreign_origin_is_refused_by_engineio(client):
    foreign = client.get(POLLING_HANDSHAKE, headers={"Origin": "https://evil.example"})
    allowed = client.get(POLLING_HANDSHAKE, headers={"Origin": "http://localhost:5000"})
    assert foreign.status_code == 400
    assert allowed.status_code == 200 and b'"sid"' in allowed.data


def test_namespace_connect_from_a_foreign_origin_is_refused(connect, admin):
    evil = connect(admin["token"], headers={"Origin": "https://evil.example"})
    good = connect(admin["token"], headers={"Origin": "http://127.0.0.1:5000"})
    assert not evil.is_connected("/audio") and good.is_connected("/audio")


def test_nothing_of_a_call_reaches_another_team(connect, admin, tokens):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    outsider = connect(tokens.user(role="admin")["token"])
    refused = ack(outsider, "call:join", {"call_id": call_id})
    assert refused["error"]["code"] == "not_found"
    unknown = ack(outsider, "call:join", {"call_id": "0" * 32})
    assert unknown["error"] == refused["error"]  # same answer as an unknown id
    stream(rep, call_id, 8)
    time.sleep(0.1)
    assert outsider.get_received("/audio") == []
