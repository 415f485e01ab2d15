"""Real server processes for end-to-end tests: `python wsgi.py` on a free port with a
scratch database migrated by `flask db upgrade`, killed when the test ends."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, port: int, **extra: str) -> dict[str, str]:
    # No CORS_ORIGINS: the server must accept its own page on any port by itself.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEEPGRAM", "ANTHROPIC")) and k != "CORS_ORIGINS"
    }
    env.update(
        {
            "APP_ENV": "development",
            "DATABASE_URL": database_url,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "RATE_LIMIT_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "SECRET_KEY": "e2e-secret-key-that-is-long-enough-0123456789",
            "REDIS_URL": "",
            **extra,
        }
    )
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app:create_app()", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def wait_healthy(base_url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if requests.get(f"{base_url}/health/live", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise TimeoutError("server did not become healthy")


@contextmanager
def running_server(env: dict[str, str]) -> Iterator[str]:
    """Start `python wsgi.py` with ``env``; yield its base URL; stop it (SIGTERM, then KILL)."""
    process = subprocess.Popen(
        [sys.executable, "wsgi.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{env['PORT']}"
    try:
        wait_healthy(base_url, process)
        yield base_url
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def setup_admin(base_url: str, team: str = "E2E") -> str:
    """Create the first admin through the setup endpoint; return its access token."""
    response = requests.post(
        f"{base_url}/api/v1/auth/setup",
        timeout=10,
        json={
            "team_name": team,
            "email": f"{team.lower()}@example.com",
            "password": "long-password-1",
            "name": team,
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["access_token"])
