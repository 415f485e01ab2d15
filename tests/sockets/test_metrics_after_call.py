"""/metrics reflects a live call: socket events, audio seconds, finals, suggestions, gauges."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from app.extensions import db
from app.models import CallAnalysis, User
from tests.factories import make_call
from tests.helpers import ack, start_call, stream


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def test_a_call_shows_up_in_the_counters_and_gauges(client, connect, admin, sessions):
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    stream(rep, call_id, 8, source="prospect")  # 0.8 s of PCM, two finals, a price objection
    ack(rep, "audio", {"call_id": call_id, "source": "prospect", "seq": 3, "data": b"\x00\x00"})
    during = scrape(client)
    assert during[("salescoach_live_calls", ())] == 1
    assert during[("salescoach_socket_connections", ())] == 1
    ack(rep, "call:stop", {"call_id": call_id})
    after = scrape(client)
    events = "salescoach_socketio_events_total"
    assert after[(events, (("event", "audio"), ("outcome", "ok")))] == 8
    assert after[(events, (("event", "audio"), ("outcome", "duplicate_seq")))] == 1
    assert after[(events, (("event", "call_start"), ("outcome", "ok")))] == 1
    assert after[("salescoach_audio_received_seconds_total", ())] == pytest.approx(0.8)
    assert after[("salescoach_transcript_finals_total", ())] == 2
    assert after[("salescoach_transcription_final_latency_seconds_count", ())] == 2
    llm = (("origin", "playbook"),)
    assert after[("salescoach_suggestion_latency_seconds_count", llm)] >= 1
    assert after[("salescoach_live_calls", ())] == 0
    assert after[("salescoach_utterance_writer_queue_depth", ())] == 0
    assert after[("salescoach_utterance_writer_failures_total", ())] == 0
    finished = db.session.scalar(
        select(func.count()).where(CallAnalysis.status.in_(("pending", "running")))
    )
    assert after[("salescoach_job_queue_depth", ())] == finished


def test_the_job_queue_gauge_counts_analyses_still_waiting(client, admin):
    user = db.session.get(User, admin["user"]["id"])
    waiting = [make_call(user) for _ in range(3)]
    done = make_call(user)
    for call in waiting:
        db.session.add(CallAnalysis(call_id=call.id, status="pending", attempts=0))
    db.session.add(CallAnalysis(call_id=done.id, status="done", attempts=1))
    db.session.commit()
    assert scrape(client)[("salescoach_job_queue_depth", ())] == 3


def test_http_requests_are_counted_by_route_not_by_url(client, admin):
    client.get("/api/v1/calls/abc")
    client.get("/api/v1/calls/def")
    samples = scrape(client)
    by_route = [
        v
        for (name, labels), v in samples.items()
        if name == "salescoach_http_requests_total"
        and ("endpoint", "/api/v1/calls/<call_id>") in labels
    ]
    assert sum(by_route) == 2
    assert not any("abc" in str(labels) for _, labels in samples)
