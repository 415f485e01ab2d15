"""The live pipeline end to end: a real server process (eventlet) with the embedded
local recognizer, a real python-socketio client streaming espeak-ng speech at real-time
pace, finals received live and read back over REST."""

from __future__ import annotations

import threading
import time

import pytest
import requests
import socketio

from tests.servers import free_port, migrate, running_server, server_env, setup_admin
from tests.speech import synthesize

pytestmark = pytest.mark.e2e
SENTENCE = "I think your price is too expensive for us"
CHUNK_BYTES = 3200  # 100 ms of 16 kHz PCM16 mono


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    env = server_env(
        f"sqlite:///{tmp / 'e2e.db'}",
        free_port(),
        TRANSCRIBER="local",
        COACH="playbook",
        ASYNC_MODE="eventlet",
    )
    migrate(env)
    with running_server(env) as base_url:
        yield base_url


class Listener:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []
        self.cond = threading.Condition()

    def record(self, name: str):
        def handler(payload):
            with self.cond:
                self.events.append((name, payload))
                self.cond.notify_all()

        return handler

    def wait(self, predicate, timeout: float) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: predicate(self.events), timeout)


def test_spoken_price_objection_is_transcribed_stored_and_coached(server, tmp_path):
    token = setup_admin(server)
    # 3 s of silence first: the recognizer worker starts with the call's first stream, and
    # on a slow machine speech that arrives while it loads is decoded only as the final
    speech = b"\x00\x00" * 48000 + synthesize(SENTENCE, tmp_path) + b"\x00\x00" * 16000
    client, listener = socketio.Client(reconnection=False), Listener()
    for name in ("transcript", "suggestion", "call:status"):
        client.on(name, listener.record(name), namespace="/audio")
    client.connect(
        server,
        namespaces=["/audio"],
        auth={"token": token},
        transports=["websocket"],
        wait_timeout=10,
    )
    try:
        started = client.call(
            "call:start", {"title": "E2E", "sources": ["prospect"]}, namespace="/audio", timeout=10
        )
        assert started["ok"] and started["transcriber"] == "local", started
        call_id = started["call_id"]
        for seq, offset in enumerate(range(0, len(speech), CHUNK_BYTES)):
            ack = client.call(
                "audio",
                {
                    "call_id": call_id,
                    "source": "prospect",
                    "seq": seq,
                    "data": speech[offset : offset + CHUNK_BYTES],
                },
                namespace="/audio",
                timeout=10,
            )
            assert ack["ok"], ack
            time.sleep(0.1)  # real-time pace
        assert listener.wait(
            lambda ev: any(n == "suggestion" and p["kind"] == "objection" for n, p in ev),
            timeout=20,
        )
        stopped = client.call("call:stop", {"call_id": call_id}, namespace="/audio", timeout=20)
        assert stopped["ok"]
    finally:
        client.disconnect()
    transcripts = [p for n, p in listener.events if n == "transcript"]
    finals = [p for p in transcripts if p["is_final"]]
    assert any(not p["is_final"] for p in transcripts), "no partial hypotheses"
    text = " ".join(p["text"].lower() for p in finals)
    assert "price" in text and "expensive" in text
    # A partial such as "I think your price is" may card a pricing question first (the
    # words so far are one); the whole sentence must card the price objection.
    cards = [p for n, p in listener.events if n == "suggestion"]
    assert any(c["origin"] == "playbook" and c["kind"] == "objection" for c in cards), cards
    stored = requests.get(
        f"{server}/api/v1/calls/{call_id}/transcript",
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    ).json()["items"]
    assert [u["text"] for u in stored] == [p["text"] for p in finals]
