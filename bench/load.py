"""Spread N reps over client processes, wait for them, merge their samples."""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import fields

from bench.load_client import LoadSpec, Samples, worker

REPS_PER_PROCESS = 150
MAX_PROCESSES = 4


def processes_for(reps: int) -> int:
    return max(1, min(MAX_PROCESSES, -(-reps // REPS_PER_PROCESS)))


def merge(parts: list[Samples]) -> Samples:
    total = Samples()
    for part in parts:
        for f in fields(Samples):
            value = getattr(part, f.name)
            if isinstance(value, list):
                getattr(total, f.name).extend(value)
            elif isinstance(value, dict):
                target = getattr(total, f.name)
                for k, v in value.items():
                    target[k] = target.get(k, 0) + v
            else:
                setattr(total, f.name, getattr(total, f.name) + value)
    return total


def run_load(
    url: str,
    tokens: list[str],
    reps: int,
    ramp_s: float,
    steady_s: float,
    churn: tuple[float, float] | None = None,
) -> Samples:
    """Run ``reps`` simulated reps against ``url``; returns the merged samples."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    count = processes_for(reps)
    t_begin = time.monotonic() + 3.0  # time for the processes to import
    procs = []
    for p in range(count):
        first, last = reps * p // count, reps * (p + 1) // count
        spec = LoadSpec(url, tokens, first, last - first, reps, t_begin, ramp_s, steady_s, churn)
        proc = ctx.Process(target=worker, args=(spec, queue), daemon=True)
        proc.start()
        procs.append(proc)
    deadline = t_begin + ramp_s + steady_s + 120
    parts = []
    try:
        for _ in procs:
            parts.append(queue.get(timeout=max(1.0, deadline - time.monotonic())))
    except Exception:
        lost = Samples()
        lost.errors["client_timeout"] += count - len(parts)
        parts.append(lost)
    for proc in procs:
        proc.join(10)
        if proc.is_alive():
            proc.kill()
    return merge(parts)
