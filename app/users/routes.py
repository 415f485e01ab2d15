from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint

from app.auth.guard import auth_required, current_principal
from app.errors import NotFound
from app.models import User
from app.request_body import binary_body
from app.schemas.user import (
    ApiKeyCreatedSchema,
    ApiKeyListSchema,
    ApiKeySchema,
    UserCreateSchema,
    UserListSchema,
    UserSchema,
    UserUpdateSchema,
    VoiceProfileSchema,
)
from app.services import users
from app.services.attribution import profiles

blp = Blueprint("users", __name__, url_prefix="/api/v1", description="Users and API keys")


@blp.route("/users")
@auth_required("coach")
@blp.response(200, UserListSchema)
def list_users() -> dict[str, Any]:
    return {"items": users.list_users(current_principal())}


@blp.route("/users", methods=["POST"])
@auth_required("admin")
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(data: dict[str, str]) -> User:
    return users.create_user(current_principal().team_id, **data)


@blp.route("/users/<user_id>", methods=["PATCH"])
@auth_required("admin")
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def update_user(data: dict[str, Any], user_id: str) -> User:
    """Rename, change role, reset password, or deactivate (ends their live sessions)."""
    return users.update_user(current_principal(), user_id, data)


@blp.route("/api-keys")
@auth_required("admin")
@blp.response(200, ApiKeyListSchema)
def list_api_keys() -> dict[str, Any]:
    return {"items": users.list_api_keys(current_principal())}


@blp.route("/api-keys", methods=["POST"])
@auth_required("admin")
@blp.arguments(ApiKeySchema)
@blp.response(201, ApiKeyCreatedSchema)
def create_api_key(data: dict[str, str]) -> dict[str, Any]:
    """Create a key acting as the calling admin; `key` is shown only in this response."""
    record, key = users.new_api_key(current_principal(), data["name"])
    return {
        "id": record.id,
        "name": record.name,
        "prefix": record.prefix,
        "created_at": record.created_at,
        "key": key,
    }


@blp.route("/api-keys/<key_id>", methods=["DELETE"])
@auth_required("admin")
@blp.response(204)
def revoke_api_key(key_id: str) -> None:
    users.revoke_api_key(current_principal(), key_id)


@blp.route("/users/me/voice-profile")
@auth_required()
@blp.response(200, VoiceProfileSchema)
def get_voice_profile() -> Any:
    """The caller's voice profile (404 ``no_voice_profile`` when there is none)."""
    profile = profiles.get(current_principal().user_id)
    if profile is None:
        raise NotFound("No voice profile.", code="no_voice_profile")
    return profile


@blp.route("/users/me/voice-profile", methods=["PUT"])
@binary_body
@auth_required()
@blp.response(200, VoiceProfileSchema)
def record_voice_profile() -> Any:
    """Replace the profile from ~10 s of speech: the body is raw PCM16, 16 kHz, mono
    (``application/octet-stream``). Only voice features are kept, never the audio."""
    return profiles.record(current_principal().user_id, request.get_data(cache=False))


@blp.route("/users/me/voice-profile", methods=["DELETE"])
@auth_required()
@blp.response(204)
def delete_voice_profile() -> None:
    profiles.delete(current_principal().user_id)
