"""Two workers behind one Redis and one PostgreSQL (docs/security.md rows F9, F12).

The tests share one cluster and run in file order; the SIGTERM test stops worker A, so
it comes last.
"""

from __future__ import annotations

import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.scale.harness import Client, transcript, wait_for
from tests.scale.helpers import METRICS_TOKEN, Cluster

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


def _rep_and_coach(cluster: Cluster, clients: list[Client], **start):
    rep = _connect(clients, cluster.a.url, cluster.tokens["rep"])
    call_id = rep.start(**start)["call_id"]
    coach = _connect(clients, cluster.b.url, cluster.tokens["admin"])
    joined = coach.call("call:join", {"call_id": call_id})
    assert joined["ok"], joined
    return rep, coach, call_id


def test_a_coach_on_worker_b_follows_a_call_on_worker_a_and_whispers_back(cluster, clients):
    rep, coach, call_id = _rep_and_coach(cluster, clients, sources=["rep", "prospect"])
    rep.stream(call_id, 16, source="prospect")  # four finals: the whole script, one objection
    assert wait_for(lambda: len(coach.finals()) == 4, WAIT_S), coach.events
    assert [f["utterance_id"] for f in coach.finals()] == [f["utterance_id"] for f in rep.finals()]
    cards = wait_for(lambda: coach.received("suggestion"), WAIT_S)
    assert cards and cards[0]["kind"] == "objection" and cards[0]["origin"] == "playbook"
    sent = coach.call("coach:whisper", {"call_id": call_id, "text": "Ask about their budget"})
    assert sent["ok"], sent
    whispers = wait_for(lambda: rep.received("whisper"), WAIT_S)
    assert whispers and whispers[0]["text"] == "Ask about their budget"
    assert whispers[0]["whisper_id"] == sent["whisper_id"]
    assert not coach.received("whisper")  # whispers go to the rep only
    assert rep.call("call:stop", {"call_id": call_id})["ok"]


def _scrape(url: str) -> dict[tuple[str, tuple], float]:
    response = requests.get(
        f"{url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=5
    )
    assert response.status_code == 200, response.text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def test_each_worker_exposes_plausible_metrics_after_the_call(cluster):
    assert requests.get(f"{cluster.a.url}/metrics", timeout=5).status_code == 401
    a, b = _scrape(cluster.a.url), _scrape(cluster.b.url)
    audio_ok = ("salescoach_socketio_events_total", (("event", "audio"), ("outcome", "ok")))
    assert a[audio_ok] >= 16 and audio_ok not in b
    assert a[("salescoach_audio_received_seconds_total", ())] >= 1.6
    assert a[("salescoach_transcript_finals_total", ())] >= 4
    assert a[("salescoach_transcription_final_latency_seconds_count", ())] >= 4
    assert a[("salescoach_suggestion_latency_seconds_count", (("origin", "playbook"),))] >= 1
    assert a[("salescoach_live_calls", ())] == 0
    assert a[("salescoach_utterance_writer_queue_depth", ())] == 0
    join_ok = ("salescoach_socketio_events_total", (("event", "call_join"), ("outcome", "ok")))
    whisper_ok = (
        "salescoach_socketio_events_total",
        (("event", "coach_whisper"), ("outcome", "ok")),
    )
    assert b[join_ok] >= 1 and b[whisper_ok] >= 1
    setup = ("endpoint", "/api/v1/auth/setup")
    assert any(setup in labels for name, labels in a if name == "salescoach_http_requests_total")


def test_a_redis_restart_mid_call_keeps_the_call_and_the_queue_listener_recovers(cluster, clients):
    rep, coach, call_id = _rep_and_coach(cluster, clients)
    rep.stream(call_id, 4)
    assert wait_for(lambda: len(coach.finals()) == 1, WAIT_S)
    cluster.redis.shutdown()
    rep.stream(call_id, 8, first_seq=4)  # acks keep coming while Redis is down
    assert wait_for(lambda: len(rep.finals()) == 3, WAIT_S)
    time.sleep(1.0)
    assert len(coach.finals()) == 1  # cross-worker emits are lost while Redis is away
    cluster.redis.start()
    seq = 12

    def coach_hears_a_new_final() -> bool:
        nonlocal seq
        before = len(coach.finals())
        rep.stream(call_id, 4, first_seq=seq)
        seq += 4
        return bool(wait_for(lambda: len(coach.finals()) > before, 1.0))

    assert wait_for(coach_hears_a_new_final, 25, every=0.2), "listener did not resubscribe"
    assert rep.call("call:stop", {"call_id": call_id})["ok"]
    stored = transcript(cluster.b.url, cluster.tokens["rep"], call_id)
    assert [u["utterance_id"] for u in stored] == [f["utterance_id"] for f in rep.finals()]


def test_sigterm_of_worker_a_keeps_every_final_and_the_rep_resumes_on_worker_b(cluster, clients):
    rep, coach, call_id = _rep_and_coach(cluster, clients)
    rep.stream(call_id, 6)  # one final; two chunks still pending in the stream
    assert wait_for(lambda: len(rep.finals()) == 1, WAIT_S)
    cluster.a.terminate()
    restart = {"call_id": call_id, "state": "reconnecting", "reason": "server_restart"}
    assert wait_for(lambda: restart in rep.received("call:status"), WAIT_S), rep.events
    assert wait_for(lambda: restart in coach.received("call:status"), WAIT_S)
    assert cluster.a.proc.wait(8 + 3) == 0, cluster.a.tail()
    finals = rep.finals()
    assert len(finals) == 2  # the pending audio was flushed into a last final
    stored = transcript(cluster.b.url, cluster.tokens["rep"], call_id)
    assert [u["utterance_id"] for u in stored] == [f["utterance_id"] for f in finals]

    resumed = _connect(clients, cluster.b.url, cluster.tokens["rep"])
    ack = resumed.start(resume_call_id=call_id, resume_seq={"rep": 6})
    assert ack["call_id"] == call_id and ack["state"] == "live"
    assert ack["next_seq"] == {"rep": 6}  # worker B continues the client's numbering
    resumed.stream(call_id, 4, first_seq=6)
    assert wait_for(lambda: len(resumed.finals()) == 1, WAIT_S)
    assert wait_for(lambda: len(coach.finals()) == 3, WAIT_S)  # the coach stayed on B
    assert resumed.call("call:stop", {"call_id": call_id})["ok"]
    stored = transcript(cluster.b.url, cluster.tokens["rep"], call_id)
    assert len(stored) == 3 and stored[2]["start_ms"] >= stored[1]["end_ms"]
