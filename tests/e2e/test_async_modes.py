"""The same code serves under gevent and threading too (eventlet is covered by
test_live_call_local.py): a smoke call per mode against a real server process."""

from __future__ import annotations

import pytest
import requests
import socketio

from tests.servers import free_port, migrate, running_server, server_env, setup_admin

pytestmark = pytest.mark.e2e
CHUNK = b"\x01\x00" * 1600


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_a_call_streams_and_stops_under_each_async_mode(mode, tmp_path):
    env = server_env(
        f"sqlite:///{tmp_path / 'smoke.db'}", free_port(), TRANSCRIBER="scripted", ASYNC_MODE=mode
    )
    migrate(env)
    with running_server(env) as base_url:
        token = setup_admin(base_url, "Smoke")
        finals: list[dict] = []
        client = socketio.Client(reconnection=False)
        client.on("transcript", lambda p: p["is_final"] and finals.append(p), namespace="/audio")
        client.connect(
            base_url,
            namespaces=["/audio"],
            auth={"token": token},
            transports=["websocket"],
            wait_timeout=10,
        )
        try:
            call_id = client.call("call:start", {}, namespace="/audio", timeout=10)["call_id"]
            for seq in range(8):
                assert client.call(
                    "audio",
                    {"call_id": call_id, "seq": seq, "data": CHUNK},
                    namespace="/audio",
                    timeout=10,
                )["ok"]
            assert client.call("call:stop", {"call_id": call_id}, namespace="/audio", timeout=10)[
                "ok"
            ]
        finally:
            client.disconnect()
        stored = requests.get(
            f"{base_url}/api/v1/calls/{call_id}/transcript",
            timeout=10,
            headers={"Authorization": f"Bearer {token}"},
        ).json()["items"]
        assert len(stored) == 2 and [u["utterance_id"] for u in stored] == [
            f["utterance_id"] for f in finals
        ]
