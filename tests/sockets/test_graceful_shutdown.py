"""SIGTERM drains a worker: finals stored, clients told to reconnect, new calls refused."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from app.extensions import db
from app.models import Call, Utterance
from app.serving import install_graceful_shutdown
from tests.helpers import ack, start_call, stream

WAIT_S = 10.0


@pytest.fixture
def restore_sigterm() -> Iterator[None]:
    previous = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, previous)


def _wait(predicate, timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_sigterm_stores_every_final_then_tells_the_rep_to_reconnect_and_exits_cleanly(
    app, connect, admin, sessions, restore_sigterm
):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 6)  # one final after 4 chunks; 2 chunks still pending in the stream
    stored_when_told: list[int] = []
    original_emit = sessions.emit

    def spying_emit(event, payload, room):
        if event == "call:status" and payload.get("reason") == "server_restart":
            with app.app_context():
                stored_when_told.append(
                    db.session.query(Utterance).filter_by(call_id=call_id).count()
                )
        original_emit(event, payload, room)

    sessions.emit = spying_emit
    for live in sessions.calls.values():
        live.emit = spying_emit
    exits: list[int] = []
    install_graceful_shutdown(app, exit_fn=exits.append, hard_deadline=False)
    os.kill(os.getpid(), signal.SIGTERM)
    assert _wait(lambda: exits == [0])
    events = rep.get_received("/audio")
    finals = [
        e["args"][0] for e in events if e["name"] == "transcript" and e["args"][0]["is_final"]
    ]
    assert len(finals) == 2  # the pending audio was flushed into a last final
    assert stored_when_told == [2]  # stored before the client was told to move
    statuses = [e["args"][0] for e in events if e["name"] == "call:status"]
    assert statuses[-1] == {"call_id": call_id, "state": "reconnecting", "reason": "server_restart"}
    db.session.expire_all()
    assert db.session.get(Call, call_id).state == "reconnecting"
    stored = db.session.query(Utterance).filter_by(call_id=call_id).all()
    assert sorted(u.id for u in stored) == sorted(f["utterance_id"] for f in finals)


def test_a_draining_worker_answers_call_start_with_shutting_down(
    app, connect, admin, sessions, restore_sigterm
):
    rep = connect(admin["token"])
    exits: list[int] = []
    shutdown = install_graceful_shutdown(app, exit_fn=exits.append, hard_deadline=False)
    shutdown.request()
    assert _wait(lambda: exits == [0])
    refused = ack(rep, "call:start", {"title": "Late"})
    assert refused["ok"] is False and refused["error"]["code"] == "shutting_down"


def test_a_failing_drain_still_exits_with_an_error_code(app, sessions, restore_sigterm):
    def broken(timeout):
        raise RuntimeError("boom")

    sessions.shutdown = broken
    exits: list[int] = []
    shutdown = install_graceful_shutdown(app, exit_fn=exits.append, hard_deadline=False)
    shutdown.request()
    assert _wait(lambda: exits == [1])
