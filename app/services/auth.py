"""Identity: password hashing, first-run setup, API keys, and resolving a bearer token.

JWT sessions (issuing, rotating, revoking) live in :mod:`app.services.sessions`.

Services never read the request: callers pass the token string and get a
:class:`Principal` or an :class:`~app.errors.AppError` with a stable code.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select

from app.errors import AppError, Conflict, Unauthorized
from app.extensions import db
from app.models import ApiKey, Team, User
from app.models.base import utcnow
from app.services.sessions import SESSION_CLAIM, end_session, verify_access
from app.services.toolkit import load_default_entries, replace_entries

API_KEY_PREFIX = "sck_"
# Argon2id with argon2-cffi's RFC 9106 low-memory profile (t=3, m=64 MiB, p=4); the test
# profile is cheap so the suite does not spend minutes hashing.
PRODUCTION_HASHER = PasswordHasher()
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_dummy_hashes: dict[int, str] = {}


def _hasher() -> PasswordHasher:
    return TEST_HASHER if current_app.testing else PRODUCTION_HASHER


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A fixed hash to verify against on unknown emails, so login timing stays uniform."""
    if id(hasher) not in _dummy_hashes:
        _dummy_hashes[id(hasher)] = hasher.hash("not-a-real-password")
    return _dummy_hashes[id(hasher)]


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved from a JWT access token or an API key."""

    user_id: str
    team_id: str
    role: str
    name: str
    via: str  # "jwt" | "api_key"
    expires_at: float | None = None  # epoch seconds, JWT only
    key_id: str | None = None
    session_id: str | None = None  # the sign-in (AuthSession), JWT only

    def has_role(self, *roles: str) -> bool:
        return not roles or self.role in roles or self.role == "admin"


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    hasher = _hasher()
    try:
        return hasher.verify(user.password_hash if user else _dummy_hash(hasher), password) and (
            user is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def setup_needed() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is None


def create_first_admin(team_name: str, email: str, password: str, name: str) -> User:
    """First-run setup: creates the first team and its admin, only while no user exists."""
    if not setup_needed():
        raise Conflict("Setup is already done.", code="setup_done")
    team = Team(name=team_name)
    user = User(
        team=team,
        email=email.lower(),
        name=name,
        role="admin",
        password_hash=hash_password(password),
    )
    db.session.add_all([team, user])
    db.session.flush()
    replace_entries(team, load_default_entries())
    return user


def authenticate(email: str, password: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if not verify_password(user, password) or user is None or not user.active:
        raise Unauthorized("Email or password is wrong.", code="invalid_credentials")
    return user


def _active_user(user_id: str) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise Unauthorized("The account is not active.", code="account_inactive")
    return user


def principal_from_token(token: str) -> Principal:
    """Resolve a bearer token (JWT access token or API key) to a principal."""
    if token.startswith(API_KEY_PREFIX):
        return _principal_from_api_key(token)
    claims, user = verify_access(token)
    return Principal(
        user.id,
        user.team_id,
        user.role,
        user.name,
        "jwt",
        expires_at=float(claims["exp"]),
        session_id=claims[SESSION_CLAIM],
    )


def logout(token: str) -> None:
    """End the sign-in of a JWT; API keys have none (an admin revokes them)."""
    if token.startswith(API_KEY_PREFIX):
        raise AppError(
            "API keys cannot log out; an admin revokes them under API keys.",
            code="api_key_logout",
            status=400,
        )
    end_session(token)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(user: User, name: str) -> tuple[ApiKey, str]:
    """Create a key acting as ``user``; the plain key is returned once and never stored."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKey(
        team_id=user.team_id,
        user_id=user.id,
        name=name,
        prefix=key[: len(API_KEY_PREFIX) + 6],
        key_hash=hash_api_key(key),
    )
    db.session.add(record)
    db.session.flush()
    return record, key


def _principal_from_api_key(key: str) -> Principal:
    record = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_api_key(key)))
    if record is None or record.revoked_at is not None:
        raise Unauthorized("The API key is invalid or revoked.", code="invalid_api_key")
    user = _active_user(record.user_id)
    record.last_used_at = utcnow()
    return Principal(user.id, user.team_id, user.role, user.name, "api_key", key_id=record.id)
