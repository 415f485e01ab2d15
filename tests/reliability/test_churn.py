"""L3, short variant (the long soak is `bench/soak.py`, 30 minutes with BENCH=full): calls
starting and ending over several connections leave nothing behind — no live call, no
connection state, no per-call task — and every final is stored exactly once."""

from __future__ import annotations

import gc
import threading

from app.container import get_services
from app.extensions import db
from app.models import Call, Utterance
from app.services.live.call import LiveCall
from tests.helpers import ack, start_call, stream, wait_until

ROUNDS = 10
CLIENTS = 4


def _live_call_objects() -> int:
    gc.collect()
    return sum(type(obj) is LiveCall for obj in gc.get_objects())  # no proxy evaluation


def test_call_churn_leaves_no_state_or_tasks_behind_and_loses_no_final(
    connect, tokens, sessions, scripted_transcriber
):
    scripted_transcriber.record = False  # as in a server process: the double keeps no streams
    reps = [tokens.user(seed_toolkit=True) for _ in range(CLIENTS)]
    baseline_threads = {t.ident for t in threading.enumerate()}
    baseline_calls = _live_call_objects()  # earlier tests' objects may still be around
    finals_sent = 0
    for _ in range(ROUNDS):
        clients = [connect(rep["token"]) for rep in reps]
        for client in clients:
            call_id = start_call(client, sources=["rep", "prospect"])
            stream(client, call_id, 4, source="prospect")
            stream(client, call_id, 5, source="rep")  # 1 final + 1 flushed at stop
            assert ack(client, "call:stop", {"call_id": call_id})["ok"]
            finals_sent += 3
        for client in clients:
            client.disconnect("/audio")
    assert sessions.calls == {}
    assert wait_until(lambda: get_services().connections.all() == [])
    assert sessions.writer.flush(10)
    assert db.session.query(Call).filter(Call.state != "ended").count() == 0
    assert db.session.query(Utterance).count() == finals_sent == ROUNDS * CLIENTS * 3
    assert wait_until(lambda: _live_call_objects() <= baseline_calls)

    def leftovers() -> list[str]:  # tasks started during the churn that are still running
        return [
            t.name
            for t in threading.enumerate()
            if t.ident not in baseline_threads
            and t.name not in ("utterance-writer", "live-call-janitor")
            and not t.name.startswith(("watchdog", "socket-watchdog"))
        ]

    assert wait_until(lambda: leftovers() == [], timeout=5), leftovers()
