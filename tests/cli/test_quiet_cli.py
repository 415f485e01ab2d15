"""`flask` admin commands print their own output only: no third-party deprecation warning
(they run unpatched, so they never import eventlet)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _flask(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ASYNC_MODE", "PYTHONWARNINGS")}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "APP_ENV": "development"})
    return subprocess.run(
        [sys.executable, "-W", "default", "-m", "flask", "--app", "app:create_app()", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_flask_help_prints_no_warning(tmp_path):
    result = _flask("--help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "eventlet" not in result.stderr, result.stderr


def test_a_command_that_builds_the_app_does_not_import_eventlet(tmp_path):
    result = _flask(
        "protocol",
        "export",
        "--out",
        str(tmp_path / "p.ts"),
        "--openapi",
        str(tmp_path / "o.json"),
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
