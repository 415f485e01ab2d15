"""The machine and the code a benchmark ran on: cores, CPU model, RAM, Python, commit."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def describe(async_mode: str) -> dict[str, str]:
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu_model(),
        "ram": f"{ram_gb():.1f} GB",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "async mode": async_mode,
        "commit": git_commit(),
        "load average at start (1/5/15 min)": load_average(),
    }


def load_average() -> str:
    """Other processes on this machine skew every number; the load average says how much."""
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())
