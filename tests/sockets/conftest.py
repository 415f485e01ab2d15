from __future__ import annotations

from typing import Any

import pytest

from app.container import get_services
from app.extensions import socketio
from app.services.transcription.scripted import ScriptedTranscriber

CHUNK = b"\x01\x00" * 1600  # 100 ms of 16 kHz PCM16


@pytest.fixture
def scripted_transcriber(app) -> ScriptedTranscriber:
    transcriber = ScriptedTranscriber()
    get_services().transcriber = transcriber
    return transcriber


@pytest.fixture
def sessions(app):
    manager = get_services().sessions
    yield manager
    manager.janitor.stop()
    manager.writer.flush(5)


@pytest.fixture
def connect(app, client, scripted_transcriber, sessions):
    clients = []

    def _connect(token: str | None, **kwargs: Any):
        auth = {"token": token} if token is not None else kwargs.pop("auth", None)
        test_client = socketio.test_client(
            app, namespace="/audio", auth=auth, flask_test_client=client, **kwargs
        )
        clients.append(test_client)
        return test_client

    yield _connect
    for test_client in clients:
        if test_client.is_connected("/audio"):
            test_client.disconnect("/audio")


def ack(client, event: str, payload: Any) -> dict[str, Any]:
    return client.emit(event, payload, namespace="/audio", callback=True)


def received(client, name: str) -> list[dict[str, Any]]:
    return [e["args"][0] for e in client.get_received("/audio") if e["name"] == name]


def start_call(client, **overrides: Any) -> str:
    response = ack(client, "call:start", {"title": "Demo", **overrides})
    assert response["ok"], response
    return response["call_id"]


def stream(client, call_id: str, count: int, source: str = "rep", first_seq: int = 0) -> list:
    return [
        ack(
            client,
            "audio",
            {"call_id": call_id, "source": source, "seq": first_seq + i, "data": CHUNK},
        )
        for i in range(count)
    ]
