"""Teams, their users, API keys and sign-in sessions (the tenancy and identity aggregate)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UtcDateTime, created_column, id_column

ROLES = ("rep", "coach", "admin")


class Team(db.Model):  # type: ignore[name-defined]
    __tablename__ = "teams"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    toolkit_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    created_at: Mapped[datetime] = created_column()

    users: Mapped[list[User]] = relationship(back_populates="team")


class User(db.Model):  # type: ignore[name-defined]
    __tablename__ = "users"

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="rep")
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    created_at: Mapped[datetime] = created_column()
    deactivated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    team: Mapped[Team] = relationship(back_populates="users")


class ApiKey(db.Model):  # type: ignore[name-defined]
    """An integration key; only its SHA-256 is stored, the key itself is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = created_column()
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    user: Mapped[User] = relationship()


class AuthSession(db.Model):  # type: ignore[name-defined]
    """One sign-in: the family of refresh tokens handed out by login and its rotations.

    Only the newest refresh token (``current_jti``) is valid; the one before it
    (``previous_jti``) is accepted for a short grace after ``rotated_at`` (two tabs
    refreshing at once). Access tokens name their session (claim ``sid``), so revoking
    the row ends every token of that sign-in. Rows past ``expires_at`` can be pruned.
    """

    __tablename__ = "auth_sessions"

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    current_jti: Mapped[str] = mapped_column(String(64), nullable=False)
    previous_jti: Mapped[str | None] = mapped_column(String(64), nullable=True)
    rotated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = created_column()
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
