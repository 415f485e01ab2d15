from __future__ import annotations

from datetime import timedelta

from flask_jwt_extended import create_access_token

from app.extensions import socketio


def test_valid_token_connects(connect, admin):
    assert connect(admin["token"]).is_connected("/audio")


def test_missing_bad_and_refresh_tokens_are_refused(connect, admin):
    for token in (None, "", "not-a-jwt", admin["refresh"]):
        client = connect(token)
        assert not client.is_connected("/audio"), token


def test_expired_token_is_refused_at_connect(connect, admin):
    expired = create_access_token(identity=admin["user"]["id"], expires_delta=timedelta(seconds=-1))
    assert not connect(expired).is_connected("/audio")


def test_token_in_query_string_is_refused_even_with_valid_auth(app, client, admin, sessions):
    test_client = socketio.test_client(
        app,
        namespace="/audio",
        auth={"token": admin["token"]},
        query_string=f"token={admin['token']}",
        flask_test_client=client,
    )
    assert not test_client.is_connected("/audio")


def test_api_key_connects(connect, client, admin):
    key = client.post(
        "/api/v1/api-keys",
        json={"name": "dialer"},
        headers={"Authorization": f"Bearer {admin['token']}"},
    ).json["key"]
    assert connect(key).is_connected("/audio")
