"""Schemas shared by several blueprints: pagination and the error envelope."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.events import ErrorCode

MAX_PER_PAGE = 100


class PaginationQuerySchema(Schema):
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Int(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class ErrorDetailSchema(Schema):
    """One error, over REST and in socket acks; ``fields`` maps a field to its problems."""

    code = fields.Str(required=True, validate=validate.OneOf([c.value for c in ErrorCode]))
    message = fields.Str(required=True)
    request_id = fields.Str()
    fields_ = fields.Dict(data_key="fields", attribute="fields")


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)
