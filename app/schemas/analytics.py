"""Analytics query parameters and report shape."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import Schema, ValidationError, fields, post_load

from app.schemas.common import BOUNDS_MESSAGE, EARLIEST, LATEST, bounded_utc

DEFAULT_DAYS = 90
MAX_DAYS = 731
MAX_ZONE_NAME = 64


class DateOrDateTime(fields.Field):
    """An ISO 8601 date (a whole day in the viewer's zone) or date-time (naive means UTC),
    within the bounds."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str):
            raise ValidationError("Not a valid date or date-time.")
        try:
            if len(value) == len("YYYY-MM-DD"):
                day = date.fromisoformat(value)
                if not EARLIEST.date() <= day <= LATEST.date():
                    raise ValidationError(BOUNDS_MESSAGE)
                return day
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationError("Not a valid date or date-time.") from exc
        return bounded_utc(parsed)


class TimeZoneName(fields.Str):
    """An IANA time zone name such as ``Europe/Paris``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> ZoneInfo:  # type: ignore[override]
        name = super()._deserialize(value, attr, data, **kwargs)
        if len(name) > MAX_ZONE_NAME:
            raise ValidationError("Not a known time zone (IANA name, e.g. Europe/Paris).")
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError("Not a known time zone (IANA name, e.g. Europe/Paris).") from exc


def _instant(value: date | datetime, zone: ZoneInfo, *, end: bool) -> datetime:
    """A date's first instant in ``zone`` (the next day's for an end: days are inclusive)."""
    if isinstance(value, datetime):
        return value
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


class AnalyticsQuerySchema(Schema):
    """Dates are whole days in ``tz``, both included; date-times are exact (``to`` excluded).
    Defaults: ``tz`` UTC, ``to`` today, ``from`` 89 days earlier (90 days, today included)."""

    from_ = DateOrDateTime(data_key="from")
    to = DateOrDateTime()
    tz = TimeZoneName(load_default="UTC")

    @post_load
    def _range(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        zone = data["tz"] if isinstance(data["tz"], ZoneInfo) else ZoneInfo(data["tz"])  # default
        to = data.get("to") or datetime.now(zone).date()
        end = _instant(to, zone, end=True)
        if isinstance(to, datetime):
            default_from: date = end - timedelta(days=DEFAULT_DAYS)
        else:
            default_from = to - timedelta(days=DEFAULT_DAYS - 1)
        start = _instant(data.get("from_") or default_from, zone, end=False)
        if start >= end:
            raise ValidationError("'from' must not be after 'to'.", field_name="from")
        if end - start > timedelta(days=MAX_DAYS):
            field = "to" if "to" in data else "from"
            raise ValidationError(f"At most {MAX_DAYS} days.", field_name=field)
        return {"start": start, "end": end, "zone": zone}


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
    week = fields.Str(
        required=True, metadata={"description": "Monday of the week in the viewer's zone"}
    )
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
    to = fields.DateTime(required=True, metadata={"description": "first instant not counted"})
    tz = fields.Str(required=True)
    reps = fields.List(fields.Nested(RepStatsSchema), required=True)
    weekly = fields.List(fields.Nested(WeekStatsSchema), required=True)
    objections = fields.List(fields.Nested(ObjectionStatsSchema), required=True)


__all__ = ["AnalyticsQuerySchema", "AnalyticsReportSchema"]
