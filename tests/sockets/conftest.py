from __future__ import annotations

from typing import Any

import pytest

from app.extensions import get_services, socketio
from bench.scripted_transcriber import ScriptedTranscriber


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
