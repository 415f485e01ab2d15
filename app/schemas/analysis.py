"""Post-call analyses as the REST API shows them, and the score-override body."""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, validates_schema

from app.schemas.text import is_clean
from app.services.analysis.rubric import MAX_SCORE, MIN_SCORE

ANALYSIS_STATUSES = ("not_started", "pending", "running", "done", "failed")


class EvidenceSchema(Schema):
    quote = fields.Str()
    at_ms = fields.Int()
    at = fields.Str()
    source = fields.Str()
    utterance_id = fields.Str()


class ItemSchema(Schema):
    text = fields.Str()
    owner = fields.Str(allow_none=True)
    at_ms = fields.Int(allow_none=True)
    at = fields.Str(allow_none=True)


class ScoreCardSchema(Schema):
    criterion = fields.Str()
    title = fields.Str()
    score = fields.Int()
    rationale = fields.Str()
    evidence = fields.List(fields.Nested(EvidenceSchema))
    engine = fields.Str()


class OverrideSchema(Schema):
    score = fields.Int()
    by = fields.Str()
    at = fields.Str()


class MissedOpportunitySchema(Schema):
    moment = fields.Str()
    instead = fields.Str()


class OutcomeSchema(Schema):
    label = fields.Str(metadata={"enum": ["won", "lost", "follow_up", "no_decision"]})
    reason = fields.Str()


class ReviewSchema(Schema):
    """The coaching review next to the rubric (app/services/analysis/review.py)."""

    what_worked = fields.List(fields.Str())
    missed_opportunities = fields.List(fields.Nested(MissedOpportunitySchema))
    tips = fields.List(fields.Str())
    outcome = fields.Nested(OutcomeSchema)
    origin = fields.Str(metadata={"enum": ["rules", "llm"]})


class AnalysisSchema(Schema):
    call_id = fields.Str()
    status = fields.Str(metadata={"enum": list(ANALYSIS_STATUSES)})
    attempts = fields.Int()
    error_code = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    engine = fields.Str(metadata={"description": "llm or extractive"})
    metrics = fields.Dict()
    summary = fields.Str()
    key_moments = fields.List(fields.Nested(EvidenceSchema))
    action_items = fields.List(fields.Nested(ItemSchema))
    next_steps = fields.List(fields.Nested(ItemSchema))
    scorecard = fields.List(fields.Nested(ScoreCardSchema))
    overrides = fields.Dict(keys=fields.Str(), values=fields.Nested(OverrideSchema))
    scores = fields.Dict(keys=fields.Str(), values=fields.Int())
    review = fields.Nested(ReviewSchema, allow_none=True)


class ScoreOverridesSchema(Schema):
    """``{criterion: score}`` with scores 1-5, or null to remove an override."""

    class Meta:
        unknown = INCLUDE

    @validates_schema(pass_original=True)
    def _scores(self, data: dict[str, Any], original: Any, **_: Any) -> None:
        if not isinstance(original, dict) or not original:
            raise ValidationError("Send at least one {criterion: score}.", field_name="_schema")
        errors = {}
        for name, score in original.items():
            valid = score is None or (
                isinstance(score, int)
                and not isinstance(score, bool)
                and MIN_SCORE <= score <= MAX_SCORE
            )
            if len(str(name)) > 64 or not is_clean(str(name)) or not valid:
                key = str(name)[:64] if is_clean(str(name)) else "_schema"
                errors[key] = [f"A whole score {MIN_SCORE}-{MAX_SCORE}, or null."]
        if errors:
            raise ValidationError(errors)
