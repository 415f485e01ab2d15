"""Schemas shared by several blueprints: pagination and the error envelope."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

MAX_PER_PAGE = 100


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
