"""Schemas shared by several blueprints: pagination, date bounds and the error envelope."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

MAX_PER_PAGE = 100
# Dates outside these bounds are refused before any date arithmetic or query sees them
# (year 1 minus 90 days overflows Python's datetime).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
BOUNDS_MESSAGE = "Must be a date from 2000-01-01 to 2100-01-01 (UTC)."


def bounded_utc(value: datetime) -> datetime:
    """``value`` in UTC (naive means UTC) if it lies within the bounds, else an error."""
    try:
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:  # e.g. 9999-12-31T23:00-05:00
        raise ValidationError(BOUNDS_MESSAGE) from exc
    if not EARLIEST <= aware <= LATEST:
        raise ValidationError(BOUNDS_MESSAGE)
    return aware


class BoundedDateTime(fields.DateTime):
    """An ISO 8601 date-time within the bounds, returned in UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        return bounded_utc(super()._deserialize(value, attr, data, **kwargs))


class PaginationQuerySchema(Schema):
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Int(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class ErrorDetailSchema(Schema):
    code = fields.Str(required=True)
    message = fields.Str(required=True)
    request_id = fields.Str()
    fields = fields.Dict()  # type: ignore[assignment]


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)
