"""Sign-in sessions end when they should: logout, refresh rotation with reuse detection,
password changes and resets (docs/api.md, Authentication)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token

from app.extensions import db
from app.models import AuthSession, Team
from app.models.base import utcnow
from app.services.sessions import prune_expired
from tests.factories import PASSWORD
from tests.helpers import auth_header


def _refresh(client, token):
    return client.post("/api/v1/auth/refresh", headers=auth_header(token))


def _me(client, token):
    return client.get("/api/v1/auth/me", headers=auth_header(token))


def _code(response):
    return response.json["error"]["code"]


@pytest.fixture
def no_grace(app):
    app.config["REFRESH_REUSE_GRACE_SECONDS"] = 0


def test_logout_with_the_access_token_also_ends_the_refresh_token(client, admin):
    """What the web app sends: the access token only; the server ends the whole sign-in."""
    assert (
        client.post("/api/v1/auth/logout", headers=auth_header(admin["token"])).status_code == 204
    )
    refused = _refresh(client, admin["refresh"])
    assert refused.status_code == 401 and _code(refused) == "token_revoked"
    assert _code(_me(client, admin["token"])) == "token_revoked"


def test_logout_ends_only_that_sign_in(client, admin):
    other = client.post(
        "/api/v1/auth/login", json={"email": "admin@acme.test", "password": PASSWORD}
    ).json
    client.post("/api/v1/auth/logout", headers=auth_header(admin["token"]))
    assert _me(client, other["access_token"]).status_code == 200
    assert _refresh(client, other["refresh_token"]).status_code == 200


def test_refresh_rotates_the_refresh_token_and_the_new_one_works(client, admin, no_grace):
    first = _refresh(client, admin["refresh"])
    assert first.status_code == 200
    assert first.json["refresh_token"] != admin["refresh"]
    assert _me(client, first.json["access_token"]).status_code == 200
    second = _refresh(client, first.json["refresh_token"])
    assert second.status_code == 200 and second.json["refresh_token"] != first.json["refresh_token"]


def test_a_reused_refresh_token_is_refused_and_ends_its_whole_session(
    client, admin, no_grace, caplog
):
    rotated = _refresh(client, admin["refresh"]).json
    with caplog.at_level(logging.INFO):
        reused = _refresh(client, admin["refresh"])
    assert reused.status_code == 401 and _code(reused) == "refresh_token_reused"
    # The thief and the owner are indistinguishable: every token of the family is dead.
    assert _code(_refresh(client, rotated["refresh_token"])) == "token_revoked"
    assert _code(_me(client, rotated["access_token"])) == "token_revoked"
    assert _code(_me(client, admin["token"])) == "token_revoked"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert admin["refresh"] not in caplog.text


def test_the_replaced_token_is_accepted_within_the_grace_and_gets_the_current_one(
    app, client, admin
):
    """Two tabs refreshing with the same stored token at once must not end the session."""
    app.config["REFRESH_REUSE_GRACE_SECONDS"] = 30
    tab_a = _refresh(client, admin["refresh"]).json
    tab_b = _refresh(client, admin["refresh"])
    assert tab_b.status_code == 200
    assert _refresh(client, tab_a["refresh_token"]).status_code == 200
    assert db.session.scalar(db.select(AuthSession.revoked_at)) is None


def test_a_token_older_than_the_previous_one_is_reuse_even_within_the_grace(app, client, admin):
    app.config["REFRESH_REUSE_GRACE_SECONDS"] = 30
    second = _refresh(client, admin["refresh"]).json
    _refresh(client, second["refresh_token"])
    assert _code(_refresh(client, admin["refresh"])) == "refresh_token_reused"


def test_an_admin_password_reset_ends_every_session_of_that_user(client, admin, tokens):
    rep = tokens.user(role="rep", team=db.session.get(Team, admin["team_id"]))
    response = client.patch(
        f"/api/v1/users/{rep['id']}",
        json={"password": "a-brand-new-password"},
        headers=auth_header(admin["token"]),
    )
    assert response.status_code == 200
    assert _code(_me(client, rep["token"])) == "token_revoked"
    assert _code(_refresh(client, rep["refresh"])) == "token_revoked"
    login = client.post(
        "/api/v1/auth/login", json={"email": rep["user"].email, "password": "a-brand-new-password"}
    )
    assert login.status_code == 200
    assert _me(client, admin["token"]).status_code == 200


def test_changing_your_own_password_ends_your_other_sessions_but_keeps_this_one(client, admin):
    other = client.post(
        "/api/v1/auth/login", json={"email": "admin@acme.test", "password": PASSWORD}
    ).json
    response = client.patch(
        f"/api/v1/users/{admin['user']['id']}",
        json={"password": "another-password-1"},
        headers=auth_header(admin["token"]),
    )
    assert response.status_code == 200
    assert _me(client, admin["token"]).status_code == 200
    assert _code(_me(client, other["access_token"])) == "token_revoked"
    assert _code(_refresh(client, other["refresh_token"])) == "token_revoked"


def test_deactivation_ends_the_sessions_for_good(client, admin, tokens):
    rep = tokens.user(role="rep", team=db.session.get(Team, admin["team_id"]))
    headers = auth_header(admin["token"])
    client.patch(f"/api/v1/users/{rep['id']}", json={"active": False}, headers=headers)
    assert _code(_refresh(client, rep["refresh"])) == "account_inactive"
    client.patch(f"/api/v1/users/{rep['id']}", json={"active": True}, headers=headers)
    assert _code(_refresh(client, rep["refresh"])) == "token_revoked"
    assert _code(_me(client, rep["token"])) == "token_revoked"


def test_logout_with_an_api_key_is_refused_with_a_code_and_the_key_keeps_working(client, admin):
    key = client.post(
        "/api/v1/api-keys", json={"name": "CRM"}, headers=auth_header(admin["token"])
    ).json["key"]
    response = client.post("/api/v1/auth/logout", headers=auth_header(key))
    assert response.status_code == 400 and _code(response) == "api_key_logout"
    assert _me(client, key).status_code == 200


def test_tokens_without_a_session_are_invalid(client, admin):
    user_id = admin["user"]["id"]
    assert _code(_me(client, create_access_token(identity=user_id))) == "invalid_token"
    assert _code(_refresh(client, create_refresh_token(identity=user_id))) == "invalid_token"


def test_prune_deletes_only_sessions_whose_refresh_token_expired(app, admin):
    assert prune_expired() == 0
    assert prune_expired(now=utcnow() + timedelta(days=15)) == 1
    assert db.session.query(AuthSession).count() == 0


def test_concurrent_refreshes_with_one_token_rotate_once_and_end_nothing(app, admin):
    """Several requests (or tabs without the client's lock) refreshing at the same moment:
    the compare-and-swap lets one rotate; the others fall in the grace and get the
    current token. On PostgreSQL (make test-postgres) this races for real."""
    app.config["REFRESH_REUSE_GRACE_SECONDS"] = 30
    barrier = threading.Barrier(6)
    results: list[tuple[int, str | None]] = []

    def refresh() -> None:
        with app.app_context():
            barrier.wait()
            response = app.test_client().post(
                "/api/v1/auth/refresh", headers=auth_header(admin["refresh"])
            )
            results.append((response.status_code, (response.json or {}).get("refresh_token")))
            db.session.remove()

    threads = [threading.Thread(target=refresh) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [status for status, _ in results] == [200] * 6
    jtis = {decode_token(token)["jti"] for _, token in results}
    assert len(jtis) == 1  # everyone holds the one current token
    db.session.expire_all()
    session = db.session.scalar(db.select(AuthSession))
    assert session.revoked_at is None and session.current_jti in jtis
