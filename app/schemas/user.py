"""Users, teams, auth payloads and API keys."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models.team import ROLES
from app.schemas.text import Text

Email = Text(required=True, validate=[validate.Email(), validate.Length(max=254)])
Password = Text(required=True, load_only=True, validate=validate.Length(min=8, max=256))
Name = Text(required=True, validate=validate.Length(min=1, max=120))


class TeamSchema(Schema):
    id = fields.Str(dump_only=True)
    name = fields.Str(dump_only=True)


class UserSchema(Schema):
    id = fields.Str(dump_only=True)
    email = fields.Str(dump_only=True)
    name = fields.Str(dump_only=True)
    role = fields.Str(dump_only=True)
    active = fields.Bool(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    team = fields.Nested(TeamSchema, dump_only=True)


class UserListSchema(Schema):
    items = fields.List(fields.Nested(UserSchema))


class SetupSchema(Schema):
    team_name = Text(required=True, validate=validate.Length(min=1, max=120))
    email = Email
    password = Password
    name = Name


class SetupStatusSchema(Schema):
    needed = fields.Bool(required=True)


class LoginSchema(Schema):
    email = Text(required=True, validate=validate.Length(min=1, max=254))
    password = Text(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class TokensSchema(Schema):
    access_token = fields.Str(required=True)
    refresh_token = fields.Str(
        required=True, metadata={"description": "rotates: keep the newest one"}
    )


class TokenPairSchema(TokensSchema):
    user = fields.Nested(UserSchema)


class UserCreateSchema(Schema):
    email = Email
    password = Password
    name = Name
    role = fields.Str(load_default="rep", validate=validate.OneOf(ROLES))


class UserUpdateSchema(Schema):
    name = Text(validate=validate.Length(min=1, max=120))
    role = fields.Str(validate=validate.OneOf(ROLES))
    active = fields.Bool()
    password = Text(load_only=True, validate=validate.Length(min=8, max=256))


class ApiKeySchema(Schema):
    id = fields.Str(dump_only=True)
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    prefix = fields.Str(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    last_used_at = fields.DateTime(dump_only=True, allow_none=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)


class ApiKeyCreatedSchema(ApiKeySchema):
    key = fields.Str(dump_only=True)


class ApiKeyListSchema(Schema):
    items = fields.List(fields.Nested(ApiKeySchema))
