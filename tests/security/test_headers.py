"""A7, A8: security headers on the single-page app and the API; production transport."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import load_settings
from tests.helpers import TEST_SECRET


def _assert_hardened(response):
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/", "/calls/123", "/api/v1/calls", "/api/v1/openapi.json"])
def test_spa_and_api_responses_carry_the_security_headers(client, admin, path):
    response = client.get(path, headers={"Authorization": f"Bearer {admin['token']}"})
    assert response.status_code == 200
    _assert_hardened(response)


def test_api_errors_carry_the_headers_and_are_not_cached(client):
    response = client.get("/api/v1/calls")
    assert response.status_code == 401
    _assert_hardened(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_cors_preflight_answers_only_the_configured_origins(client):
    def preflight(origin):
        return client.options(
            "/api/v1/calls",
            headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
        )

    assert preflight("http://localhost:5000").headers["Access-Control-Allow-Origin"] == (
        "http://localhost:5000"
    )
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example").headers
    assert "Access-Control-Allow-Credentials" not in preflight("http://localhost:5000").headers


def test_production_sends_hsts_and_secure_cookies(database_url):
    settings = load_settings(
        {"APP_ENV": "production", "SECRET_KEY": TEST_SECRET, "DATABASE_URL": database_url},
        async_mode="threading",
        rate_limit_enabled=False,
    )
    production = create_app(settings)
    response = production.test_client().get("/health/live")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True


def test_production_refuses_a_wildcard_cors_origin(database_url):
    from app.config import ConfigError

    with pytest.raises(ConfigError, match="CORS_ORIGINS"):
        load_settings(
            {
                "APP_ENV": "production",
                "SECRET_KEY": TEST_SECRET,
                "DATABASE_URL": database_url,
                "CORS_ORIGINS": "*",
            }
        )
