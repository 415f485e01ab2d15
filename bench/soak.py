"""Soak: steady calls with churn; server RSS and open fds sampled, slopes fitted; finals
received by the clients checked against the utterances stored in the database.

Quick: 2 minutes, full: 30 minutes. Each rep ends its call after a random length and starts
another, so calls are opened and closed all along.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from bench.harness import BenchServer
from bench.load import run_load
from bench.load_client import Samples
from bench.procstat import open_fds, rss_mb
from bench.report import Table, Target, slope

PLAN = {  # reps, seconds, call length range
    "quick": (40, 120.0, (10.0, 30.0)),
    "full": (100, 1800.0, (30.0, 180.0)),
}
SAMPLE_EVERY_S = 5.0
WARMUP_S = 20.0
GROWTH_LIMIT_MB_MIN = 0.5


def sample(pid: int, stop: threading.Event, points: list[tuple[float, float, int]]) -> None:
    start = time.monotonic()
    while not stop.wait(SAMPLE_EVERY_S):
        try:
            points.append(((time.monotonic() - start) / 60, rss_mb(pid), open_fds(pid)))
        except OSError:
            return


def stored_finals(db_path: str, call_ids: list[str]) -> dict[str, int]:
    with sqlite3.connect(db_path, timeout=30) as conn:
        rows = conn.execute("SELECT call_id, COUNT(*) FROM utterances GROUP BY call_id").fetchall()
    wanted = set(call_ids)
    return {str(call): int(n) for call, n in rows if call in wanted}


def lost(samples: Samples, stored: dict[str, int]) -> int:
    return sum(max(0, n - stored.get(call, 0)) for call, n in samples.finals.items() if call)


def run(profile: str) -> list[Table]:
    reps, seconds, churn = PLAN[profile]
    points: list[tuple[float, float, int]] = []
    stop = threading.Event()
    with BenchServer(users=4) as server:
        sampler = threading.Thread(target=sample, args=(server.pid, stop, points), daemon=True)
        sampler.start()
        samples = run_load(server.url, server.tokens, reps, 5.0, seconds, churn)
        stop.set()
        sampler.join(10)
        time.sleep(3)  # the writer flushes on call:stop; leave it a moment anyway
        stored = stored_finals(str(server.db_path), list(samples.finals))
    return [table(profile, reps, seconds, samples, stored, points)]


def table(
    profile: str,
    reps: int,
    seconds: float,
    samples: Samples,
    stored: dict[str, int],
    points: list[tuple[float, float, int]],
) -> Table:
    steady = [p for p in points if p[0] * 60 >= WARMUP_S] or points
    rss_slope = slope([(t, r) for t, r, _ in steady])
    fd_slope = slope([(t, float(f)) for t, _, f in steady])
    missing = lost(samples, stored)
    received = sum(samples.finals.values())
    errors = sum(samples.errors.values())
    first, last = (points[0], points[-1]) if points else ((0, 0, 0), (0, 0, 0))
    t = Table(
        f"Soak ({profile}: {seconds / 60:.0f} min, {reps} reps with churn)",
        [
            "calls",
            "finals received",
            "stored",
            "lost",
            "errors",
            "RSS start → end MB",
            "RSS slope MB/min",
            "fds start → end",
            "fds slope /min",
        ],
        [
            [
                str(samples.calls),
                str(received),
                str(sum(stored.values())),
                str(missing),
                str(errors),
                f"{first[1]:.0f} → {last[1]:.0f}",
                f"{rss_slope:+.2f}",
                f"{first[2]} → {last[2]}",
                f"{fd_slope:+.2f}",
            ]
        ],
    )
    t.targets.append(
        Target(
            "Soak: no memory growth, no lost utterances",
            f"RSS slope < {GROWTH_LIMIT_MB_MIN} MB/min after warm-up, 0 lost",
            f"{rss_slope:+.2f} MB/min, {fd_slope:+.2f} fds/min, {missing} lost of {received}",
            rss_slope < GROWTH_LIMIT_MB_MIN and missing == 0 and received > 0 and seconds >= 1800,
            slug="soak_rss_slope_mb_per_min",
            value=round(rss_slope, 3),
            unit="MB/min",
        )
    )
    t.key["soak MB/min"] = f"{rss_slope:+.2f}"
    t.key["lost"] = str(missing)
    t.notes.append(
        f"Sampled every {SAMPLE_EVERY_S:.0f} s; slopes fitted after the first {WARMUP_S:.0f} s. "
        "The quick profile's 2 minutes show a trend only; BENCH=full runs 30 minutes."
    )
    if errors:
        t.notes.append("Errors: " + ", ".join(f"{k} {v}" for k, v in samples.errors.items() if v))
    return t
