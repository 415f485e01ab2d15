"""Two real workers (A and B) sharing a private Redis and a PostgreSQL schema.

The cluster is built once per module: a redis-server of our own on a free port (so the
tests may stop it), a fresh schema in the test database migrated with `flask db upgrade`
(as the deployment's migrate step does), and two `python wsgi.py` processes in eventlet
mode with the scripted transcriber. Everything is stopped and dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.scale.harness import ROOT, RedisServer, Server, setup_users, wsgi_command
from tests.scale.helpers import PG_URL, Cluster, base_env


def _pg_base() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else PG_URL


@pytest.fixture(scope="module")
def pg_schema_url() -> Iterator[str]:
    """A dedicated schema, migrated like production; dropped afterwards."""
    base = _pg_base()
    plain = base.replace("+psycopg", "")
    schema = f"scale_{uuid.uuid4().hex[:10]}"
    try:
        conn = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{base}?options=-csearch_path%3D{schema}"
    try:
        env = {**os.environ, **base_env(url, ""), "ASYNC_MODE": "threading"}
        migrate = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=60,
        )
        assert migrate.returncode == 0, migrate.stderr.decode()[-2000:]
        yield url
    finally:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


@pytest.fixture(scope="module")
def cluster_env() -> dict[str, str]:
    """Extra settings for both workers; a module may override it."""
    return {}


@pytest.fixture(scope="module")
def cluster(
    pg_schema_url: str, tmp_path_factory: pytest.TempPathFactory, cluster_env: dict[str, str]
) -> Iterator[Cluster]:
    workdir: Path = tmp_path_factory.mktemp("scale")
    redis = RedisServer(workdir)
    redis.start()
    env = {**base_env(pg_schema_url, redis.url), **cluster_env}
    servers = [Server(name, env, workdir, wsgi_command()) for name in ("worker-a", "worker-b")]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        tokens = setup_users(servers[0].url)
        yield Cluster(servers[0], servers[1], redis, tokens, pg_schema_url)
    finally:
        for server in servers:
            server.stop()
        redis.kill()
