"""The named targets of docs/performance.json, and the document itself.

Every name below is always present in the JSON: a target that this run did not measure
(its benchmark was not selected, or failed) says so with ``measured: null, met: false``,
so nobody reads an old figure as HEAD's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.report import Table, Target

# slug -> (goal as text, unit)
NAMED: dict[str, tuple[str, str]] = {
    "live_calls_one_process": (">= 500 calls held by ack, interim and final p99", "calls"),
    "live_calls_two_processes": (">= 800 calls held (goal 1,000), two workers + Redis", "calls"),
    "pipeline_over_floor_cpu": ("<= 1.5x the echo floor's CPU per event", "ratio"),
    "local_asr_concurrent_calls": (">= 8 two-sided calls, final p95 < 1.5 s", "calls"),
    "moment_card_after_speech_end_p50_s": ("<= 0.6 s median over the dev set spoken", "s"),
    "search_p95_ms_100k": ("< 150 ms p95, worst of both databases", "ms"),
    "soak_rss_slope_mb_per_min": ("< 0.5 MB/min after warm-up, 30 minutes", "MB/min"),
    "audio_kbps_two_sided_call": ("<= 64 kbit/s", "kbit/s"),
}


def _entry(target: Target) -> dict[str, Any]:
    return {
        "goal": target.goal,
        "measured": target.value,
        "unit": target.unit,
        "met": target.met,
        "summary": target.measured,
    }


def document(machine: dict[str, str], date: str, profile: str, tables: list[Table]) -> dict:
    """The JSON document of one run: every named target, measured or marked as not."""
    measured = {t.slug: t for table in tables for t in table.targets if t.slug}
    targets: dict[str, Any] = {}
    for slug, (goal, unit) in NAMED.items():
        if slug in measured:
            targets[slug] = _entry(measured[slug])
        else:
            targets[slug] = {
                "goal": goal,
                "measured": None,
                "unit": unit,
                "met": False,
                "summary": "not measured in this run",
            }
    for slug, target in measured.items():
        targets.setdefault(slug, _entry(target))
    commit = machine.get("commit", "unknown")
    return {
        "commit": commit.removesuffix("+dirty"),
        "dirty": commit.endswith("+dirty"),
        "date": date,
        "profile": profile,
        "machine": machine,
        "targets": targets,
    }


def write(
    path: Path, machine: dict[str, str], date: str, profile: str, tables: list[Table]
) -> None:
    path.write_text(json.dumps(document(machine, date, profile, tables), indent=2) + "\n")
