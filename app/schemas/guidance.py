"""The live guidance payload (the ``guidance`` socket event, and ``Call.guidance`` over REST)."""

from __future__ import annotations

from marshmallow import Schema, fields

ORIGINS = ("playbook", "llm")
STATUSES = ("partial", "final")


class GuidanceFocusSchema(Schema):
    what = fields.Str()
    why = fields.Str()
    urgency = fields.Str(metadata={"enum": ["low", "medium", "high"]})


class GuidanceQuestionSchema(Schema):
    primary = fields.Str()
    alternatives = fields.List(fields.Str())
    context = fields.Str()


class GuidanceObjectiveSchema(Schema):
    id = fields.Str(metadata={"description": "<stage>:<objective id>"})
    text = fields.Str()
    done = fields.Bool()


class GuidanceSchema(Schema):
    call_id = fields.Str()
    stage = fields.Str()
    stage_confidence = fields.Float()
    time_in_stage_s = fields.Float()
    focus = fields.Nested(GuidanceFocusSchema)
    key_questions = fields.List(fields.Nested(GuidanceQuestionSchema))
    talking_points = fields.List(fields.Str())
    objectives = fields.List(fields.Nested(GuidanceObjectiveSchema))
    origin = fields.Str(metadata={"enum": list(ORIGINS)})
    status = fields.Str(metadata={"enum": list(STATUSES)})
