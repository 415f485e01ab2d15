"""L2, short variant: a burst of connections against a real server process (eventlet).
Every valid handshake is accepted, every forged one is refused with a code, and the
server keeps serving. (Latency under load is measured by `make bench`, not asserted.)"""

from __future__ import annotations

import threading

import pytest
import requests
import socketio

from tests.servers import free_port, migrate, running_server, server_env, setup_admin

pytestmark = pytest.mark.e2e
STORM = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = server_env(
        f"sqlite:///{tmp_path_factory.mktemp('storm') / 'storm.db'}",
        free_port(),
        TRANSCRIBER="scripted",
        ASYNC_MODE="eventlet",
        MAX_SOCKETS_PER_USER=str(STORM),  # one user's burst; the cap has its own tests
    )
    migrate(env)
    with running_server(env) as base_url:
        yield base_url


def _connect(base_url: str, token: str, results: list[str]) -> None:
    client = socketio.Client(reconnection=False)
    try:
        client.connect(
            base_url,
            namespaces=["/audio"],
            auth={"token": token},
            transports=["websocket"],
            wait_timeout=20,
        )
        results.append("connected")
    except socketio.exceptions.ConnectionError as exc:
        results.append(f"refused:{exc}")
    finally:
        client.disconnect()


def _storm(base_url: str, tokens: list[str]) -> list[str]:
    results: list[str] = []
    threads = [threading.Thread(target=_connect, args=(base_url, t, results)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_a_burst_of_handshakes_is_served_and_forged_ones_are_refused(server):
    token = setup_admin(server, "Storm")
    good = _storm(server, [token] * STORM)
    assert good.count("connected") == STORM, good
    forged = _storm(server, ["forged.token.value"] * (STORM // 2))
    assert len(forged) == STORM // 2 and all(r.startswith("refused") for r in forged)
    assert requests.get(f"{server}/health/ready", timeout=10).status_code == 200
