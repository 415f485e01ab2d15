"""Analytics query parameters and report shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load

from app.schemas.common import bounded_utc

DEFAULT_DAYS = 90
MAX_DAYS = 731


class DateOrDateTime(fields.Field):
    """An ISO 8601 date (midnight UTC) or date-time (naive means UTC), within the bounds."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str):
            raise ValidationError("Not a valid date or date-time.")
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationError("Not a valid date or date-time.") from exc
        return bounded_utc(parsed)


class AnalyticsQuerySchema(Schema):
    """``[from, to)``; defaults: the last 90 days up to now. The order and the 731-day cap
    apply to the range after the defaults, whichever bounds were given."""

    from_ = DateOrDateTime(data_key="from")
    to = DateOrDateTime()

    @post_load
    def _defaults(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        end = data.get("to") or datetime.now(UTC)
        start = data.get("from_") or end - timedelta(days=DEFAULT_DAYS)
        if start >= end:
            raise ValidationError("'from' must be before 'to'.", field_name="from")
        if end - start > timedelta(days=MAX_DAYS):
            field = "to" if "to" in data else "from"
            raise ValidationError(f"At most {MAX_DAYS} days.", field_name=field)
        return {"start": start, "end": end}


class RepStatsSchema(Schema):
    user_id = fields.Str()
    name = fields.Str()
    calls = fields.Int()
    talk_time_s = fields.Float()
    avg_talk_ratio = fields.Float(allow_none=True)
    questions_per_call = fields.Float(allow_none=True)
    checklist_coverage = fields.Float(allow_none=True)
    suggestions_shown = fields.Int()
    suggestions_used = fields.Int()


class WeekStatsSchema(Schema):
    week = fields.Str(metadata={"description": "Monday of the week (UTC), YYYY-MM-DD"})
    calls = fields.Int()
    avg_talk_ratio = fields.Float(allow_none=True)
    questions_per_call = fields.Float(allow_none=True)
    checklist_coverage = fields.Float(allow_none=True)


class ObjectionStatsSchema(Schema):
    kind_name = fields.Str()
    count = fields.Int()
    used = fields.Int()


class AnalyticsReportSchema(Schema):
    from_ = fields.DateTime(data_key="from", attribute="from")
    to = fields.DateTime()
    reps = fields.List(fields.Nested(RepStatsSchema))
    weekly = fields.List(fields.Nested(WeekStatsSchema))
    objections = fields.List(fields.Nested(ObjectionStatsSchema))


__all__ = ["AnalyticsQuerySchema", "AnalyticsReportSchema"]
