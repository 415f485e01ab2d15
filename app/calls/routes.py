from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth.guard import auth_required, current_principal
from app.container import get_services
from app.schemas.call import (
    CallListSchema,
    CallQuerySchema,
    CallSchema,
    CallUpdateSchema,
    CorrectedLineSchema,
    FeedbackSchema,
    SpeakerCorrectionSchema,
    SuggestionListSchema,
    TranscriptSchema,
)
from app.services import calls

blp = Blueprint("calls", __name__, url_prefix="/api/v1/calls", description="Stored calls")


@blp.route("")
@auth_required()
@blp.arguments(CallQuerySchema, location="query")
@blp.response(200, CallListSchema)
def list_calls(args: dict[str, Any]) -> dict[str, Any]:
    """Newest first; reps see their own calls, coaches and admins their team's."""
    page, per_page = args.pop("page"), args.pop("per_page")
    return calls.list_calls(current_principal(), calls.CallFilters(**args), page, per_page)


@blp.route("/<call_id>")
class CallItem(MethodView):
    decorators = [auth_required()]

    @blp.response(200, CallSchema)
    def get(self, call_id: str) -> dict[str, Any]:
        return calls.call_view(calls.get_call(current_principal(), call_id))

    @blp.arguments(CallUpdateSchema)
    @blp.response(200, CallSchema)
    def patch(self, data: dict[str, Any], call_id: str) -> dict[str, Any]:
        """Edit the title, the setup (goal, prospect, notes) or the outcome."""
        return calls.call_view(calls.update_call(current_principal(), call_id, data))

    @blp.response(204)
    def delete(self, call_id: str) -> None:
        """Delete the call with its utterances, suggestions and analysis."""
        calls.delete_call(current_principal(), call_id)


@blp.route("/<call_id>/transcript")
@auth_required()
@blp.response(200, TranscriptSchema)
def transcript(call_id: str) -> dict[str, Any]:
    return {"items": calls.transcript(current_principal(), call_id)}


@blp.route("/<call_id>/utterances/<utterance_id>", methods=["PATCH"])
@auth_required()
@blp.arguments(SpeakerCorrectionSchema)
@blp.response(200, CorrectedLineSchema)
def correct_speaker(data: dict[str, str], call_id: str, utterance_id: str) -> dict[str, Any]:
    """Re-attribute a line of a one-microphone call (the call room hears it live)."""
    request = {"call_id": call_id, "utterance_id": utterance_id, "source": data["source"]}
    return get_services().sessions.correct(current_principal(), request)


@blp.route("/<call_id>/suggestions")
@auth_required()
@blp.response(200, SuggestionListSchema)
def suggestions(call_id: str) -> dict[str, Any]:
    return {"items": calls.suggestions(current_principal(), call_id)}


@blp.route("/<call_id>/suggestions/<suggestion_id>/feedback", methods=["POST"])
@auth_required()
@blp.arguments(FeedbackSchema)
@blp.response(204)
def feedback(data: dict[str, str], call_id: str, suggestion_id: str) -> None:
    """Mark a suggestion `used` or `dismissed`."""
    calls.record_feedback(current_principal(), call_id, suggestion_id, data["action"])
