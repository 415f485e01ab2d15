"""Real processes for the scale tests: a private redis-server, a PostgreSQL schema, and
Sales Coach servers (`python wsgi.py` or gunicorn) on free ports. Every wait is bounded;
everything started here is stopped by the fixtures in conftest.py."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
import socketio

ROOT = Path(__file__).resolve().parents[2]
CHUNK = b"\x01\x00" * 1600  # 100 ms of 16 kHz PCM16 mono
PASSWORD = "correct-horse-battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], Any], timeout: float, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(every)
    return predicate()


class RedisServer:
    """A redis-server of our own (never the machine's shared one), without persistence."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.ping, 5), "redis-server did not start"

    def ping(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, timeout=5
        )
        return result.stdout.strip() == b"PONG"

    def shutdown(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
            timeout=5,
        )
        if self.proc is not None:
            self.proc.wait(5)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


class Server:
    """One serving process; its output goes to a log file kept for failures."""

    def __init__(self, name: str, env: dict[str, str], workdir: Path, command: list[str]) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{name}.log"
        self.env = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.command = command
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_ready(self, timeout: float = 90) -> None:  # a shared, loaded machine boots slowly
        def live() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.tail()
            try:
                return requests.get(f"{self.url}/health/live", timeout=1).ok
            except requests.RequestException:
                return False

        assert wait_for(live, timeout, every=0.2), f"{self.name} not live:\n{self.tail()}"

    def terminate(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def wsgi_command() -> list[str]:
    return [sys.executable, "wsgi.py"]


def gunicorn_command() -> list[str]:
    return [sys.executable, "-m", "gunicorn", "-c", "docker/gunicorn.conf.py", "wsgi:app"]


class Client:
    """A python-socketio client on the /audio namespace that records what it receives."""

    def __init__(self, server_url: str, token: str) -> None:
        self.sio = socketio.Client(reconnection=False)
        self.events: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self.sio.on("*", self._record, namespace="/audio")
        self.sio.connect(server_url, namespaces=["/audio"], auth={"token": token}, wait_timeout=10)

    def _record(self, event: str, data: Any = None) -> None:
        with self._lock:
            self.events.append((event, data))

    def received(self, name: str) -> list[dict[str, Any]]:
        with self._lock:
            return [data for event, data in self.events if event == name]

    def finals(self) -> list[dict[str, Any]]:
        return [e for e in self.received("transcript") if e["is_final"]]

    def call(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        return self.sio.call(event, data, namespace="/audio", timeout=10)  # type: ignore[no-any-return]

    def start(self, **payload: Any) -> dict[str, Any]:
        ack = self.call("call:start", {"title": "Scale test", **payload})
        assert ack["ok"], ack
        return ack

    def stream(self, call_id: str, count: int, source: str = "rep", first_seq: int = 0) -> None:
        for seq in range(first_seq, first_seq + count):
            ack = self.call(
                "audio", {"call_id": call_id, "source": source, "seq": seq, "data": CHUNK}
            )
            assert ack["ok"], ack

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the server may already be gone
            self.sio.disconnect()


def setup_users(server_url: str) -> dict[str, str]:
    """The first admin (who may coach) and a rep, with access tokens."""
    setup = requests.post(
        f"{server_url}/api/v1/auth/setup",
        json={
            "team_name": "Scale",
            "email": "admin@scale.test",
            "password": PASSWORD,
            "name": "Ada Admin",
        },
        timeout=10,
    )
    assert setup.status_code == 201, setup.text
    admin = setup.json()["access_token"]
    created = requests.post(
        f"{server_url}/api/v1/users",
        json={"email": "rep@scale.test", "password": PASSWORD, "name": "Rex Rep", "role": "rep"},
        headers={"Authorization": f"Bearer {admin}"},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    login = requests.post(
        f"{server_url}/api/v1/auth/login",
        json={"email": "rep@scale.test", "password": PASSWORD},
        timeout=10,
    )
    assert login.ok, login.text
    return {"admin": admin, "rep": login.json()["access_token"]}


def transcript(server_url: str, token: str, call_id: str) -> list[dict[str, Any]]:
    response = requests.get(
        f"{server_url}/api/v1/calls/{call_id}/transcript",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.ok, response.text
    return response.json()["items"]  # type: ignore[no-any-return]
