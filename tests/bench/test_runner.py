"""The benchmark runner's plumbing on a trivial benchmark (no timing asserted)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from bench import perfdoc, run
from bench.report import Table, Target, pct, slope

MACHINE = {
    "cores": "2",
    "cpu": "x",
    "ram": "1 GB",
    "python": "3.11",
    "async mode": "eventlet",
    "commit": "abc123",
}


def trivial(profile: str) -> list[Table]:
    table = Table("Trivial", ["profile", "value"], [[profile, "42"]])
    table.targets.append(Target("Answer", "= 42", "42", True))
    table.targets.append(Target("Speed", "< 1 ms", "3 ms", False))
    table.key["answer"] = "42"
    return [table]


@pytest.fixture
def trivial_module(monkeypatch: pytest.MonkeyPatch) -> str:
    module = types.ModuleType("bench.trivial_for_test")
    module.run = trivial  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bench.trivial_for_test", module)
    return "trivial_for_test"


def test_runner_writes_tables_targets_and_machine(trivial_module: str, tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    run.main(["--profile", "quick", "--only", trivial_module, "--doc", str(doc)])
    text = doc.read_text()
    assert "### Trivial" in text and "| quick | 42 |" in text
    assert "| Answer | = 42 | 42 | met |" in text
    assert "| Speed | < 1 ms | 3 ms | **missed** |" in text
    assert "- cores: " in text and "- commit: " in text


def test_a_module_named_in_full_runs_in_the_full_profile(
    trivial_module: str, tmp_path: Path
) -> None:
    doc = tmp_path / "performance.md"
    run.main(["--only", trivial_module, "--full", trivial_module, "--doc", str(doc)])
    text = doc.read_text()
    assert "| full | 42 |" in text
    assert f"- profile: quick (full: {trivial_module})" in text


def test_history_keeps_the_last_five_runs_and_the_notes(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    for i in range(7):
        perfdoc.write(doc, {**MACHINE, "commit": f"c{i}"}, f"day {i}", "quick", trivial("quick"))
        if i == 0:
            doc.write_text(doc.read_text().replace("(none yet)", "profiling notes kept"))
    history = perfdoc.previous_history(doc.read_text())
    assert [row.split(" | ")[2] for row in history] == ["c6", "c5", "c4", "c3", "c2"]
    assert "answer 42" in history[0]
    assert "profiling notes kept" in doc.read_text()
    assert doc.read_text().count("### Trivial") == 1


def test_a_missing_benchmark_module_is_skipped_and_a_failing_one_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = types.ModuleType("bench.broken_for_test")

    def explode(profile: str) -> list[Table]:
        raise RuntimeError("boom")

    broken.run = explode  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bench.broken_for_test", broken)
    tables = run.run_all(["bench.not_on_this_branch", "bench.broken_for_test"], "quick")
    assert [t.rows for t in tables] == [[["RuntimeError"]]]


def test_percentiles_and_slope_are_interpolated() -> None:
    assert pct([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert pct([0.0, 10.0], 95) == pytest.approx(9.5)
    assert pct([], 50) != pct([], 50)  # NaN
    assert slope([(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]) == pytest.approx(2.0)
