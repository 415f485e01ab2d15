"""Runs the benchmarks, prints a table per benchmark, rewrites docs/performance.md.

``python -m bench.run --profile quick|full [--only live_load,floor] [--full soak] [--no-write]``
(``--full``: these modules run in the full profile whatever ``--profile`` says).
Each module in :data:`BENCHMARKS` exposes ``run(profile) -> list[Table]``; modules that are
not on this branch yet (storage, scale-out) are skipped with a note. A benchmark that fails
is reported as a table with its error code, and the others still run.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy: as wsgi.py

import argparse
import importlib
import logging
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import machine, perfdoc
from bench.report import Table

BENCHMARKS = [
    "bench.playbook_match",
    "bench.redaction",
    "bench.moments",  # moment detection accuracy and time on the labelled sets
    "bench.moments_spoken",  # the dev set spoken end to end through the local recognizer
    "bench.detection_cost",  # detector time, and the event loop with the encoder on or off it
    "bench.llm_overhead",
    "bench.live_load",  # also runs the floor (bench.floor) at the same loads
    "bench.e2e_latency",
    "bench.asr_local",
    "bench.opus_audio",  # Opus packets against PCM: accuracy and latency cost
    "bench.asr_capacity",  # two-sided calls the local recognizer carries
    "bench.soak",
    "bench.storage",  # branch search-exports
    "bench.scale",  # branch scale-ops: two workers + Redis
]
DOC = machine.ROOT / "docs" / "performance.md"
Runner = Callable[[str], list[Table]]


def load(name: str) -> Runner | None:
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise
    return getattr(module, "run", None)


def run_one(name: str, runner: Runner, profile: str) -> list[Table]:
    start = time.monotonic()
    try:
        tables = runner(profile)
    except Exception as exc:  # one broken benchmark must not lose the others' numbers
        traceback.print_exc()
        tables = [Table(name, ["error"], [[type(exc).__name__]])]
    elapsed = time.monotonic() - start
    for table in tables:
        table.notes.append(f"`{name}` took {elapsed:.0f} s in this run.")
    return tables


def run_all(names: list[str], profile: str, full: frozenset[str] = frozenset()) -> list[Table]:
    """Run ``names`` in ``profile``; those in ``full`` run in the full profile."""
    tables: list[Table] = []
    for name in names:
        runner = load(name)
        if runner is None:
            print(f"(skipped {name}: not on this branch)\n", flush=True)
            continue
        own = "full" if name in full else profile
        print(f"== {name} ({own})", flush=True)
        for table in run_one(name, runner, own):
            print(table.markdown(), flush=True)
            tables.append(table)
    return tables


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", choices=("quick", "full"), default="quick")
    parser.add_argument("--only", help="comma-separated module names, e.g. live_load,soak")
    parser.add_argument("--full", default="", help="modules run in the full profile anyway")
    parser.add_argument("--no-write", action="store_true", help="do not touch the docs")
    parser.add_argument("--doc", type=Path, default=DOC)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    names = BENCHMARKS
    if args.only:
        names = [f"bench.{n.strip()}" for n in args.only.split(",")]
    date = time.strftime("%Y-%m-%d %H:%M")
    start = time.monotonic()
    info = machine.describe("eventlet")
    full = frozenset(f"bench.{n.strip()}" for n in args.full.split(",") if n.strip())
    tables = run_all(names, args.profile, full)
    info["load average at end"] = machine.load_average()
    info["wall time"] = f"{time.monotonic() - start:.0f} s"
    print(f"all benchmarks: {info['wall time']}", flush=True)
    if not args.no_write:
        label = args.profile
        if full and args.profile != "full":
            label += " (full: " + ",".join(sorted(n.removeprefix("bench.") for n in full)) + ")"
        perfdoc.write(args.doc, info, date, label, tables)
        print(f"wrote {args.doc}")


if __name__ == "__main__":
    main()
