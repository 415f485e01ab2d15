"""Team membership administration: creating, updating and deactivating users; API keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.errors import Conflict, NotFound
from app.extensions import db
from app.models import ApiKey, User
from app.models.base import utcnow
from app.services.auth import Principal, create_api_key, hash_password
from app.services.sessions import revoke_user_sessions


def list_users(principal: Principal) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.team_id == principal.team_id).order_by(User.created_at)
        )
    )


def create_user(team_id: str, email: str, password: str, name: str, role: str) -> User:
    user = User(
        team_id=team_id,
        email=email.lower(),
        name=name,
        role=role,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict("A user with this email exists.", code="email_taken") from exc
    return user


def get_team_user(principal: Principal, user_id: str) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.team_id != principal.team_id:
        raise NotFound("User not found.", code="user_not_found")
    return user


def update_user(principal: Principal, user_id: str, changes: dict[str, Any]) -> User:
    """A new password or a deactivation ends the user's sign-ins (an admin resetting their
    own password keeps the session they are using)."""
    user = get_team_user(principal, user_id)
    if "password" in changes:
        user.password_hash = hash_password(changes.pop("password"))
        keep = principal.session_id if principal.user_id == user.id else None
        revoke_user_sessions(user.id, "password_changed", keep=keep)
    if changes.get("active") is False and user.active:
        user.deactivated_at = utcnow()
        revoke_user_sessions(user.id, "deactivated")
    if changes.get("active") is True:
        user.deactivated_at = None
    for name, value in changes.items():
        setattr(user, name, value)
    db.session.commit()
    return user


def list_api_keys(principal: Principal) -> list[ApiKey]:
    return list(
        db.session.scalars(
            select(ApiKey).where(ApiKey.team_id == principal.team_id).order_by(ApiKey.created_at)
        )
    )


def new_api_key(principal: Principal, name: str) -> tuple[ApiKey, str]:
    user = get_team_user(principal, principal.user_id)
    record, key = create_api_key(user, name)
    db.session.commit()
    return record, key


def revoke_api_key(principal: Principal, key_id: str) -> None:
    record = db.session.get(ApiKey, key_id)
    if record is None or record.team_id != principal.team_id:
        raise NotFound("API key not found.", code="api_key_not_found")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        db.session.commit()
