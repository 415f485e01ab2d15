"""Toolkit entries and stage guidance: the team's playbook. The one validation of both,
wherever they come from (the API, `flask toolkit import`, the default toolkit file)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from app.events import SOURCES
from app.models.toolkit import PANEL_KINDS, STAGES, TOOLKIT_KINDS
from app.schemas.text import Text
from app.services.coaching.text import normalize

URGENCIES = ("low", "medium", "high")
Phrase = Text(validate=validate.Length(min=1, max=120))
MAX_EXAMPLES = 60
Slug = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,79}$")
Line = Text(validate=validate.Length(min=1, max=500))


class TalkTrackSchema(Schema):
    text = Text(required=True, multiline=True, validate=validate.Length(min=1, max=4000))
    when_to_use = Text(load_default="", validate=validate.Length(max=500))


class ToolkitEntrySchema(Schema):
    id = fields.Str(dump_only=True, required=True)
    kind = fields.Str(required=True, validate=validate.OneOf(TOOLKIT_KINDS))
    name = fields.Str(required=True, validate=Slug)
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    talk_track = Text(
        load_default="",
        multiline=True,
        validate=validate.Length(max=4000),
        metadata={"description": "The first talk track's text (kept for older clients)."},
    )
    talk_tracks = fields.List(
        fields.Nested(TalkTrackSchema),
        validate=validate.Length(max=20),
        metadata={"description": "Scripts for this moment; the first is the card body."},
    )
    triggers = fields.List(Phrase, load_default=list, validate=validate.Length(max=50))
    negative_triggers = fields.List(Phrase, load_default=list, validate=validate.Length(max=50))
    speakers = fields.List(
        fields.Str(validate=validate.OneOf(SOURCES)),
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
        has_track = bool(data.get("talk_tracks")) or bool(data.get("talk_track", "").strip())
        if data.get("kind") != "checklist" and not has_track:
            raise ValidationError("A talk track is required.", field_name="talk_tracks")

    @validates_schema
    def _triggers_unless_panel_only(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("kind") not in PANEL_KINDS and not data.get("triggers"):
            raise ValidationError("At least one trigger is required.", field_name="triggers")

    @validates_schema
    def _phrases_have_words(self, data: dict[str, Any], **_: Any) -> None:
        for field_name in ("triggers", "negative_triggers", "examples"):
            if any(not normalize(p) for p in data.get(field_name, [])):
                raise ValidationError(
                    "Every phrase needs at least one word.", field_name=field_name
                )

    @post_load
    def _sync_talk_tracks(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """``talk_track`` alone becomes the only track; otherwise it mirrors the first."""
        tracks = data.get("talk_tracks")
        if not tracks:
            text = data.get("talk_track", "").strip()
            data["talk_tracks"] = [{"text": text, "when_to_use": ""}] if text else []
        data["talk_track"] = data["talk_tracks"][0]["text"] if data["talk_tracks"] else ""
        return data


class FocusSchema(Schema):
    what = Text(required=True, validate=validate.Length(min=1, max=200))
    why = Text(load_default="", validate=validate.Length(max=500))
    urgency = fields.Str(load_default="medium", validate=validate.OneOf(URGENCIES))


class ObjectiveSchema(Schema):
    id = fields.Str(required=True, validate=Slug)
    text = Text(required=True, validate=validate.Length(min=1, max=200))
    triggers = fields.List(Phrase, load_default=list, validate=validate.Length(max=50))


class KeyQuestionSchema(Schema):
    primary = Text(required=True, validate=validate.Length(min=1, max=300))
    alternatives = fields.List(
        Text(validate=validate.Length(min=1, max=300)),
        load_default=list,
        validate=validate.Length(max=6),
    )
    context = Text(load_default="", validate=validate.Length(max=300))


class StageGuidanceSchema(Schema):
    """One stage's playbook guidance (body of ``PUT /toolkit/stages/{stage}``)."""

    stage = fields.Str(validate=validate.OneOf(STAGES))
    focus = fields.Nested(FocusSchema, required=True)
    objectives = fields.List(
        fields.Nested(ObjectiveSchema), load_default=list, validate=validate.Length(max=12)
    )
    key_questions = fields.List(
        fields.Nested(KeyQuestionSchema), load_default=list, validate=validate.Length(max=10)
    )
    talking_points = fields.List(Line, load_default=list, validate=validate.Length(max=12))

    @validates_schema
    def _objective_ids_unique(self, data: dict[str, Any], **_: Any) -> None:
        ids = [o["id"] for o in data.get("objectives", [])]
        if len(ids) != len(set(ids)):
            raise ValidationError("Objective ids must be unique.", field_name="objectives")


class ToolkitListSchema(Schema):
    items = fields.List(fields.Nested(ToolkitEntrySchema), required=True)
    stages = fields.List(fields.Nested(StageGuidanceSchema), required=True)


class ToolkitTrySchema(Schema):
    text = Text(required=True, validate=validate.Length(min=1, max=1000))
    source = fields.Str(load_default="prospect", validate=validate.OneOf(SOURCES))


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
