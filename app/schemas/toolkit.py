"""Toolkit entries: the team's playbook."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models.toolkit import TOOLKIT_KINDS

Phrase = fields.Str(validate=validate.Length(min=1, max=120))
SPEAKERS = ("rep", "prospect")


class ToolkitEntrySchema(Schema):
    id = fields.Str(dump_only=True)
    kind = fields.Str(required=True, validate=validate.OneOf(TOOLKIT_KINDS))
    name = fields.Str(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,79}$"))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    talk_track = fields.Str(load_default="", validate=validate.Length(max=4000))
    triggers = fields.List(Phrase, load_default=list, validate=validate.Length(max=50))
    negative_triggers = fields.List(Phrase, load_default=list, validate=validate.Length(max=50))
    speakers = fields.List(
        fields.Str(validate=validate.OneOf(SPEAKERS)),
        load_default=lambda: ["prospect"],
        validate=validate.Length(max=2),
    )
    cooldown_s = fields.Float(load_default=60.0, validate=validate.Range(min=0, max=3600))
    max_per_call = fields.Int(load_default=3, validate=validate.Range(min=1, max=100))


class ToolkitListSchema(Schema):
    items = fields.List(fields.Nested(ToolkitEntrySchema))
