"""The load benchmarks' pass rule and the named-target JSON (no timing measured here)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from bench import perfdoc, targets
from bench.load_client import Samples
from bench.passrule import P99_LIMIT_MS, holds, worst_p99
from bench.report import Table, Target
from bench.step import StepResult

FAST = [10.0] * 200


def step(ack: list[float], interim: list[float], final: list[float]) -> StepResult:
    samples = Samples(ack_ms=ack, interim_ms=interim, final_ms=final)
    samples.transcript_ms = interim + final
    return StepResult(50, samples, 20.0, 25.0, 50.0, 100.0, 110.0)


def test_slow_finals_fail_a_step_even_when_pooled_transcripts_look_fast() -> None:
    # One final in five is slow: pooled with the interims it sits above the p99 line,
    # so the pooled p99 is fast, but the finals' own p99 is over the limit.
    interim = [20.0] * 800
    final = [20.0] * 196 + [400.0] * 4
    pooled_p99 = sorted(interim + final)[int(0.99 * 999)]
    assert pooled_p99 < P99_LIMIT_MS
    result = step(FAST, interim, final)
    assert not result.holds
    assert result.p99 > P99_LIMIT_MS


def test_a_step_holds_when_ack_interim_and_final_are_each_within_the_limit() -> None:
    assert step(FAST, FAST, FAST).holds


def test_slow_acks_or_any_error_fail_a_step() -> None:
    assert not step([300.0] * 200, FAST, FAST).holds
    assert not holds({"ack": FAST, "interim": FAST, "final": FAST}, errors=1)


def test_a_stream_without_samples_does_not_hold() -> None:
    assert not step(FAST, FAST, []).holds
    assert math.isnan(worst_p99({"ack": FAST, "final": []}))


def test_performance_json_names_every_target_and_marks_the_unmeasured(tmp_path: Path) -> None:
    table = Table("Live load", ["N"], [["200"]])
    table.targets.append(
        Target(
            "Concurrent live calls", ">= 500", "200", False, "live_calls_one_process", 200, "calls"
        )
    )
    machine = {"commit": "abc1234+dirty", "cores": "2"}
    perfdoc.write(tmp_path / "performance.md", machine, "2026-12-01 20:00", "quick", [table])
    doc = json.loads((tmp_path / "performance.json").read_text())
    assert doc["commit"] == "abc1234" and doc["dirty"] is True and doc["profile"] == "quick"
    assert set(targets.NAMED) <= set(doc["targets"])
    live = doc["targets"]["live_calls_one_process"]
    assert live["measured"] == 200 and live["met"] is False and live["unit"] == "calls"
    soak = doc["targets"]["soak_rss_slope_mb_per_min"]
    assert soak["measured"] is None and soak["met"] is False
