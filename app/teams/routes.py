"""The team's own settings: recording consent and redaction (admins only)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth.guard import auth_required, current_principal
from app.schemas.privacy import TeamSettingsSchema, TeamSettingsUpdateSchema
from app.services import privacy

blp = Blueprint("teams", __name__, url_prefix="/api/v1/team", description="Team settings")


@blp.route("/settings")
class TeamSettings(MethodView):
    decorators = [auth_required("admin")]

    @blp.response(200, TeamSettingsSchema)
    def get(self) -> dict[str, Any]:
        """Consent mode and text, redaction kinds, and what the rep's live view shows."""
        return privacy.settings_for(current_principal().team_id).view()

    @blp.arguments(TeamSettingsUpdateSchema)
    @blp.response(200, TeamSettingsSchema)
    def patch(self, data: dict[str, Any]) -> dict[str, Any]:
        """Change any of the settings; applies to calls started afterwards."""
        return privacy.update(current_principal().team_id, data).view()
