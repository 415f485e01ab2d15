"""The production command (gunicorn, one gevent worker, docker/gunicorn.conf.py) drains
its calls on SIGTERM like `python wsgi.py` does (docs/security.md row F12)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.scale.harness import ROOT, Client, Server, gunicorn_command, setup_users, wait_for
from tests.scale.helpers import base_env

pytestmark = pytest.mark.e2e


@pytest.fixture
def gunicorn_server(tmp_path) -> Iterator[tuple[Server, str]]:
    db_file = tmp_path / "gunicorn.db"
    env = {**base_env(f"sqlite:///{db_file}", ""), "ASYNC_MODE": "gevent"}
    migrate = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env={**os.environ, **env, "ASYNC_MODE": "threading"},
        capture_output=True,
        timeout=60,
    )
    assert migrate.returncode == 0, migrate.stderr.decode()[-2000:]
    server = Server("gunicorn", env, tmp_path, gunicorn_command())
    server.start()
    try:
        server.wait_ready()
        yield server, str(db_file)
    finally:
        server.stop()


def test_gunicorn_worker_stores_the_last_finals_and_exits_cleanly_on_sigterm(gunicorn_server):
    server, db_file = gunicorn_server
    tokens = setup_users(server.url)
    rep = Client(server.url, tokens["rep"])
    try:
        call_id = rep.start()["call_id"]
        rep.stream(call_id, 6)
        assert wait_for(lambda: len(rep.finals()) == 1, 10)
        server.terminate()
        restart = {"call_id": call_id, "state": "reconnecting", "reason": "server_restart"}
        assert wait_for(lambda: restart in rep.received("call:status"), 10), server.tail()
        assert server.proc.wait(8 + 3) == 0, server.tail()
    finally:
        rep.close()
    with sqlite3.connect(db_file) as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM utterances")}
        state = conn.execute("SELECT state FROM calls WHERE id = ?", (call_id,)).fetchone()[0]
    assert stored == {f["utterance_id"] for f in rep.finals()} and len(stored) == 2
    assert state == "reconnecting"
