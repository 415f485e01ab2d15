"""What limits the live load: the same pipeline steps with eventlet's websocket unmasking
replaced by a big-integer XOR (BENCH_FAST_WS_MASK=1, bench/server.py only).

Profiling the server under load (py-spy) shows eventlet's ``RFC6455WebSocket._apply_mask``
unmasking every client frame one byte at a time in Python: ~2-5 ms per 8,000-byte audio
chunk. This table shows what the pipeline does without that cost; the fix belongs in
app/serving.py (the one module allowed to name eventlet) if the lead adopts it.
"""

from __future__ import annotations

from bench.harness import BenchServer
from bench.live_load import STEADY_S, USERS
from bench.report import Table, ms, pct
from bench.step import StepResult, measure_step

STEPS = {"quick": [100, 200], "full": [50, 100, 200, 500, 750, 1000]}


def run_steps(profile: str) -> list[StepResult]:
    results = []
    for reps in STEPS[profile]:
        with BenchServer(users=USERS, BENCH_FAST_WS_MASK="1") as server:
            results.append(measure_step(server, reps, STEADY_S[profile]))
        print(f"  fast-mask N={reps}: p99 {results[-1].p99:.0f} ms", flush=True)
        if not results[-1].holds and len(results) >= 2 and not results[-2].holds:
            break
    return results


def run(profile: str) -> list[Table]:
    table = Table(
        "What-if: live load with vectorised websocket unmasking (not in production code)",
        [
            "N calls",
            "ack p50/p95/p99 ms",
            "transcript p99 ms",
            "errors",
            "server CPU %",
            "RSS per call KB",
            "holds",
        ],
    )
    for r in run_steps(profile):
        s = r.samples
        table.rows.append(
            [
                str(r.reps),
                " / ".join(ms(pct(s.ack_ms, q)) for q in (50, 95, 99)),
                ms(pct(s.transcript_ms, 99)),
                str(r.errors),
                f"{r.cpu_pct:.0f}",
                f"{r.rss_per_call_kb:.0f}",
                "yes" if r.holds else "no",
            ]
        )
    table.notes.append(__doc__.split("\n\n")[1].replace("\n", " ") if __doc__ else "")
    return [table]
