"""Coaching state moves with the call between two real workers (PostgreSQL + Redis).

Each worker saves its calls' coaching state at a bounded cadence (and all of it on a
SIGTERM drain); the worker that revives a call restores it. After a SIGKILL the rep
resumes on the other worker, only the unfinished utterance is lost, and the next
``metrics`` event continues the counts: questions keep growing, ticked items stay
ticked, the stage is kept. A fresh coach would say 0 questions, nothing ticked, opening.

The scripted transcriber says, per four chunks: a greeting, a price remark, the question
"What is your timeline for onboarding?" (ticks ``timeline``, moves to discovery) and a
competitor remark. Worker B's script starts at the greeting, which alone asks nothing.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.scale.harness import Client, transcript, wait_for
from tests.scale.helpers import Cluster

pytestmark = pytest.mark.e2e
WAIT_S = 10.0


@pytest.fixture
def clients():
    opened: list[Client] = []
    yield opened
    for client in opened:
        client.close()


def _connect(clients: list[Client], url: str, token: str) -> Client:
    client = Client(url, token)
    clients.append(client)
    return client


def _ticked(metrics: dict[str, Any]) -> set[str]:
    return {item["name"] for item in metrics["checklist"] if item["done"]}


def _stored_state(cluster: Cluster, call_id: str) -> dict[str, Any] | None:
    url = cluster.database_url.replace("+psycopg", "")
    with psycopg.connect(url, connect_timeout=3) as conn:
        row = conn.execute(
            "SELECT state FROM live_coaching_states WHERE call_id = %s", (call_id,)
        ).fetchone()
    return row[0] if row else None


def _snapshot_has_questions(cluster: Cluster, call_id: str, questions: int) -> bool:
    document = _stored_state(cluster, call_id)
    if document is None:
        return False
    return document["components"]["metrics"]["state"]["talk"]["rep"]["questions"] == questions


def _one_script_on(rep: Client, call_id: str, first_seq: int = 0) -> dict[str, Any]:
    """Four finals (one question, ``timeline`` ticked); returns the last metrics."""
    rep.stream(call_id, 16, first_seq=first_seq)
    assert wait_for(lambda: len(rep.finals()) >= 4, WAIT_S), rep.events
    assert wait_for(
        lambda: (m := rep.received("metrics")) and m[-1]["questions_asked"] == 1, WAIT_S
    ), rep.received("metrics")
    metrics = rep.received("metrics")[-1]
    assert "timeline" in _ticked(metrics) and metrics["stage"] == "discovery"
    return metrics


def _resume_and_continue(clients, cluster: Cluster, url: str, call_id: str, seq: int):
    """Resume on ``url``; one more final continues the counts, a whole script adds one."""
    resumed = _connect(clients, url, cluster.tokens["rep"])
    ack = resumed.start(resume_call_id=call_id, resume_seq={"rep": seq})
    assert ack["call_id"] == call_id and ack["state"] == "live"
    resumed.stream(call_id, 4, first_seq=seq)  # the greeting: no question, no tick
    assert wait_for(lambda: resumed.received("metrics"), WAIT_S), resumed.events
    first = resumed.received("metrics")[0]
    assert first["questions_asked"] == 1  # continued, not 0
    assert "timeline" in _ticked(first)  # stays ticked
    assert first["stage"] == "discovery"  # kept (a fresh coach says opening)
    resumed.stream(call_id, 12, first_seq=seq + 4)  # the rest of the script: one question
    assert wait_for(lambda: resumed.received("metrics")[-1]["questions_asked"] == 2, WAIT_S), (
        resumed.received("metrics")
    )
    return resumed


def test_sigterm_drain_keeps_coaching_state_for_the_worker_that_resumes(cluster, clients):
    rep = _connect(clients, cluster.a.url, cluster.tokens["rep"])
    call_id = rep.start()["call_id"]
    _one_script_on(rep, call_id)
    cluster.a.terminate()  # the drain saves every coach's state
    assert cluster.a.proc.wait(8 + 3) == 0, cluster.a.tail()
    assert _snapshot_has_questions(cluster, call_id, 1)
    resumed = _resume_and_continue(clients, cluster, cluster.b.url, call_id, 16)
    assert resumed.call("call:stop", {"call_id": call_id})["ok"]
    assert _stored_state(cluster, call_id) is None  # gone with the end of the call
    cluster.a.start()  # back for the next test
    cluster.a.wait_ready()


def test_after_sigkill_the_rep_resumes_on_the_other_worker_and_coaching_continues(cluster, clients):
    rep = _connect(clients, cluster.b.url, cluster.tokens["rep"])
    call_id = rep.start()["call_id"]
    metrics = _one_script_on(rep, call_id)
    # The bounded cadence (COACHING_SNAPSHOT_SECONDS) has saved the state...
    assert wait_for(lambda: _snapshot_has_questions(cluster, call_id, 1), WAIT_S)
    rep.stream(call_id, 2, first_seq=16)  # ...and an utterance is still unfinished
    cluster.b.proc.kill()
    cluster.b.proc.wait(10)
    stored = transcript(cluster.a.url, cluster.tokens["rep"], call_id)
    assert len(stored) == 4  # every final kept; only the unfinished utterance is lost

    resumed = _resume_and_continue(clients, cluster, cluster.a.url, call_id, 18)
    assert resumed.call("call:stop", {"call_id": call_id})["ok"]
    stored = transcript(cluster.a.url, cluster.tokens["rep"], call_id)
    assert len(stored) == 8 and stored[4]["start_ms"] >= stored[3]["end_ms"]
    assert metrics["questions_asked"] == 1
