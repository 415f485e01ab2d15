"""The ``call:join`` ack: what a coach joining a live call sees first."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.events import CALL_STATES
from app.schemas.call import SuggestionSchema, UtteranceSchema
from app.schemas.guidance import GuidanceSchema


class JoinCallSchema(Schema):
    id = fields.Str(required=True)
    title = fields.Str(required=True)
    state = fields.Str(required=True, validate=validate.OneOf(CALL_STATES))
    user_id = fields.Str(required=True)
    started_at = fields.DateTime(required=True)
    goal = fields.Str(allow_none=True, required=True)


class JoinUtteranceSchema(UtteranceSchema):
    is_final = fields.Bool(required=True, dump_default=True)


JOIN_SUGGESTION_FIELDS = (
    "suggestion_id",
    "kind",
    "title",
    "body",
    "origin",
    "status",
    "trigger_utterance_id",
    "latency_ms",
)


class JoinSuggestionSchema(SuggestionSchema):
    class Meta:
        fields = JOIN_SUGGESTION_FIELDS


class JoinSnapshotSchema(Schema):
    call = fields.Nested(JoinCallSchema, required=True)
    transcript = fields.List(fields.Nested(JoinUtteranceSchema), required=True)
    suggestions = fields.List(fields.Nested(JoinSuggestionSchema), required=True)
    guidance = fields.Nested(GuidanceSchema, allow_none=True, required=True)
