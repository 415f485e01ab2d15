"""A user holds at most MAX_SOCKETS_PER_USER sockets open, counted across workers when
Redis is configured; a refused connect carries the code `too_many_sockets`."""

from __future__ import annotations

import uuid

import pytest
import redis

from app.config import ConfigError, load_settings
from app.container import get_services
from app.services.live.socket_slots import SocketSlots
from tests.security.logcapture import captured_logs

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def app_env() -> dict[str, str]:
    return {"MAX_SOCKETS_PER_USER": "3", "SOCKET_REVOCATION_CHECK_SECONDS": "0.2"}


@pytest.fixture
def redis_prefix():
    client = redis.Redis.from_url(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:"
    yield client, prefix
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_connects_over_the_cap_are_refused_with_a_code_and_others_are_unaffected(
    connect, admin, tokens
):
    held = [connect(admin["token"]) for _ in range(3)]
    assert all(c.is_connected("/audio") for c in held)
    with captured_logs() as logs:
        refused = connect(admin["token"])
    assert not refused.is_connected("/audio")
    refusals = [r for r in logs.records if r.getMessage() == "socket refused"]
    assert [r.code for r in refusals] == ["too_many_sockets"]
    assert not [r for r in logs.records if r.levelname in ("ERROR", "CRITICAL")]
    assert connect(tokens.user()["token"]).is_connected("/audio")  # per user
    held[0].disconnect("/audio")
    assert connect(admin["token"]).is_connected("/audio")  # a closed socket frees its slot


def test_the_socket_cap_is_shared_by_workers_through_redis(redis_prefix):
    client, prefix = redis_prefix
    worker_a = SocketSlots(client, prefix, per_user=2)
    worker_b = SocketSlots(client, prefix, per_user=2)
    assert worker_a.claim("u1", "s1") and worker_b.claim("u1", "s2")
    assert not worker_b.claim("u1", "s3") and not worker_a.claim("u1", "s4")
    assert worker_a.claim("u2", "s5")
    worker_a.release("s1")
    assert worker_b.claim("u1", "s3")


def test_sockets_of_a_worker_that_died_stop_counting_after_their_claim_lapses(redis_prefix):
    client, prefix = redis_prefix
    dead = SocketSlots(client, prefix, per_user=1, ttl_s=0.3)
    alive = SocketSlots(client, prefix, per_user=1, ttl_s=0.3)
    assert dead.claim("u1", "s1")
    assert not alive.claim("u1", "s2")
    client.zadd(f"{prefix}sockets:u1", {"s1": 0})  # as if 0.3 s passed without renewal
    assert alive.claim("u1", "s2")
    alive.renew()
    assert client.zscore(f"{prefix}sockets:u1", "s2") > 1


def test_redis_outage_leaves_the_socket_cap_open_with_a_warning():
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    slots = SocketSlots(dead, "x:", per_user=1)
    with captured_logs() as logs:
        assert slots.claim("u1", "a") and slots.claim("u1", "b")
    assert "shared socket cap unavailable" in logs.text
    assert not [r for r in logs.records if r.levelname in ("ERROR", "CRITICAL")]


def test_the_cap_is_a_validated_setting(app):
    assert get_services().socket_slots.per_user == 3
    with pytest.raises(ConfigError, match="MAX_SOCKETS_PER_USER"):
        load_settings({"MAX_SOCKETS_PER_USER": "0"})
