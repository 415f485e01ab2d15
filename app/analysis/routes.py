from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from app.auth.guard import auth_required, current_principal
from app.schemas.analysis import AnalysisSchema, ScoreOverridesSchema
from app.services.analysis import api as analysis

blp = Blueprint("analysis", __name__, url_prefix="/api/v1/calls", description="Post-call analysis")


@blp.route("/<call_id>/analysis", methods=["GET"])
@auth_required()
@blp.response(200, AnalysisSchema)
def get_analysis(call_id: str) -> dict[str, Any]:
    """`{status, ...results, overrides, scores}`; status is not_started, pending, running,
    done or failed (with `error_code`)."""
    return analysis.get_analysis(current_principal(), call_id)


@blp.route("/<call_id>/analysis", methods=["POST"])
@auth_required()
@blp.response(202, AnalysisSchema)
def rerun_analysis(call_id: str) -> dict[str, Any]:
    """Run the analysis again (409 `analysis_running` while a run holds it)."""
    return analysis.rerun(current_principal(), call_id)


@blp.route("/<call_id>/analysis/scores", methods=["PATCH"])
@auth_required("coach", "admin")
@blp.arguments(ScoreOverridesSchema)
@blp.response(200, AnalysisSchema)
def override_scores(scores: dict[str, Any], call_id: str) -> dict[str, Any]:
    """A coach's `{criterion: score}` (1-5, null removes), kept next to the AI's scores."""
    return analysis.override_scores(current_principal(), call_id, scores)
