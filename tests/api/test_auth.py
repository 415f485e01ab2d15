from __future__ import annotations

import time
from datetime import timedelta

import jwt as pyjwt
from flask_jwt_extended import create_access_token

from app.extensions import db
from app.models import User
from tests.factories import PASSWORD
from tests.helpers import TEST_SECRET, auth_header


def test_setup_reports_needed_until_the_first_admin_exists(client, tokens):
    assert client.get("/api/v1/auth/setup").json == {"needed": True}
    tokens.setup_admin()
    assert client.get("/api/v1/auth/setup").json == {"needed": False}


def test_setup_creates_team_admin_and_seeds_the_default_toolkit(client, admin):
    assert admin["user"]["role"] == "admin"
    assert admin["user"]["team"]["name"] == "Acme"
    toolkit = client.get("/api/v1/toolkit", headers=auth_header(admin["token"])).json
    assert any(item["kind"] == "objection" for item in toolkit["items"])


def test_setup_is_refused_once_any_user_exists(client, admin):
    response = client.post(
        "/api/v1/auth/setup",
        json={"team_name": "Evil", "email": "evil@x.test", "password": PASSWORD, "name": "E"},
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "setup_done"


def test_login_returns_user_and_token_pair(client, admin):
    response = client.post(
        "/api/v1/auth/login", json={"email": "ADMIN@acme.test", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json["user"]["email"] == "admin@acme.test"
    assert response.json["access_token"] and response.json["refresh_token"]


def test_wrong_password_and_unknown_email_get_the_same_answer(client, admin):
    wrong = client.post("/api/v1/auth/login", json={"email": "admin@acme.test", "password": "x"})
    unknown = client.post("/api/v1/auth/login", json={"email": "no@acme.test", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["error"]["code"] == unknown.json["error"]["code"] == "invalid_credentials"


def test_refresh_token_gives_a_new_access_token_but_is_not_an_access_token(client, admin):
    refreshed = client.post("/api/v1/auth/refresh", headers=auth_header(admin["refresh"]))
    assert refreshed.status_code == 200
    me = client.get("/api/v1/auth/me", headers=auth_header(refreshed.json["access_token"]))
    assert me.json["email"] == "admin@acme.test"
    misuse = client.get("/api/v1/auth/me", headers=auth_header(admin["refresh"]))
    assert misuse.status_code == 401 and misuse.json["error"]["code"] == "invalid_token"


def test_logout_revokes_the_refresh_token(client, admin):
    assert (
        client.post("/api/v1/auth/logout", headers=auth_header(admin["refresh"])).status_code == 204
    )
    again = client.post("/api/v1/auth/refresh", headers=auth_header(admin["refresh"]))
    assert again.status_code == 401 and again.json["error"]["code"] == "token_revoked"


def test_me_requires_a_token(client):
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert response.json["error"]["request_id"]


def test_expired_token_is_refused_with_token_expired(app, client, admin):
    user = db.session.get(User, admin["user"]["id"])
    token = create_access_token(identity=user.id, expires_delta=timedelta(seconds=-5))
    response = client.get("/api/v1/auth/me", headers=auth_header(token))
    assert response.status_code == 401 and response.json["error"]["code"] == "token_expired"


def test_forged_and_unsigned_tokens_are_refused(client, admin):
    claims = {"sub": admin["user"]["id"], "type": "access", "jti": "x", "exp": time.time() + 60}
    forged = pyjwt.encode(claims, "another-secret-that-is-long-enough-000000", algorithm="HS256")
    unsigned = pyjwt.encode(claims, None, algorithm="none")
    for token in (forged, unsigned, "garbage"):
        response = client.get("/api/v1/auth/me", headers=auth_header(token))
        assert response.status_code == 401, token
        assert response.json["error"]["code"] == "invalid_token"


def test_token_signed_with_the_right_key_but_other_algorithm_is_refused(client, admin):
    claims = {"sub": admin["user"]["id"], "type": "access", "jti": "y", "exp": time.time() + 60}
    token = pyjwt.encode(claims, TEST_SECRET, algorithm="HS512")
    assert client.get("/api/v1/auth/me", headers=auth_header(token)).status_code == 401


def test_deactivated_user_tokens_stop_working(client, admin, tokens):
    rep = tokens.user(role="rep")
    rep_user = db.session.get(User, rep["id"])
    rep_user.team_id = admin["team_id"]
    db.session.commit()
    assert client.get("/api/v1/auth/me", headers=auth_header(rep["token"])).status_code == 200
    client.patch(
        f"/api/v1/users/{rep['id']}", json={"active": False}, headers=auth_header(admin["token"])
    )
    response = client.get("/api/v1/auth/me", headers=auth_header(rep["token"]))
    assert response.status_code == 401 and response.json["error"]["code"] == "account_inactive"


def test_api_key_is_shown_once_works_as_bearer_and_stops_after_revoke(client, admin):
    created = client.post(
        "/api/v1/api-keys", json={"name": "CRM sync"}, headers=auth_header(admin["token"])
    )
    assert created.status_code == 201
    key = created.json["key"]
    assert key.startswith("sck_") and created.json["prefix"] == key[:10]
    listed = client.get("/api/v1/api-keys", headers=auth_header(admin["token"])).json["items"]
    assert "key" not in listed[0]
    assert client.get("/api/v1/auth/me", headers=auth_header(key)).status_code == 200
    client.delete(f"/api/v1/api-keys/{created.json['id']}", headers=auth_header(admin["token"]))
    revoked = client.get("/api/v1/auth/me", headers=auth_header(key))
    assert revoked.status_code == 401 and revoked.json["error"]["code"] == "invalid_api_key"
