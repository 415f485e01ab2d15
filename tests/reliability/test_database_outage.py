"""PostgreSQL unreachable for a few seconds during a live call (docs/security.md row F10).

The writer keeps the finals queued and retries with backoff; the client sees `degraded` /
`saving_delayed`, then `live` once they are stored, and every final is stored exactly once."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from app.container import get_services
from app.extensions import db, socketio
from app.models import Utterance
from app.services.transcription.scripted import ScriptedTranscriber
from tests.factories import TokenFactory
from tests.helpers import ack, events, start_call, stream, wait_until
from tests.reliability.tcp_proxy import TcpProxy


def _stored(worker, call_id: str) -> tuple[int, int]:
    with worker.app_context():
        rows = db.session.execute(
            select(func.count(Utterance.id), func.count(func.distinct(Utterance.start_ms))).where(
                Utterance.call_id == call_id
            )
        ).one()
        db.session.remove()
        return int(rows[0]), int(rows[1])


@pytest.fixture
def proxy():
    """Requested before pg_apps, so it is stopped after the workers are gone."""
    tcp = TcpProxy(5432)
    tcp.start()
    yield tcp
    tcp.stop()


def test_finals_during_a_database_outage_are_stored_once_when_it_returns(proxy, pg_apps):
    worker = pg_apps(port=proxy.port, SOCKET_REVOCATION_CHECK_SECONDS="60")
    with worker.app_context():
        admin = TokenFactory(worker).setup_admin()
        get_services().transcriber = ScriptedTranscriber(chunks_per_final=2)
        rep = socketio.test_client(
            worker,
            namespace="/audio",
            auth={"token": admin["token"]},
            flask_test_client=worker.test_client(),
        )
        call_id = start_call(rep)
        db.session.remove()
        stream(rep, call_id, 4)
        wait_until(lambda: _stored(worker, call_id)[0] == 2, timeout=10)
        proxy.stop()  # the database is gone: pooled connections cut, new ones refused
        stream(rep, call_id, 6, first_seq=4)  # three more finals while it is down
        statuses = lambda: [(e["state"], e.get("reason")) for e in events(rep, "call:status")]  # noqa: E731
        wait_until(lambda: ("degraded", "saving_delayed") in statuses(), timeout=10)
        time.sleep(2.0)  # a few seconds of outage, several failed retries
        proxy.start()
        wait_until(lambda: statuses()[-1] == ("live", None), timeout=15)
        assert _stored(worker, call_id) == (5, 5)
        assert ack(rep, "call:stop", {"call_id": call_id})["ok"]
        finals = [e for e in events(rep, "transcript") if e["is_final"]]
        assert len(finals) == 5
        assert _stored(worker, call_id) == (5, 5)  # exactly once, nothing lost
        assert get_services().sessions.writer.failures >= 1
    proxy.stop()
    proxy.start()  # the fixtures drop the schema through fresh connections
