"""The few numeric call metrics stored as columns at call end (analytics aggregate them)."""

from __future__ import annotations

from typing import Any

METRIC_COLUMNS = ("talk_ratio", "rep_talk_s", "prospect_talk_s", "questions_asked")


def stored_metrics(summary: dict[str, Any] | None) -> dict[str, Any]:
    """Column values from a coach's live summary (all None when there is no summary)."""
    metrics = (summary or {}).get("metrics") or {}
    values: dict[str, Any] = {name: metrics.get(name) for name in METRIC_COLUMNS}
    checklist = (summary or {}).get("checklist") or []
    done = sum(1 for item in checklist if isinstance(item, dict) and item.get("done"))
    values["checklist_coverage"] = round(done / len(checklist), 4) if checklist else None
    return values
