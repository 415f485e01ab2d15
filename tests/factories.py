"""Test data builders: users with tokens through the real endpoints, calls with utterances."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

import factory
from flask import Flask
from flask_jwt_extended import create_access_token, decode_token

from app.extensions import db
from app.models import Call, Team, User, Utterance
from app.models.base import utcnow
from app.services.auth import TEST_HASHER
from app.services.sessions import issue_tokens
from app.services.toolkit import load_default_entries, replace_entries

_seq = count()
PASSWORD = "correct-horse-battery"
_HASH = TEST_HASHER.hash(PASSWORD)


class TeamFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = Team
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    role = "rep"
    password_hash = _HASH


class CallFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = Call
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    title = factory.Sequence(lambda n: f"Call {n}")
    state = "ended"
    started_at = factory.LazyFunction(lambda: utcnow() - timedelta(hours=1))
    ended_at = factory.LazyFunction(utcnow)


def short_access_token(user_id: str, seconds: float) -> str:
    """An access token of a fresh session of ``user_id`` living ``seconds`` (may be < 0)."""
    user = db.session.get(User, user_id)
    pair = issue_tokens(user)
    claims = decode_token(pair["access_token"])
    return create_access_token(
        identity=user_id,
        additional_claims={"team_id": user.team_id, "role": user.role, "sid": claims["sid"]},
        expires_delta=timedelta(seconds=seconds),
    )


class TokenFactory:
    """Creates teams and users and hands out their tokens."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def setup_admin(self) -> dict[str, Any]:
        response = self.app.test_client().post(
            "/api/v1/auth/setup",
            json={
                "team_name": "Acme",
                "email": "admin@acme.test",
                "password": PASSWORD,
                "name": "Ada Admin",
            },
        )
        assert response.status_code == 201, response.json
        body = response.json
        return {
            "user": body["user"],
            "token": body["access_token"],
            "refresh": body["refresh_token"],
            "team_id": body["user"]["team"]["id"],
        }

    def user(
        self, role: str = "rep", team: Team | None = None, seed_toolkit: bool = False, **fields: Any
    ) -> dict[str, Any]:
        user = UserFactory(role=role, team=team or TeamFactory(), **fields)
        if seed_toolkit:
            replace_entries(user.team, load_default_entries())
        db.session.commit()
        pair = issue_tokens(user)
        return {
            "user": user,
            "id": user.id,
            "team_id": user.team_id,
            "token": pair["access_token"],
            "refresh": pair["refresh_token"],
        }


def make_call(
    owner: User,
    *,
    texts: list[tuple[str, str]] = (),  # type: ignore[assignment]
    started_at: datetime | None = None,
    **fields: Any,
) -> Call:
    """A stored call owned by ``owner`` with utterances ``[(source, text), ...]``."""
    call = CallFactory(
        team_id=owner.team_id,
        user_id=owner.id,
        **({"started_at": started_at} if started_at else {}),
        **fields,
    )
    for index, (source, text) in enumerate(texts):
        db.session.add(
            Utterance(
                call_id=call.id,
                source=source,
                text=text,
                start_ms=index * 3000,
                end_ms=index * 3000 + 2500,
                confidence=0.9,
            )
        )
    db.session.commit()
    return call
