"""The documented shape of a call export (JSON), and the export query parameters."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.events import WithdrawReason
from app.schemas.call import CallQuerySchema
from app.schemas.guidance import GuidanceSchema

SINGLE_FORMATS = ("json", "csv", "pdf")
BULK_FORMATS = ("json", "csv")


class ExportUtteranceSchema(Schema):
    utterance_id = fields.Str(required=True)
    source = fields.Str(required=True, metadata={"description": "rep, prospect or unknown"})
    text = fields.Str(required=True)
    start_ms = fields.Int(required=True)
    end_ms = fields.Int(required=True)
    confidence = fields.Float(required=True)


class ExportSuggestionSchema(Schema):
    suggestion_id = fields.Str(required=True)
    kind = fields.Str(required=True)
    title = fields.Str(required=True)
    body = fields.Str(required=True)
    origin = fields.Str(required=True)
    entry_name = fields.Str(required=True, allow_none=True)
    feedback = fields.Str(required=True, allow_none=True)
    withdrawn_reason = fields.Str(
        required=True,
        allow_none=True,
        validate=validate.OneOf([r.value for r in WithdrawReason]),
        metadata={
            "description": "set on a card fired on an interim that its final did not confirm "
            "(withdrawn live, never counted as shown); null: the card stood"
        },
    )
    created_at = fields.Str(required=True, metadata={"description": "ISO 8601, UTC"})


class ExportAnalysisSchema(Schema):
    status = fields.Str(required=True, metadata={"description": "pending/running/done/failed"})
    results = fields.Dict(required=True, allow_none=True)
    overrides = fields.Dict(required=True, allow_none=True)


class ConfirmerSchema(Schema):
    id = fields.Str(required=True)
    name = fields.Str(required=True)


class ExportConsentSchema(Schema):
    """Recording consent as it stood for the call (all null for calls from before it)."""

    mode = fields.Str(
        required=True, allow_none=True, metadata={"description": "off/reminder/required"}
    )
    text = fields.Str(required=True, allow_none=True, metadata={"description": "what the rep read"})
    confirmed_at = fields.Str(required=True, allow_none=True, metadata={"description": "ISO 8601"})
    confirmed_by = fields.Nested(ConfirmerSchema, required=True, allow_none=True)


class CallExportSchema(Schema):
    """One call as exported: the call, its live summary, analysis, transcript, suggestions."""

    id = fields.Str(required=True)
    title = fields.Str(required=True)
    state = fields.Str(required=True)
    user_id = fields.Str(required=True)
    user_name = fields.Str(required=True, allow_none=True)
    started_at = fields.Str(required=True, metadata={"description": "ISO 8601, UTC"})
    ended_at = fields.Str(required=True, allow_none=True)
    duration_s = fields.Float(required=True, allow_none=True)
    outcome = fields.Str(required=True, allow_none=True)
    notes = fields.Str(required=True, allow_none=True)
    goal = fields.Str(required=True, allow_none=True)
    prospect_name = fields.Str(required=True, allow_none=True)
    prospect_company = fields.Str(required=True, allow_none=True)
    guidance = fields.Nested(GuidanceSchema, required=True, allow_none=True)
    transcriber = fields.Str(required=True)
    coach = fields.Str(required=True)
    consent = fields.Nested(ExportConsentSchema, required=True)
    live_summary = fields.Dict(
        required=True, allow_none=True, metadata={"description": "metrics, checklist, stages"}
    )
    analysis = fields.Nested(ExportAnalysisSchema, required=True, allow_none=True)
    utterances = fields.List(fields.Nested(ExportUtteranceSchema), required=True)
    suggestions = fields.List(fields.Nested(ExportSuggestionSchema), required=True)


class SingleExportQuerySchema(Schema):
    format = fields.Str(load_default="json", validate=validate.OneOf(SINGLE_FORMATS))


class BulkExportQuerySchema(CallQuerySchema):
    """The list filters (q, from, to, user_id, state) plus the format; no pagination."""

    format = fields.Str(load_default="json", validate=validate.OneOf(BULK_FORMATS))

    class Meta:
        exclude = ("page", "per_page")
