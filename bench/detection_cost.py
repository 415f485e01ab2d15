"""What moment detection costs a live server: the detector's own time, and the event loop.

Run alone: ``.venv/bin/python -m bench.detection_cost``. Three figures, honestly apart:

- **detector time per utterance**: one encoder pass plus the classifier on a text seen for
  the first time, inline (what the CPU spends; on an OS thread in a live server).
- **loop time per utterance**: what the event loop itself spends on detection with the lane:
  the phrase index, the classifier product on the cached vector, the lane's bookkeeping.
- **loop stall with N calls**: a subprocess monkey-patched by eventlet runs ``CALLS`` coaches
  that each receive a dev-set final every ``EVERY_S`` seconds (every text new, so every one
  needs the encoder) while a 10 ms ticker measures how late the loop wakes it. Once with the
  encoder inline on the loop (as before the lane), once through the lane and pump.
  Card delay = card emitted − final delivered.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy: as wsgi.py

import json
import subprocess
import sys
import time
from pathlib import Path

from bench.moments import SETS, load_set
from bench.report import Table, Target, ms, pct

ROOT = Path(__file__).resolve().parent.parent
CALLS, EVERY_S, RUN_S = 40, 4.0, 15.0

STALL = """
import eventlet
eventlet.monkey_patch()
import json, random, sys, time
from app.services.coaching.base import CallContext, Utterance
from app.services.coaching.coach import CoachSettings, LiveCallCoach
from app.services.coaching.encode_pump import get_pump
from app.services.coaching.playbook import warm_up
from app.services.coaching.toolkit_data import default_toolkit_items
from app.services.concurrency import spawn

offload, calls, every, run_s = sys.argv[1] == "lane", int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
texts = [l.split("\\t", 1)[1] for l in open(sys.argv[5]) if l.strip() and not l.startswith("#")]
warm_up()
gaps, calls_ms, delays = [], [], []

class Sink:
    def __init__(self): self.sent = {}
    def suggestion(self, e):
        at = self.sent.pop(e.trigger_utterance_id, None)
        if at is not None: delays.append((time.monotonic() - at) * 1000)
    def withdrawn(self, e, r): pass
    def metrics(self, p): pass
    def nudge(self, e): pass
    def guidance(self, p): pass
    def degraded(self, r): pass
    def recovered(self): pass

def tick(stop):
    while time.monotonic() < stop:
        t = time.monotonic(); time.sleep(0.01); gaps.append((time.monotonic() - t - 0.01) * 1000)

ITEMS = default_toolkit_items()

def call(n, stop, lines, begin):
    sink = Sink()
    coach = LiveCallCoach(CallContext(f"c{n}", "t", None, ITEMS), sink,
                          settings=CoachSettings(offload_detection=offload))
    time.sleep(max(0.0, begin - time.monotonic()) + random.random() * every)
    k = 0
    while time.monotonic() < stop:
        text = next(lines); now = time.monotonic()
        sink.sent[f"u{k}"] = now
        if k == 0: coach.on_interim(Utterance("i", "prospect", "hi", 0, 1))  # starts the lane
        t = time.perf_counter()
        coach.on_final(Utterance(f"u{k}", "prospect", text, k * 3000, k * 3000 + 2500, received_at=now))
        calls_ms.append((time.perf_counter() - t) * 1000)
        k += 1
        time.sleep(every)
    coach.close()

random.seed(1)
lines = iter(texts * 10)
begin = time.monotonic() + 3.0  # the coaches are built before the ticker starts
stop = begin + run_s
workers = [spawn(call, n, stop, lines, begin) for n in range(calls if sys.argv[1] != "none" else 0)]
time.sleep(max(0.0, begin - time.monotonic()))
ticker = spawn(tick, stop)
for w in [*workers, ticker]: w.join()
stats = get_pump().stats if offload else None
print(json.dumps({"gaps": gaps, "calls": calls_ms, "delays": delays,
                  "passes": stats.passes if stats else 0, "texts": stats.texts if stats else 0,
                  "expired": stats.expired if stats else 0}))
"""


def _stall(mode: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    args = [mode, str(CALLS), str(EVERY_S), str(RUN_S), str(SETS["dev"])]
    proc = subprocess.run(
        [sys.executable, "-c", STALL, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=RUN_S + 180,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _inline_times() -> tuple[list[float], list[float]]:
    """Per dev utterance: first-pass detection (encoder + classifier), and the loop's share
    with the vector cached (phrases + classifier)."""
    from app.services.coaching.base import Utterance
    from app.services.coaching.playbook import PlaybookMatcher
    from app.services.coaching.toolkit_data import default_toolkit_items

    items = default_toolkit_items()
    first, cached = [], []
    for row in load_set(SETS["dev"]):
        # A trailing space: the same tokens and words, but a text the encoder's cache has
        # not seen (bench.moments encodes the same set earlier in a `make bench` process).
        utterance = Utterance("u", "prospect", row.text + " ", 0, 1000)
        for out in (first, cached):
            matcher = PlaybookMatcher(items)
            start = time.perf_counter()
            matcher.match(utterance, limit=2)
            out.append((time.perf_counter() - start) * 1000)
    return first, cached


def _p(values: list[float]) -> str:
    return " / ".join(ms(pct(values, q)) for q in (50, 95))


def run(profile: str) -> list[Table]:
    del profile
    first, cached = _inline_times()
    times = Table(
        "Moment detection time per utterance (dev set, default toolkit, one BLAS thread)",
        ["what", "p50 / p95 ms"],
        [
            ["detector: encoder pass + classifier (first pass per text)", _p(first)],
            ["event loop with the lane: phrases + classifier on the cached vector", _p(cached)],
        ],
    )
    loop_p95 = pct(cached, 95)
    times.targets.append(
        Target("Detection on the event loop p95", "< 10 ms", f"{loop_p95:.2f} ms", loop_p95 < 10)
    )
    stall = Table(
        f"Event loop with {CALLS} calls, a new final per call every {EVERY_S:.0f} s "
        "(eventlet, in process, every text needs the encoder)",
        [
            "encoder",
            "finals",
            "on_final on the caller p50 / p95 ms",
            "card delay p50 / p95 ms",
            "loop lateness p99 / max ms",
            "texts per encoder pass",
            "phrase-only (deadline)",
        ],
    )
    modes = (
        ("none", "no calls (the machine's own lateness)"),
        ("inline", "inline on the loop (before)"),
        ("lane", "lane + pump"),
    )
    for mode, label in modes:
        r = _stall(mode)
        gaps = r["gaps"]
        per_pass = r["texts"] / r["passes"] if r["passes"] else float("nan")
        stall.rows.append(
            [
                label,
                str(len(r["calls"])),
                _p(r["calls"]),
                _p(r["delays"]),
                f"{ms(pct(gaps, 99))} / {ms(max(gaps, default=float('nan')))}",
                "-" if mode != "lane" else f"{per_pass:.1f}",
                "-" if mode != "lane" else str(r["expired"]),
            ]
        )
    stall.notes.append("Loop lateness: how late a 10 ms sleep wakes, minus 10 ms.")
    stall.notes.append(f"Load average at the end: {os.getloadavg()[0]:.1f} (2 cores, shared).")
    return [times, stall]


def main() -> None:
    for table in run("quick"):
        print(table.markdown())


if __name__ == "__main__":
    main()
