from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_smorest import Blueprint

from app.auth.guard import auth_required, current_principal
from app.models import ToolkitEntry
from app.schemas.toolkit import (
    StageGuidanceSchema,
    ToolkitEntrySchema,
    ToolkitListSchema,
    ToolkitTryResultSchema,
    ToolkitTrySchema,
)
from app.services import toolkit, toolkit_stages
from app.services.coaching.explain import try_sentence
from app.services.coaching.toolkit_data import to_items
from app.services.concurrency import offload

blp = Blueprint("toolkit", __name__, url_prefix="/api/v1/toolkit", description="Team playbook")


@blp.route("")
@auth_required()
@blp.response(200, ToolkitListSchema)
@blp.alt_response(304, description="Unchanged since the ETag sent in If-None-Match")
def get_toolkit() -> Response:
    """The team's entries and stage guidance; send If-None-Match with the ETag to get 304
    when unchanged."""
    team_id = current_principal().team_id
    etag = f'"tk-{team_id}-{toolkit.version(team_id)}"'
    if etag in request.if_none_match.as_set(include_weak=True) or request.if_none_match.contains(
        etag.strip('"')
    ):
        response = Response(status=304)
    else:
        body = {"items": toolkit.entries_for(team_id), "stages": toolkit_stages.stages_for(team_id)}
        response = jsonify(ToolkitListSchema().dump(body))
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blp.route("", methods=["POST"])
@auth_required("admin")
@blp.arguments(ToolkitEntrySchema)
@blp.response(201, ToolkitEntrySchema)
def create_entry(data: dict[str, Any]) -> ToolkitEntry:
    return toolkit.create_entry(current_principal().team_id, data)


@blp.route("/<entry_id>", methods=["PUT"])
@auth_required("admin")
@blp.arguments(ToolkitEntrySchema)
@blp.response(200, ToolkitEntrySchema)
def update_entry(data: dict[str, Any], entry_id: str) -> ToolkitEntry:
    return toolkit.update_entry(current_principal().team_id, entry_id, data)


@blp.route("/<entry_id>", methods=["DELETE"])
@auth_required("admin")
@blp.response(204)
def delete_entry(entry_id: str) -> None:
    toolkit.delete_entry(current_principal().team_id, entry_id)


@blp.route("/stages/<stage>", methods=["PUT"])
@auth_required("admin")
@blp.arguments(StageGuidanceSchema)
@blp.response(200, StageGuidanceSchema)
def update_stage(data: dict[str, Any], stage: str) -> dict[str, Any]:
    """Replace one stage's focus, objectives, key questions and talking points."""
    return toolkit_stages.update_stage(current_principal().team_id, stage, data)


@blp.route("/try", methods=["POST"])
@auth_required()
@blp.arguments(ToolkitTrySchema)
@blp.response(200, ToolkitTryResultSchema)
def try_toolkit(data: dict[str, Any]) -> dict[str, Any]:
    """Which entry of the team's toolkit this sentence would card, with its score."""
    items = to_items(toolkit.entries_for(current_principal().team_id))
    # The encoder (and, for a new toolkit, the classifier's training) runs off the loop.
    return offload(try_sentence, items, data["text"], data["source"])
