"""Toolkit entries: the team's playbook. The one validation of entries, wherever they come
from (the API, `flask toolkit import`, the default toolkit file)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.toolkit import TOOLKIT_KINDS
from app.schemas.text import Text
from app.services.coaching.text import normalize

SPEAKERS = ("rep", "prospect")
Phrase = Text(validate=validate.Length(min=1, max=120))
MAX_EXAMPLES = 60


class ToolkitEntrySchema(Schema):
    id = fields.Str(dump_only=True, required=True)
    kind = fields.Str(required=True, validate=validate.OneOf(TOOLKIT_KINDS))
    name = fields.Str(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,79}$"))
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    talk_track = Text(load_default="", multiline=True, validate=validate.Length(max=4000))
    triggers = fields.List(Phrase, required=True, validate=validate.Length(min=1, max=50))
    negative_triggers = fields.List(Phrase, load_default=list, validate=validate.Length(max=50))
    speakers = fields.List(
        fields.Str(validate=validate.OneOf(SPEAKERS)),
        load_default=lambda: ["prospect"],
        validate=validate.Length(min=1, max=2),
    )
    cooldown_s = fields.Float(load_default=60.0, validate=validate.Range(min=0, max=3600))
    max_per_call = fields.Int(load_default=3, strict=True, validate=validate.Range(min=1, max=100))
    examples = fields.List(
        Text(validate=validate.Length(min=1, max=300)),
        load_default=list,
        validate=validate.Length(max=MAX_EXAMPLES),
    )
    threshold = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=0.2, max=0.95)
    )

    @validates_schema
    def _talk_track_unless_checklist(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("kind") != "checklist" and not data.get("talk_track", "").strip():
            raise ValidationError("A talk track is required.", field_name="talk_track")

    @validates_schema
    def _phrases_have_words(self, data: dict[str, Any], **_: Any) -> None:
        for field_name in ("triggers", "negative_triggers", "examples"):
            if any(not normalize(p) for p in data.get(field_name, [])):
                raise ValidationError(
                    "Every phrase needs at least one word.", field_name=field_name
                )


class ToolkitListSchema(Schema):
    items = fields.List(fields.Nested(ToolkitEntrySchema), required=True)


class ToolkitTrySchema(Schema):
    text = fields.Str(required=True, validate=validate.Length(min=1, max=1000))
    source = fields.Str(load_default="prospect", validate=validate.OneOf(SPEAKERS))


class TryEntrySchema(Schema):
    name = fields.Str(required=True)
    title = fields.Str(required=True)
    kind = fields.Str(required=True, validate=validate.OneOf(TOOLKIT_KINDS))
    score = fields.Float(
        required=True, allow_none=True, metadata={"description": "confidence 0-1 by meaning"}
    )
    threshold = fields.Float(required=True)
    by = fields.Str(
        validate=validate.OneOf(("phrase", "meaning")),
        metadata={"description": "phrase | meaning (only on fired)"},
    )


class ToolkitTryResultSchema(Schema):
    fired = fields.Nested(TryEntrySchema, required=True, allow_none=True)
    closest = fields.List(fields.Nested(TryEntrySchema), required=True)
