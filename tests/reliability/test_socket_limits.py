"""I5, I6: socket event floods and live-call caps, per connection, per user and per team,
shared across workers (Redis counters, database counts under a team lock)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import redis

from app.container import get_services
from app.extensions import db
from app.models import Team, User
from app.services.auth import Principal
from app.services.live.limits import TeamLocks, UserEventCounter
from app.services.transcription.scripted import ScriptedTranscriber
from tests.factories import _HASH
from tests.helpers import CHUNK, FAST_WATCHDOG, ack, start_call, stream
from tests.security.logcapture import captured_logs

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def app_env() -> dict[str, str]:
    return {
        **FAST_WATCHDOG,
        "SOCKET_AUDIO_PER_SECOND": "1",  # a burst of 10, then one per second
        "SOCKET_USER_CONTROL_PER_MINUTE": "30",
        "MAX_LIVE_CALLS_PER_TEAM": "2",
    }


@pytest.fixture
def redis_prefix():
    client = redis.Redis.from_url(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:"
    yield client, prefix
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def _codes(responses):
    return [r["error"]["code"] for r in responses if not r["ok"]]


def test_audio_flood_over_the_configured_rate_is_limited_then_disconnected(connect, admin, tokens):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    bystander = connect(tokens.user()["token"])
    responses = []
    for seq in range(60):
        if not rep.is_connected("/audio"):
            break
        responses.append(ack(rep, "audio", {"call_id": call_id, "seq": seq, "data": CHUNK}))
    assert all(r["ok"] for r in responses[:10])
    assert "rate_limited" in _codes(responses)
    assert not rep.is_connected("/audio")
    assert bystander.is_connected("/audio") and ack(bystander, "call:start", {})["ok"]


def test_control_budget_of_a_user_is_shared_by_all_their_connections(connect, admin, tokens):
    first, second = connect(admin["token"]), connect(admin["token"])
    codes = _codes([ack(first, "call:leave", {"call_id": "x"}) for _ in range(16)])
    assert codes == []
    codes = _codes([ack(second, "call:leave", {"call_id": "x"}) for _ in range(16)])
    assert codes.count("rate_limited") == 2  # 32 events against a budget of 30 per minute
    other_user = connect(tokens.user()["token"])
    assert ack(other_user, "call:leave", {"call_id": "x"})["ok"]


def test_team_cap_refuses_a_new_call_and_existing_calls_continue(connect, admin, tokens):
    team = db.session.get(Team, admin["team_id"])
    reps = [connect(tokens.user(team=team)["token"]) for _ in range(3)]
    calls = [start_call(reps[0]), start_call(reps[1])]
    refused = ack(reps[2], "call:start", {})
    assert refused["ok"] is False and refused["error"]["code"] == "quota_exceeded"
    for rep, call_id in zip(reps, calls, strict=False):
        assert all(r["ok"] for r in stream(rep, call_id, 2))
    assert ack(reps[0], "call:stop", {"call_id": calls[0]})["ok"]
    assert ack(reps[2], "call:start", {})["ok"]  # the slot is free again


def test_user_event_budget_is_shared_across_workers_through_redis(redis_prefix):
    client, prefix = redis_prefix
    worker_a = UserEventCounter(client, prefix, per_minute=5)
    worker_b = UserEventCounter(client, prefix, per_minute=5)
    now = 1_000_000.0
    allowed = [worker_a.allow("u1", now) for _ in range(3)] + [
        worker_b.allow("u1", now) for _ in range(3)
    ]
    assert allowed == [True] * 5 + [False]
    assert worker_b.allow("u2", now) and worker_a.allow("u1", now + 60)  # per user, per minute


def test_redis_outage_leaves_shared_limits_open_and_logs_a_warning():
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    counter = UserEventCounter(dead, "x:", per_minute=1)
    with captured_logs() as logs:
        assert counter.allow("u1") and counter.allow("u1")
    assert "shared socket limit unavailable" in logs.text


def test_team_lock_in_redis_excludes_a_second_worker(app, redis_prefix):
    client, prefix = redis_prefix
    worker_a, worker_b = TeamLocks(client, prefix), TeamLocks(client, prefix)
    order: list[str] = []

    def second_worker() -> None:
        with app.app_context(), worker_b.hold("team-1"):
            order.append("b")

    with worker_a.hold("team-1"):
        thread = threading.Thread(target=second_worker)
        thread.start()
        time.sleep(0.3)  # worker b is now waiting for the lock
        order.append("a")
    thread.join(10)
    assert order == ["a", "b"]


def _principals(team_size: int) -> list[Principal]:
    team = Team(name="Racers")
    users = [
        User(
            team=team,
            email=f"r{i}-{uuid.uuid4().hex[:6]}@x.test",
            name=f"R{i}",
            password_hash=_HASH,
        )
        for i in range(team_size)
    ]
    db.session.add_all([team, *users])
    db.session.commit()
    return [Principal(u.id, team.id, "rep", u.name, "jwt") for u in users]


def test_team_cap_holds_across_two_workers_starting_calls_at_once(pg_apps):
    workers = [pg_apps(MAX_LIVE_CALLS_PER_TEAM="3", MAX_LIVE_CALLS_PER_USER="5") for _ in range(2)]
    with workers[0].app_context():
        principals = _principals(8)
    results: list[str] = []

    def start(worker, principal: Principal) -> None:
        with worker.app_context():
            get_services().transcriber = get_services().transcriber or ScriptedTranscriber()
            try:
                get_services().sessions.start(principal, uuid.uuid4().hex, _START)
                results.append("ok")
            except Exception as exc:
                results.append(getattr(exc, "code", type(exc).__name__))

    for worker in workers:
        with worker.app_context():
            get_services().transcriber = ScriptedTranscriber()
    threads = [
        threading.Thread(target=start, args=(workers[i % 2], p)) for i, p in enumerate(principals)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(results) == ["ok"] * 3 + ["quota_exceeded"] * 5


_START = {
    "audio": {"encoding": "linear16", "sample_rate": 16000, "channels": 1},
    "sources": ["rep"],
}
