"""Bad input always gets a 4xx JSON envelope with a stable code, never a 500."""

from __future__ import annotations

import pytest

from tests.helpers import auth_header


def _assert_envelope(response, status, code):
    assert response.status_code == status, response.json
    assert response.is_json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["request_id"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_malformed_json_is_malformed_json(client, admin):
    response = client.post("/api/v1/auth/login", data="{not json", content_type="application/json")
    _assert_envelope(response, 400, "malformed_json")


@pytest.mark.parametrize(
    "body",
    [
        {"email": 5, "password": "x"},
        {"email": "a@b.c", "password": ["x"]},
        {"email": "a@b.c"},
        [],
        "just a string",
    ],
)
def test_wrong_types_and_missing_fields_are_validation_errors(client, body):
    _assert_envelope(client.post("/api/v1/auth/login", json=body), 422, "validation_error")


def test_unknown_fields_are_rejected_by_name(client, admin):
    response = client.post(
        "/api/v1/auth/login", json={"email": "a@b.c", "password": "x", "is_admin": True}
    )
    _assert_envelope(response, 422, "validation_error")
    assert response.json["error"]["fields"] == {"is_admin": ["Unknown field."]}


def test_oversize_body_is_payload_too_large(client, admin):
    huge = '{"email": "' + "a" * 2_000_000 + '", "password": "x"}'
    response = client.post("/api/v1/auth/login", data=huge, content_type="application/json")
    _assert_envelope(response, 413, "payload_too_large")


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "per_page=0",
        "per_page=1000",
        "state=bogus",
        "from=yesterday",
        "from=2026-02-01T00:00:00&to=2026-01-01T00:00:00",
    ],
)
def test_bad_list_parameters_are_validation_errors(client, admin, query):
    response = client.get(f"/api/v1/calls?{query}", headers=auth_header(admin["token"]))
    _assert_envelope(response, 422, "validation_error")


def test_non_json_content_type_is_unsupported_media_type(client, admin):
    response = client.post("/api/v1/auth/login", data="email=a", content_type="text/plain")
    _assert_envelope(response, 415, "unsupported_media_type")


def test_unknown_route_and_wrong_method_use_the_envelope(client):
    _assert_envelope(client.get("/api/v1/nope"), 404, "not_found")
    _assert_envelope(client.put("/api/v1/auth/login"), 405, "method_not_allowed")


def test_an_unexpected_error_is_a_generic_500_without_detail(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail sk-ant-123")

    response = client.get("/boom")
    _assert_envelope(response, 500, "internal_error")
    assert "secret detail" not in response.get_data(as_text=True)
