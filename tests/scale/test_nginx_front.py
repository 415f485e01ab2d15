"""The deployment's front for real: Debian's nginx running docker/nginx.conf (rendered for
local ports) in front of two workers sharing PostgreSQL and Redis.

A live call runs through it over a WebSocket upgrade and over TLS (self-signed
certificate, verified as its own CA); long-polling clients from different addresses
stay on one worker each and spread over both; a body over the limit gets the JSON error
envelope from nginx itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import socketio
from requests.adapters import HTTPAdapter

from tests.scale.harness import CHUNK, transcript, wait_for
from tests.scale.helpers import METRICS_TOKEN, Cluster
from tests.scale.nginx_front import Nginx

pytestmark = pytest.mark.e2e
WAIT_S = 10.0


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Nginx:
    return Nginx(tmp_path_factory.mktemp("front"))


@pytest.fixture(scope="module")
def cluster_env(nginx: Nginx) -> dict[str, str]:
    return {"CORS_ORIGINS": nginx.origins}  # the public origins, as in production


@pytest.fixture(scope="module")
def front(cluster: Cluster, nginx: Nginx) -> Iterator[Nginx]:
    nginx.start((cluster.a.port, cluster.b.port))
    yield nginx
    nginx.stop()


class SourceAddress(HTTPAdapter):
    """Requests from one loopback address (127.0.0.x), as if from another client host."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


class Rep:
    """A socket client on /audio through the front, recording what it receives."""

    def __init__(self, url: str, token: str, transports: list[str], session=None) -> None:
        self.sio = socketio.Client(reconnection=False, http_session=session)
        self.events: list[tuple[str, object]] = []
        self.sio.on("*", lambda event, data=None: self.events.append((event, data)), "/audio")
        self.sio.connect(
            url,
            namespaces=["/audio"],
            auth={"token": token},
            transports=transports,
            wait_timeout=10,
        )

    def call(self, event: str, data: dict) -> dict:
        return self.sio.call(event, data, namespace="/audio", timeout=10)  # type: ignore[no-any-return]

    def finals(self) -> list:
        return [d for e, d in self.events if e == "transcript" and d["is_final"]]  # type: ignore[index]

    def close(self) -> None:
        self.sio.disconnect()


def _live_call(rep: Rep) -> str:
    call_id = rep.call("call:start", {"title": "Through nginx"})["call_id"]
    for seq in range(16):
        ack = rep.call("audio", {"call_id": call_id, "source": "rep", "seq": seq, "data": CHUNK})
        assert ack["ok"], ack
    assert wait_for(lambda: len(rep.finals()) == 4, WAIT_S), rep.events
    assert rep.call("call:stop", {"call_id": call_id})["ok"]
    return call_id


def test_a_live_call_runs_through_nginx_over_a_websocket_upgrade(cluster, front):
    rep = Rep(front.url, cluster.tokens["rep"], ["websocket"])
    try:
        assert rep.sio.transport() == "websocket"
        call_id = _live_call(rep)
    finally:
        rep.close()
    assert len(transcript(front.url, cluster.tokens["rep"], call_id)) == 4
    access = (front.dir / "stdout.log").read_text()
    assert "transport=websocket" in access and '" 101 ' in access  # the upgrade went through


def test_tls_terminates_at_nginx_with_a_self_signed_certificate(cluster, front):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{front.https_url}/health/live", timeout=5)  # not a public CA
    assert requests.get(f"{front.https_url}/health/ready", verify=front.cert, timeout=5).ok
    session = requests.Session()
    session.verify = str(front.cert)
    rep = Rep(front.https_url, cluster.tokens["rep"], ["websocket"], session)
    try:
        call_id = _live_call(rep)  # wss:// through the same locations
    finally:
        rep.close()
    assert len(transcript(front.url, cluster.tokens["rep"], call_id)) == 4


def _connections(url: str) -> float:
    metrics = requests.get(
        f"{url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=5
    ).text
    line = next(x for x in metrics.splitlines() if x.startswith("salescoach_socket_connections"))
    return float(line.split()[-1])


def test_long_polling_stays_on_one_worker_per_client_and_clients_spread_over_both(cluster, front):
    reps = []
    try:
        for host in range(2, 10):
            session = requests.Session()
            session.mount("http://", SourceAddress(f"127.0.0.{host}"))
            rep = Rep(front.url, cluster.tokens["rep"], ["polling"], session)
            reps.append(rep)
            # Every poll and post of this session reaching its worker is what makes the
            # round trip work: another worker would answer "invalid session".
            refreshed = rep.call("auth:refresh", {"token": cluster.tokens["rep"]})
            assert refreshed["ok"], refreshed
        counts = (_connections(cluster.a.url), _connections(cluster.b.url))
        assert sum(counts) == 8 and min(counts) >= 1, counts
    finally:
        for rep in reps:
            rep.close()


def test_a_body_over_the_limit_is_answered_by_nginx_with_the_json_error(front):
    response = requests.post(
        f"{front.url}/api/v1/auth/login",
        data=b"x" * 1_500_000,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "payload_too_large"
    assert "X-Request-ID" not in response.headers  # nginx answered; the app never saw it
    assert requests.get(f"{front.url}/metrics", timeout=5).status_code == 404


def test_the_compose_file_mounts_the_nginx_files_it_names():
    import yaml

    compose = yaml.safe_load((Path(__file__).parents[2] / "docker/docker-compose.yml").read_text())
    volumes = compose["services"]["nginx"]["volumes"]
    for volume in volumes:
        source = volume.split(":", 1)[0]
        assert (Path(__file__).parents[2] / "docker" / source).exists(), volume
    assert any(v.endswith(":/etc/nginx/salescoach:ro") for v in volumes)
