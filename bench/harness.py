"""Start a real server process for a benchmark: scratch SQLite DB, migrations, users, tokens.

``BenchServer`` is a context manager; it always kills the process it started. Everything
targets 127.0.0.1 on a free port.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from bench.machine import ROOT

PASSWORD = "bench-password-123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(db_path: Path, port: int, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOST="127.0.0.1",
        PORT=str(port),
        APP_ENV="development",
        ASYNC_MODE="eventlet",
        TRANSCRIBER="scripted",
        COACH="playbook",
        DATABASE_URL=f"sqlite:///{db_path}",
        SECRET_KEY=secrets.token_urlsafe(48),
        RATE_LIMIT_ENABLED="false",
        MAX_LIVE_CALLS_PER_TEAM="100000",
        MAX_LIVE_CALLS_PER_USER="100000",
        MAX_SOCKETS_PER_USER="100000",  # simulated reps share a few users
        ACCESS_TOKEN_MINUTES="600",
        LOG_LEVEL="WARNING",
        REDIS_URL="",
    )
    env.update(extra)
    return env


class BenchServer:
    """``python -m bench.server`` (or any module) with a migrated scratch database."""

    def __init__(self, module: str = "bench.server", users: int = 4, **env: str) -> None:
        self.module, self.users, self.extra = module, users, env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-")
        self.db_path = Path(self.tmp.name) / "bench.db"
        self.env = server_env(self.db_path, self.port, **env)
        self.proc: subprocess.Popen[bytes] | None = None
        self.tokens: list[str] = []

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __enter__(self) -> BenchServer:
        try:
            if self.module == "bench.server":
                self._migrate()
            self._start()
            if self.module == "bench.server":
                self.tokens = self._users()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _migrate(self) -> None:
        flask = Path(sys.executable).parent / "flask"
        subprocess.run(
            [str(flask), "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def _start(self) -> None:
        self.log = open(Path(self.tmp.name) / "server.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start listening in 60 s")

    def _users(self) -> list[str]:
        setup = requests.post(
            f"{self.url}/api/v1/auth/setup",
            json={
                "team_name": "Bench",
                "email": "admin@bench.test",
                "password": PASSWORD,
                "name": "Bench Admin",
            },
            timeout=30,
        )
        setup.raise_for_status()
        admin = {"Authorization": f"Bearer {setup.json()['access_token']}"}
        tokens = []
        for i in range(self.users):
            email = f"rep{i}@bench.test"
            requests.post(
                f"{self.url}/api/v1/users",
                json={"email": email, "password": PASSWORD, "name": f"Rep {i}", "role": "rep"},
                headers=admin,
                timeout=30,
            ).raise_for_status()
            login = requests.post(
                f"{self.url}/api/v1/auth/login",
                json={"email": email, "password": PASSWORD},
                timeout=30,
            )
            login.raise_for_status()
            tokens.append(login.json()["access_token"])
        return tokens

    def tail(self, lines: int = 20) -> str:
        path = Path(self.tmp.name) / "server.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if getattr(self, "log", None):
            self.log.close()
        self.tmp.cleanup()
