from __future__ import annotations

from unittest import mock

from app.container import get_services


def test_live_does_no_io_and_ready_checks_the_database(client):
    assert client.get("/health/live").json == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json["checks"]["database"]["ok"] is True


def test_ready_is_503_with_detail_when_a_check_fails(app, client):
    services = get_services()
    services.health.add("redis", mock.Mock(side_effect=ConnectionError("down")))
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json["checks"]["redis"] == {
        "ok": False,
        "error": "ConnectionError",
        "ms": response.json["checks"]["redis"]["ms"],
    }
    assert response.json["checks"]["database"]["ok"] is True


def test_ready_results_are_cached_for_a_few_seconds(app, client):
    check = mock.Mock()
    services = get_services()
    services.health.add("probe", check)
    client.get("/health/ready")
    client.get("/health/ready")
    assert check.call_count == 1


def test_security_headers_are_set_on_every_response(client):
    response = client.get("/health/live")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in response.headers


def test_request_id_is_echoed_when_valid_and_generated_otherwise(client):
    assert (
        client.get("/health/live", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"]
        == "abc-123"
    )
    generated = client.get("/health/live", headers={"X-Request-ID": "bad id!"}).headers[
        "X-Request-ID"
    ]
    assert generated != "bad id!" and len(generated) == 32


def test_cors_allows_only_configured_origins(client):
    allowed = client.get("/api/v1/auth/setup", headers={"Origin": "http://localhost:5000"})
    denied = client.get("/api/v1/auth/setup", headers={"Origin": "https://evil.example"})
    assert allowed.headers.get("Access-Control-Allow-Origin") == "http://localhost:5000"
    assert "Access-Control-Allow-Origin" not in denied.headers


def test_openapi_document_lists_the_api(client):
    spec = client.get("/api/v1/openapi.json").json
    assert {"/api/v1/auth/login", "/api/v1/calls", "/api/v1/toolkit"} <= set(spec["paths"])


def test_a_draining_worker_is_not_ready_at_once(app, client):
    assert client.get("/health/ready").status_code == 200  # the result is now cached
    get_services().sessions.draining = True
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json["checks"]["accepting_calls"] == {"ok": False, "error": "draining"}
