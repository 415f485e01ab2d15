"""The floor: the same load against a bare python-socketio echo server (bench/echo_server.py)
in the same async mode, with the same ack pattern, events and payload sizes.

``live_load`` runs it at the same N right after the pipeline; ``run`` runs it alone.
"""

from __future__ import annotations

from bench.harness import BenchServer
from bench.report import Table, Target, ms, pct
from bench.step import StepResult, measure_step


def floor_step(reps: int, steady_s: float) -> StepResult:
    with BenchServer(module="bench.echo_server") as server:
        server.tokens = ["floor"]
        return measure_step(server, reps, steady_s)


def run_steps(steps: list[int], steady_s: float) -> list[StepResult]:
    results = []
    for reps in steps:
        results.append(floor_step(reps, steady_s))
        print(f"  floor N={reps}: p99 {results[-1].p99:.0f} ms", flush=True)
    return results


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b > 0 and a == a and b == b else "n/a"


def ratio_table(pipeline: list[StepResult], floors: list[StepResult]) -> Table:
    table = Table(
        "The floor: bare python-socketio echo server (eventlet), same load, same run",
        [
            "N calls",
            "floor ack p50/p99 ms",
            "floor transcript p99 ms",
            "floor CPU %",
            "floor errors",
            "pipeline/floor ack p50",
            "pipeline/floor p99",
            "pipeline/floor CPU",
            "throughput pipeline/floor",
        ],
    )
    for p, f in zip(pipeline, floors, strict=False):
        table.rows.append(
            [
                str(f.reps),
                f"{ms(pct(f.samples.ack_ms, 50))} / {ms(pct(f.samples.ack_ms, 99))}",
                ms(pct(f.samples.transcript_ms, 99)),
                f"{f.cpu_pct:.0f}",
                str(f.errors),
                _ratio(pct(p.samples.ack_ms, 50), pct(f.samples.ack_ms, 50)),
                _ratio(p.p99, f.p99),
                _ratio(p.cpu_pct, f.cpu_pct),
                f"{p.throughput / f.throughput:.2f}" if f.throughput else "n/a",
            ]
        )
    if floors:
        table.key["floor p99@50"] = f"{floors[0].p99:.0f} ms"
    if pipeline is not floors:
        table.targets.append(cpu_target(pipeline, floors))
    table.notes.append("Ratios > 1 are the pipeline's cost over the framework's floor.")
    return table


def cpu_per_chunk(step: StepResult) -> float:
    """Server CPU (percent of a core) per acknowledged chunk per second."""
    return step.cpu_pct / step.throughput if step.throughput else float("nan")


def cpu_target(pipeline: list[StepResult], floors: list[StepResult]) -> Target:
    """The pipeline's CPU per event over the floor's, at the largest N both hold."""
    both = [(p, f) for p, f in zip(pipeline, floors, strict=False) if p.holds and f.holds]
    if not both:
        return Target(
            "Pipeline CPU over the floor",
            "≤ 1.5x",
            "no N held by both",
            False,
            slug="pipeline_over_floor_cpu",
            unit="ratio",
        )
    p, f = max(both, key=lambda pair: pair[0].reps)
    ratio = cpu_per_chunk(p) / cpu_per_chunk(f)
    return Target(
        "Pipeline CPU over the floor",
        "≤ 1.5x the echo floor's CPU per event",
        f"{ratio:.2f}x at N={p.reps}",
        ratio <= 1.5,
        slug="pipeline_over_floor_cpu",
        value=round(ratio, 2),
        unit="ratio",
    )


def run(profile: str) -> list[Table]:
    steps = [50, 100, 200, 500] if profile == "quick" else [50, 100, 200, 500, 1000]
    floors = run_steps(steps, 20.0)
    return [ratio_table(floors, floors)]
