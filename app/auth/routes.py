from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth.guard import auth_required, bearer_token, current_principal
from app.extensions import db, limiter
from app.models import User
from app.schemas.user import (
    LoginSchema,
    SetupSchema,
    SetupStatusSchema,
    TokenPairSchema,
    TokensSchema,
    UserSchema,
)
from app.services import auth, sessions

blp = Blueprint(
    "auth", __name__, url_prefix="/api/v1/auth", description="First-run setup, login and tokens"
)


def _auth_limit() -> str:
    return str(current_app.config["RATELIMIT_AUTH"])


@blp.route("/setup")
class Setup(MethodView):
    @blp.response(200, SetupStatusSchema)
    def get(self) -> dict[str, bool]:
        """Whether the first admin still has to be created."""
        return {"needed": auth.setup_needed()}

    @limiter.limit(_auth_limit)
    @blp.arguments(SetupSchema)
    @blp.response(201, TokenPairSchema)
    def post(self, data: dict[str, str]) -> dict[str, Any]:
        """Create the first team and its admin; 409 `setup_done` once any user exists."""
        user = auth.create_first_admin(**data)
        db.session.commit()
        return {"user": user, **sessions.issue_tokens(user)}


@blp.route("/login", methods=["POST"])
@limiter.limit(_auth_limit)
@blp.arguments(LoginSchema)
@blp.response(200, TokenPairSchema)
def login(data: dict[str, str]) -> dict[str, Any]:
    """Exchange email and password for an access and a refresh token."""
    user = auth.authenticate(data["email"], data["password"])
    return {"user": user, **sessions.issue_tokens(user)}


@blp.route("/refresh", methods=["POST"])
@limiter.limit(_auth_limit)
@blp.response(200, TokensSchema)
def refresh() -> dict[str, str]:
    """Send the refresh token as Bearer; get a new access token and a new refresh token.

    The refresh token rotates: keep the new one. Reusing a replaced one (after a short
    grace) answers 401 `refresh_token_reused` and ends the session.
    """
    return sessions.rotate(bearer_token())


@blp.route("/logout", methods=["POST"])
@blp.response(204)
def logout() -> None:
    """End the sign-in of the bearer token (access or refresh): both tokens stop working.

    An API key answers 400 `api_key_logout`: keys are revoked by an admin.
    """
    auth.logout(bearer_token())


@blp.route("/me")
@auth_required()
@blp.response(200, UserSchema)
def me() -> User | None:
    return db.session.get(User, current_principal().user_id)
