"""The analysis endpoints' work: read, re-run, manager score overrides (team-scoped).

A call the caller cannot see (another team's, or another rep's for a rep) answers
``call_not_found``, exactly like the other call endpoints.
"""

from __future__ import annotations

from typing import Any

from app.container import get_services
from app.errors import AppError, ValidationFailed
from app.events import LIVE_STATES
from app.extensions import db
from app.models import CallAnalysis
from app.models.base import utcnow
from app.services import calls
from app.services.analysis import store
from app.services.analysis.rubric import criterion_names, rubric_for
from app.services.auth import Principal


def view(call_id: str, row: CallAnalysis | None) -> dict[str, Any]:
    """``{status, ...results, overrides, scores}``; ``scores`` is the final score per
    criterion (the manager's override where there is one, else the AI's)."""
    if row is None:
        return {"call_id": call_id, "status": "not_started", "overrides": {}, "scores": {}}
    results = dict(row.results or {})
    overrides = dict(row.overrides or {})
    scores = {card["criterion"]: card["score"] for card in results.get("scorecard", [])}
    scores.update({name: o["score"] for name, o in overrides.items()})
    return {
        **results,
        "call_id": call_id,
        "status": row.status,
        "attempts": row.attempts,
        "error_code": row.error_code,
        "created_at": row.created_at,
        "finished_at": row.finished_at,
        "overrides": overrides,
        "scores": scores,
    }


def get_analysis(principal: Principal, call_id: str) -> dict[str, Any]:
    calls.get_call(principal, call_id)
    return view(call_id, db.session.get(CallAnalysis, call_id))


def rerun(principal: Principal, call_id: str) -> dict[str, Any]:
    """Queue the analysis again (202); refused while the call is live or a run holds it."""
    call = calls.get_call(principal, call_id)
    if call.state in LIVE_STATES:
        raise AppError("The call has not ended yet.", code="call_not_ended", status=409)
    if not store.ensure_pending(call_id) and not store.reset_pending(call_id):
        raise AppError("The analysis is running.", code="analysis_running", status=409)
    get_services().analysis.dispatch([call_id])
    return view(call_id, db.session.get(CallAnalysis, call_id))


def override_scores(
    principal: Principal, call_id: str, scores: dict[str, int | None]
) -> dict[str, Any]:
    """Store a coach's scores next to the AI's (``null`` removes an override)."""
    call = calls.get_call(principal, call_id)
    allowed = criterion_names(rubric_for(call.team_id))
    unknown = sorted(set(scores) - set(allowed))
    if unknown:
        raise ValidationFailed(fields={name: ["Unknown criterion."] for name in unknown})
    row = db.session.get(CallAnalysis, call_id)
    if row is None:
        raise AppError("The call has no analysis yet.", code="analysis_not_found", status=404)
    overrides = dict(row.overrides or {})
    now = utcnow().isoformat()
    for name, score in scores.items():
        if score is None:
            overrides.pop(name, None)
        else:
            overrides[name] = {"score": score, "by": principal.user_id, "at": now}
    row.overrides = overrides
    db.session.commit()
    return view(call_id, row)
