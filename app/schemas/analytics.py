"""Analytics query parameters and report shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validates_schema

DEFAULT_DAYS = 90
MAX_DAYS = 731


class DateOrDateTime(fields.Field):
    """An ISO 8601 date (midnight UTC) or date-time (naive means UTC)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str):
            raise ValidationError("Not a valid date or date-time.")
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationError("Not a valid date or date-time.") from exc
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class AnalyticsQuerySchema(Schema):
    """``[from, to)``; defaults: the last 90 days up to now."""

    from_ = DateOrDateTime(data_key="from")
    to = DateOrDateTime()

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("from_"), data.get("to")
        if start and end and start >= end:
            raise ValidationError("'from' must be before 'to'.", field_name="from")
        if start and end and end - start > timedelta(days=MAX_DAYS):
            raise ValidationError(f"At most {MAX_DAYS} days.", field_name="to")

    @post_load
    def _defaults(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        end = data.get("to") or datetime.now(UTC)
        start = data.get("from_") or end - timedelta(days=DEFAULT_DAYS)
        return {"start": start, "end": end}


class RepStatsSchema(Schema):
    user_id = fields.Str(required=True)
    name = fields.Str(required=True)
    calls = fields.Int(required=True)
    talk_time_s = fields.Float(required=True)
    avg_talk_ratio = fields.Float(allow_none=True, required=True)
    questions_per_call = fields.Float(allow_none=True, required=True)
    checklist_coverage = fields.Float(allow_none=True, required=True)
    suggestions_shown = fields.Int(required=True)
    suggestions_used = fields.Int(required=True)


class WeekStatsSchema(Schema):
    week = fields.Str(required=True, metadata={"description": "Monday of the week, YYYY-MM-DD"})
    calls = fields.Int(required=True)
    avg_talk_ratio = fields.Float(allow_none=True, required=True)
    questions_per_call = fields.Float(allow_none=True, required=True)
    checklist_coverage = fields.Float(allow_none=True, required=True)


class ObjectionStatsSchema(Schema):
    kind_name = fields.Str(required=True)
    count = fields.Int(required=True)
    used = fields.Int(required=True)


class AnalyticsReportSchema(Schema):
    from_ = fields.DateTime(data_key="from", attribute="from", required=True)
    to = fields.DateTime(required=True)
    reps = fields.List(fields.Nested(RepStatsSchema), required=True)
    weekly = fields.List(fields.Nested(WeekStatsSchema), required=True)
    objections = fields.List(fields.Nested(ObjectionStatsSchema), required=True)


__all__ = ["AnalyticsQuerySchema", "AnalyticsReportSchema"]
