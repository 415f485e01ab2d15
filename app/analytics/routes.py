from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from sqlalchemy import select

from app.auth.guard import auth_required, current_principal
from app.errors import NotFound
from app.extensions import db
from app.models import User
from app.schemas.analytics import AnalyticsQuerySchema, AnalyticsReportSchema
from app.services import analytics

blp = Blueprint(
    "analytics", __name__, url_prefix="/api/v1/analytics", description="Team and rep analytics"
)


@blp.route("/team")
@auth_required("coach")
@blp.arguments(AnalyticsQuerySchema, location="query")
@blp.response(200, AnalyticsReportSchema)
def team(args: dict[str, Any]) -> dict[str, Any]:
    """Every rep of the caller's team, the weekly trend and objections (coaches, admins)."""
    return analytics.report(analytics.Scope(current_principal().team_id, **args))


@blp.route("/reps/<user_id>")
@auth_required()
@blp.arguments(AnalyticsQuerySchema, location="query")
@blp.response(200, AnalyticsReportSchema)
def rep(args: dict[str, Any], user_id: str) -> dict[str, Any]:
    """One user's figures: reps may read their own, coaches and admins anyone in the team."""
    principal = current_principal()
    if principal.role == "rep" and user_id != principal.user_id:
        raise NotFound("User not found.", code="user_not_found")
    found = db.session.scalar(
        select(User.id).where(User.id == user_id, User.team_id == principal.team_id)
    )
    if found is None:
        raise NotFound("User not found.", code="user_not_found")
    return analytics.report(analytics.Scope(principal.team_id, user_id=user_id, **args))
