"""CPU time, resident memory and open file descriptors of a process, from /proc."""

from __future__ import annotations

import os
import time
from pathlib import Path

CLK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


class CpuMeter:
    """Share of one core a process used between ``start()`` and ``stop()`` (100 = one core)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._cpu = self._wall = 0.0

    def start(self) -> None:
        self._cpu, self._wall = cpu_seconds(self.pid), _now()

    def percent(self) -> float:
        wall = _now() - self._wall
        return 100 * (cpu_seconds(self.pid) - self._cpu) / wall if wall > 0 else float("nan")


def _now() -> float:
    return time.monotonic()
