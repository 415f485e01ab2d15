"""One load step against a running server: N reps, plus the server's CPU and memory."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from bench.harness import BenchServer
from bench.load import run_load
from bench.load_client import Samples
from bench.passrule import holds, worst_p99
from bench.procstat import cpu_seconds, rss_mb


@dataclass
class StepResult:
    reps: int
    samples: Samples
    steady_s: float
    wall_s: float
    cpu_pct: float
    rss_base_mb: float
    rss_mb: float

    @property
    def errors(self) -> int:
        return sum(v for v in self.samples.errors.values() if v)

    @property
    def streams(self) -> dict[str, list[float]]:
        s = self.samples
        return {"ack": s.ack_ms, "interim": s.interim_ms, "final": s.final_ms}

    @property
    def p99(self) -> float:
        """The worst of the ack, interim and final p99s (NaN when one has no samples)."""
        return worst_p99(self.streams)

    @property
    def holds(self) -> bool:
        return holds(self.streams, self.errors)

    @property
    def rss_per_call_kb(self) -> float:
        return (self.rss_mb - self.rss_base_mb) * 1024 / self.reps

    @property
    def throughput(self) -> float:
        """Acked chunks per second in the steady window."""
        return len(self.samples.ack_ms) / self.steady_s

    @property
    def client_cpu_pct(self) -> float:
        return 100 * self.samples.client_cpu_s / self.wall_s


def ramp_for(reps: int) -> float:
    return max(4.0, reps / 40)


def measure_step(server: BenchServer, reps: int, steady_s: float) -> StepResult:
    """Run ``reps`` reps; CPU and RSS are read over the steady window, from /proc."""
    ramp = ramp_for(reps)
    marks: dict[str, float] = {"rss_base": rss_mb(server.pid)}

    def sample() -> None:
        time.sleep(3.0 + ramp)  # run_load starts the reps 3 s after it is called
        marks["cpu0"], marks["t0"] = cpu_seconds(server.pid), time.monotonic()
        time.sleep(steady_s - 0.5)
        marks["cpu1"], marks["t1"] = cpu_seconds(server.pid), time.monotonic()
        marks["rss"] = rss_mb(server.pid)

    sampler = threading.Thread(target=sample, daemon=True)
    start = time.monotonic()
    sampler.start()
    samples = run_load(server.url, server.tokens, reps, ramp, steady_s)
    sampler.join(10)
    wall = time.monotonic() - start
    cpu = (
        100
        * (marks.get("cpu1", 0) - marks.get("cpu0", 0))
        / max(1e-6, marks.get("t1", 1) - marks.get("t0", 0))
    )
    return StepResult(
        reps, samples, steady_s, wall, cpu, marks["rss_base"], marks.get("rss", float("nan"))
    )
