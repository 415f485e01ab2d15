"""Origins: the server accepts its own page on any host name and port, plus CORS_ORIGINS."""

from __future__ import annotations

import pytest

from app.config import load_settings
from app.origins import OriginPolicy, configured_origins
from tests.helpers import make_app

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def _settings(**env: str):
    return load_settings({"APP_ENV": "testing", "SECRET_KEY": "x" * 40, **env})


@pytest.mark.parametrize("host", ["127.0.0.1:8123", "localhost:8123", "sales-box.lan:9000"])
def test_a_page_served_from_this_very_address_is_allowed_whatever_its_port(host):
    policy = OriginPolicy(_settings(PORT="5000"))
    assert policy.allows(f"http://{host}", {"HTTP_HOST": host})


def test_another_site_is_refused_even_on_the_same_port():
    policy = OriginPolicy(_settings(PORT="8123"))
    assert not policy.allows("http://evil.example:8123", {"HTTP_HOST": "127.0.0.1:8123"})
    assert not policy.allows("http://127.0.0.1:9999", {"HTTP_HOST": "127.0.0.1:8123"})


def test_the_configured_port_and_cors_origins_are_allowed_and_vite_only_in_development():
    testing = configured_origins(_settings(PORT="8123", CORS_ORIGINS="https://app.example"))
    assert {"http://127.0.0.1:8123", "http://localhost:8123", "https://app.example"} <= set(testing)
    assert "http://localhost:5173" not in testing
    development = configured_origins(_settings(APP_ENV="development", PORT="8123"))
    assert "http://localhost:5173" in development


def test_the_forwarded_host_counts_only_behind_a_trusted_proxy():
    environ = {"HTTP_HOST": "app:5000", "HTTP_X_FORWARDED_HOST": "coach.example"}
    assert OriginPolicy(_settings(PROXY_FIX_HOPS="1")).allows("https://coach.example", environ)
    assert not OriginPolicy(_settings()).allows("https://coach.example", environ)


def test_the_socket_handshake_from_the_pages_own_origin_on_another_port_is_accepted(database_url):
    app = make_app(database_url, PORT="8123", CORS_ORIGINS="")
    client = app.test_client()
    own = client.get(
        HANDSHAKE, headers={"Origin": "http://localhost:8123", "Host": "localhost:8123"}
    )
    foreign = client.get(
        HANDSHAKE, headers={"Origin": "http://evil.example", "Host": "localhost:8123"}
    )
    assert own.status_code == 200 and own.data.startswith(b"0{")
    assert foreign.status_code == 400


def test_the_origin_check_tells_the_page_whether_it_may_open_the_socket(database_url):
    client = make_app(database_url, PORT="8123").test_client()
    own = client.post("/health/origin", headers={"Origin": "http://127.0.0.1:8123"})
    foreign = client.post("/health/origin", headers={"Origin": "http://evil.example"})
    assert own.get_json() == {"origin": "http://127.0.0.1:8123", "allowed": True}
    assert foreign.get_json() == {"origin": "http://evil.example", "allowed": False}
