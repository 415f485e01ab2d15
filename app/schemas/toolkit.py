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


class ToolkitEntrySchema(Schema):
    id = fields.Str(dump_only=True)
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

    @validates_schema
    def _talk_track_unless_checklist(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("kind") != "checklist" and not data.get("talk_track", "").strip():
            raise ValidationError("A talk track is required.", field_name="talk_track")

    @validates_schema
    def _phrases_have_words(self, data: dict[str, Any], **_: Any) -> None:
        for field_name in ("triggers", "negative_triggers"):
            if any(not normalize(p) for p in data.get(field_name, [])):
                raise ValidationError(
                    "Every phrase needs at least one word.", field_name=field_name
                )


class ToolkitListSchema(Schema):
    items = fields.List(fields.Nested(ToolkitEntrySchema))
