from __future__ import annotations

from tests.factories import PASSWORD
from tests.helpers import auth_header


def _create(client, token, **overrides):
    body = {"email": "rep@acme.test", "password": PASSWORD, "name": "Rita Rep", "role": "rep"}
    return client.post("/api/v1/users", json={**body, **overrides}, headers=auth_header(token))


def test_admin_creates_a_rep_who_can_log_in(client, admin):
    created = _create(client, admin["token"])
    assert created.status_code == 201
    assert created.json["role"] == "rep" and created.json["team"]["id"] == admin["team_id"]
    login = client.post("/api/v1/auth/login", json={"email": "rep@acme.test", "password": PASSWORD})
    assert login.status_code == 200


def test_duplicate_email_is_a_conflict(client, admin):
    _create(client, admin["token"])
    again = _create(client, admin["token"], email="REP@acme.test")
    assert again.status_code == 409 and again.json["error"]["code"] == "email_taken"


def test_rep_cannot_create_users(client, admin):
    _create(client, admin["token"])
    rep_token = client.post(
        "/api/v1/auth/login", json={"email": "rep@acme.test", "password": PASSWORD}
    ).json["access_token"]
    response = _create(client, rep_token, email="x@acme.test")
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"


def test_admin_of_another_team_cannot_see_or_edit_our_users(client, admin, tokens):
    rep_id = _create(client, admin["token"]).json["id"]
    other_admin = tokens.user(role="admin")
    response = client.patch(
        f"/api/v1/users/{rep_id}",
        json={"name": "Hacked"},
        headers=auth_header(other_admin["token"]),
    )
    assert response.status_code == 404
    listed = client.get("/api/v1/users", headers=auth_header(other_admin["token"])).json
    assert [u["id"] for u in listed["items"]] == [other_admin["id"]]


def test_weak_password_and_bad_role_are_validation_errors(client, admin):
    response = _create(client, admin["token"], password="short", role="king")
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"password", "role"}
