"""Calls, utterances and suggestions as the REST API shows them."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.call import CALL_STATES
from app.schemas.common import BoundedDateTime, PaginationQuerySchema
from app.schemas.guidance import GuidanceSchema
from app.schemas.text import Text

OUTCOMES = ("won", "lost", "follow_up", "no_decision", "other")


class CallUserSchema(Schema):
    id = fields.Str()
    name = fields.Str()


class CallSchema(Schema):
    id = fields.Str(dump_only=True)
    title = fields.Str()
    state = fields.Str()
    user = fields.Nested(CallUserSchema)
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    duration_s = fields.Float(allow_none=True)
    outcome = fields.Str(allow_none=True)
    notes = fields.Str(allow_none=True)
    goal = fields.Str(allow_none=True)
    prospect_name = fields.Str(allow_none=True)
    prospect_company = fields.Str(allow_none=True)
    guidance = fields.Nested(GuidanceSchema, allow_none=True)
    transcriber = fields.Str()
    coach = fields.Str()
    utterance_count = fields.Int()
    suggestion_count = fields.Int()
    snippet = fields.Str(allow_none=True)


class CallListSchema(Schema):
    items = fields.List(fields.Nested(CallSchema))
    total = fields.Int()
    page = fields.Int()
    per_page = fields.Int()


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


class UtteranceSchema(Schema):
    utterance_id = fields.Str(attribute="id")
    source = fields.Str()
    text = fields.Str()
    start_ms = fields.Int()
    end_ms = fields.Int()
    confidence = fields.Float()


class TranscriptSchema(Schema):
    items = fields.List(fields.Nested(UtteranceSchema))


class SuggestionSchema(Schema):
    suggestion_id = fields.Str(attribute="id")
    call_id = fields.Str()
    kind = fields.Str()
    title = fields.Str()
    body = fields.Str()
    origin = fields.Str()
    trigger_utterance_id = fields.Str(allow_none=True)
    status = fields.Constant("final")
    latency_ms = fields.Int()
    feedback = fields.Str(allow_none=True)
    created_at = fields.DateTime()


class SuggestionListSchema(Schema):
    items = fields.List(fields.Nested(SuggestionSchema))


class FeedbackSchema(Schema):
    action = fields.Str(required=True, validate=validate.OneOf(("used", "dismissed")))
