"""Calls, utterances and suggestions as the REST API shows them."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.events import CALL_STATES, SOURCES, STORED_SOURCES
from app.schemas.common import BoundedDateTime, PaginationQuerySchema
from app.schemas.guidance import GuidanceSchema
from app.schemas.text import Text

OUTCOMES = ("won", "lost", "follow_up", "no_decision", "other")
ORIGINS = ("playbook", "llm")
FEEDBACK = ("used", "dismissed")


class CallUserSchema(Schema):
    id = fields.Str(required=True)
    name = fields.Str(required=True)


class CallConsentSchema(Schema):
    mode = fields.Str(
        allow_none=True,
        validate=validate.OneOf(("off", "reminder", "required")),
        metadata={"description": "off, reminder or required"},
    )
    text = fields.Str(allow_none=True)
    confirmed_at = fields.DateTime(allow_none=True)
    confirmed_by = fields.Nested(CallUserSchema, allow_none=True)


class CallSchema(Schema):
    id = fields.Str(dump_only=True, required=True)
    title = fields.Str(required=True)
    state = fields.Str(required=True, validate=validate.OneOf(CALL_STATES))
    user = fields.Nested(CallUserSchema, required=True)
    started_at = fields.DateTime(required=True)
    ended_at = fields.DateTime(allow_none=True, required=True)
    duration_s = fields.Float(allow_none=True, required=True)
    outcome = fields.Str(allow_none=True, required=True)
    notes = fields.Str(allow_none=True, required=True)
    goal = fields.Str(allow_none=True, required=True)
    prospect_name = fields.Str(allow_none=True, required=True)
    prospect_company = fields.Str(allow_none=True, required=True)
    guidance = fields.Nested(GuidanceSchema, allow_none=True, required=True)
    transcriber = fields.Str(required=True)
    coach = fields.Str(required=True)
    consent = fields.Nested(CallConsentSchema, required=True)
    utterance_count = fields.Int(required=True)
    suggestion_count = fields.Int(required=True)
    snippet = fields.Str(allow_none=True)


class CallListSchema(Schema):
    items = fields.List(fields.Nested(CallSchema), required=True)
    total = fields.Int(required=True)
    page = fields.Int(required=True)
    per_page = fields.Int(required=True)


class CallQuerySchema(PaginationQuerySchema):
    q = Text(validate=validate.Length(min=1, max=200))
    from_ = BoundedDateTime(data_key="from")
    to = BoundedDateTime()
    user_id = Text(validate=validate.Length(max=32))
    state = fields.Str(validate=validate.OneOf(CALL_STATES))

    @validates_schema
    def _range_is_ordered(self, data: dict[str, object], **_: object) -> None:
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:  # type: ignore[operator]
            raise ValidationError("'from' must be before 'to'.", field_name="from")


class CallUpdateSchema(Schema):
    title = Text(validate=validate.Length(min=1, max=200))
    notes = Text(allow_none=True, multiline=True, validate=validate.Length(max=10_000))
    goal = Text(allow_none=True, multiline=True, validate=validate.Length(max=500))
    prospect_name = Text(allow_none=True, validate=validate.Length(max=200))
    prospect_company = Text(allow_none=True, validate=validate.Length(max=200))
    outcome = fields.Str(allow_none=True, validate=validate.OneOf(OUTCOMES))


class AttributionSchema(Schema):
    method = fields.Str(required=True)
    confidence = fields.Float(required=True)


class UtteranceSchema(Schema):
    utterance_id = fields.Str(attribute="id", required=True)
    source = fields.Str(required=True, validate=validate.OneOf(STORED_SOURCES))
    text = fields.Str(required=True)
    start_ms = fields.Int(required=True)
    end_ms = fields.Int(required=True)
    confidence = fields.Float(required=True)
    # On a one-microphone call: how the line's speaker was attributed (null otherwise).
    attribution = fields.Nested(AttributionSchema, allow_none=True)


class SpeakerCorrectionSchema(Schema):
    source = fields.Str(required=True, validate=validate.OneOf(SOURCES))


class CorrectedLineSchema(Schema):
    call_id = fields.Str(required=True)
    utterance_id = fields.Str(required=True)
    source = fields.Str(required=True, validate=validate.OneOf(SOURCES))
    attribution = fields.Nested(AttributionSchema, required=True)
    by = fields.Str(metadata={"description": "The user who corrected the line."})


class TranscriptSchema(Schema):
    items = fields.List(fields.Nested(UtteranceSchema), required=True)


class SuggestionSchema(Schema):
    suggestion_id = fields.Str(attribute="id", required=True)
    call_id = fields.Str(required=True)
    kind = fields.Str(required=True)
    title = fields.Str(required=True)
    body = fields.Str(required=True)
    origin = fields.Str(required=True, validate=validate.OneOf(ORIGINS))
    trigger_utterance_id = fields.Str(allow_none=True, required=True)
    status = fields.Str(required=True, dump_default="final", validate=validate.OneOf(("final",)))
    latency_ms = fields.Int(required=True)
    feedback = fields.Str(allow_none=True, required=True, validate=validate.OneOf(FEEDBACK))
    created_at = fields.DateTime(required=True)


class SuggestionListSchema(Schema):
    items = fields.List(fields.Nested(SuggestionSchema), required=True)


class FeedbackSchema(Schema):
    action = fields.Str(required=True, validate=validate.OneOf(FEEDBACK))
