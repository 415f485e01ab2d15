from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from app.auth.guard import auth_required, current_principal
from app.models import User
from app.schemas.user import (
    ApiKeyCreatedSchema,
    ApiKeyListSchema,
    ApiKeySchema,
    UserCreateSchema,
    UserListSchema,
    UserSchema,
    UserUpdateSchema,
)
from app.services import users

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
