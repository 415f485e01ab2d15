"""The ``call:join`` ack: what a coach joining a live call sees first."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.schemas.call import SuggestionSchema, UtteranceSchema
from app.schemas.guidance import GuidanceSchema


class JoinCallSchema(Schema):
    id = fields.Str()
    title = fields.Str()
    state = fields.Str()
    user_id = fields.Str()
    started_at = fields.DateTime()
    goal = fields.Str(allow_none=True)


class JoinUtteranceSchema(UtteranceSchema):
    is_final = fields.Constant(True)


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


class JoinSnapshotSchema(Schema):
    call = fields.Nested(JoinCallSchema)
    transcript = fields.List(fields.Nested(JoinUtteranceSchema))
    suggestions = fields.List(fields.Nested(SuggestionSchema(only=JOIN_SUGGESTION_FIELDS)))
    guidance = fields.Nested(GuidanceSchema, allow_none=True)
