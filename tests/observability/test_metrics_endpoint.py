"""/metrics is Prometheus text, and needs the bearer token when METRICS_TOKEN is set."""

from __future__ import annotations

import pytest

TOKEN = "metrics-token-0123456789"


@pytest.fixture
def app_env() -> dict[str, str]:
    return {"METRICS_TOKEN": TOKEN}


def test_metrics_without_the_token_are_refused(client):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_metrics_with_the_token_are_prometheus_text(client):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    body = response.get_data(as_text=True)
    assert "# TYPE salescoach_http_requests_total counter" in body
    assert "salescoach_live_calls 0.0" in body
