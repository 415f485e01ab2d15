"""Sign-in sessions: JWT pairs, refresh-token rotation with reuse detection, revocation.

Login (or setup) opens an :class:`~app.models.AuthSession` and hands out an access token
and a refresh token that both name it (claim ``sid``). Every refresh swaps the refresh
token for a new one with a compare-and-swap on ``current_jti``, so of two concurrent
refreshes with the same token exactly one rotates. The token just replaced is still
accepted for ``REFRESH_REUSE_GRACE_SECONDS`` after the rotation (another tab, or a
response lost on the way) and gets the current token re-issued; any other earlier token
of the session is a reuse: the whole session is revoked and the refresh is refused.

Revoking the row (logout, reuse, password change or reset, deactivation) ends every
token of the sign-in: access tokens are checked against it on each request, in the same
single query that loads the user.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt as pyjwt
from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import select, update

from app.errors import TokenExpired, Unauthorized
from app.extensions import db
from app.models import AuthSession, User
from app.models.base import utcnow

log = logging.getLogger(__name__)
SESSION_CLAIM = "sid"


def _invalid() -> Unauthorized:
    return Unauthorized("The token is invalid.", code="invalid_token")


def _revoked() -> Unauthorized:
    return Unauthorized("The session has ended; sign in again.", code="token_revoked")


def _inactive() -> Unauthorized:
    return Unauthorized("The account is not active.", code="account_inactive")


def _refresh_lifetime() -> timedelta:
    return current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]


def _grace() -> timedelta:
    return timedelta(seconds=float(current_app.config["REFRESH_REUSE_GRACE_SECONDS"]))


def _pair(user: User, session: AuthSession) -> dict[str, str]:
    """An access token and the session's current refresh token (same jti and expiry)."""
    sid = {SESSION_CLAIM: session.id}
    access = create_access_token(
        identity=user.id, additional_claims={"team_id": user.team_id, "role": user.role, **sid}
    )
    refresh = create_refresh_token(
        identity=user.id,
        additional_claims={**sid, "jti": session.current_jti, "exp": session.expires_at},
    )
    return {"access_token": access, "refresh_token": refresh}


def issue_tokens(user: User) -> dict[str, str]:
    """Open a session for ``user`` (login, setup) and return its first token pair."""
    session = AuthSession(
        user_id=user.id, current_jti=uuid.uuid4().hex, expires_at=utcnow() + _refresh_lifetime()
    )
    db.session.add(session)
    db.session.commit()
    return _pair(user, session)


def decode_jwt(token: str, expected_type: str, allow_expired: bool = False) -> dict[str, Any]:
    """Verify signature, algorithm, expiry and type; map failures to stable codes."""
    try:
        claims = decode_token(token, allow_expired=allow_expired)
    except pyjwt.ExpiredSignatureError as exc:
        raise TokenExpired() from exc
    except Exception as exc:  # any other decode problem is an invalid token
        raise _invalid() from exc
    if claims.get("type") != expected_type or not isinstance(claims.get(SESSION_CLAIM), str):
        raise _invalid()
    return claims


def verify_access(token: str) -> tuple[dict[str, Any], User]:
    """An access token's claims and its active user; one query checks user and session."""
    claims = decode_jwt(token, "access")
    row = db.session.execute(
        select(User, AuthSession.revoked_at)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(AuthSession.id == claims[SESSION_CLAIM], User.id == claims["sub"])
    ).first()
    if row is not None and not row[0].active:
        raise _inactive()
    if row is None or row[1] is not None:
        raise _revoked()
    return claims, row[0]


def rotate(token: str) -> dict[str, str]:
    """Exchange a refresh token for a new pair; a reused token revokes its session."""
    claims = decode_jwt(token, "refresh")
    user = db.session.get(User, claims["sub"])
    if user is None or not user.active:
        raise _inactive()
    now = utcnow()
    swapped = db.session.execute(
        update(AuthSession)
        .where(
            AuthSession.id == claims[SESSION_CLAIM],
            AuthSession.current_jti == claims["jti"],
            AuthSession.revoked_at.is_(None),
        )
        .values(
            current_jti=uuid.uuid4().hex,
            previous_jti=claims["jti"],
            rotated_at=now,
            expires_at=now + _refresh_lifetime(),
        )
    )
    db.session.commit()
    session = db.session.get(AuthSession, claims[SESSION_CLAIM])
    if session is None or session.revoked_at is not None:
        raise _revoked()
    if swapped.rowcount == 1 or _in_grace(session, claims["jti"], now):  # type: ignore[attr-defined]
        return _pair(user, session)
    session.revoked_at, session.revoked_reason = now, "reuse"
    db.session.commit()
    log.warning("refresh token reused; session revoked", extra={"user_id": user.id})
    raise Unauthorized(
        "This refresh token was already used; the session has ended. Sign in again.",
        code="refresh_token_reused",
    )


def _in_grace(session: AuthSession, jti: str, now: datetime) -> bool:
    rotated = session.rotated_at
    return session.previous_jti == jti and rotated is not None and now - rotated <= _grace()


def end_session(token: str) -> None:
    """Logout: revoke the session of an access or refresh token (even an expired one).

    A token that is not ours is ignored: there is nothing to end.
    """
    try:
        claims = decode_token(token, allow_expired=True)
    except Exception:  # noqa: BLE001 - nothing to revoke
        return
    if isinstance(claims.get(SESSION_CLAIM), str):
        _revoke(AuthSession.id == claims[SESSION_CLAIM], "logout")
        db.session.commit()


def revoke_user_sessions(user_id: str, reason: str, keep: str | None = None) -> None:
    """End every sign-in of a user (password changed, deactivated), except ``keep``.

    Part of the caller's transaction: the caller commits."""
    condition = AuthSession.user_id == user_id
    _revoke(condition if keep is None else condition & (AuthSession.id != keep), reason)


def _revoke(condition: Any, reason: str) -> None:
    db.session.execute(
        update(AuthSession)
        .where(condition, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


def revoked_among(session_ids: set[str]) -> set[str]:
    """The ids in ``session_ids`` whose session was revoked or is gone (socket watchdog)."""
    if not session_ids:
        return set()
    alive = db.session.scalars(
        select(AuthSession.id).where(
            AuthSession.id.in_(session_ids), AuthSession.revoked_at.is_(None)
        )
    )
    return session_ids - set(alive)


def prune_expired(now: datetime | None = None) -> int:
    """Delete sessions whose last refresh token has expired; returns how many."""
    cutoff = now or datetime.now(UTC)
    result = db.session.execute(
        AuthSession.__table__.delete().where(AuthSession.expires_at < cutoff)
    )
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
