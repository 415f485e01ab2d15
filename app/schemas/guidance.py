"""The live guidance payload (the ``guidance`` socket event, and ``Call.guidance`` over REST)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

ORIGINS = ("playbook", "llm")
STATUSES = ("partial", "final")
URGENCIES = ("low", "medium", "high")


class GuidanceFocusSchema(Schema):
    what = fields.Str(required=True)
    why = fields.Str(required=True)
    urgency = fields.Str(required=True, validate=validate.OneOf(URGENCIES))


class GuidanceQuestionSchema(Schema):
    primary = fields.Str(required=True)
    alternatives = fields.List(fields.Str(), required=True)
    context = fields.Str(required=True)


class GuidanceObjectiveSchema(Schema):
    id = fields.Str(required=True, metadata={"description": "<stage>:<objective id>"})
    text = fields.Str(required=True)
    done = fields.Bool(required=True)


class GuidanceSchema(Schema):
    call_id = fields.Str()
    stage = fields.Str(required=True)
    stage_confidence = fields.Float(required=True)
    time_in_stage_s = fields.Float(required=True)
    focus = fields.Nested(GuidanceFocusSchema, required=True)
    key_questions = fields.List(fields.Nested(GuidanceQuestionSchema), required=True)
    talking_points = fields.List(fields.Str(), required=True)
    objectives = fields.List(fields.Nested(GuidanceObjectiveSchema), required=True)
    origin = fields.Str(required=True, validate=validate.OneOf(ORIGINS))
    status = fields.Str(required=True, validate=validate.OneOf(STATUSES))
