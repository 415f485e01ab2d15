"""The `auth_required` decorator: resolves the bearer token into ``g.principal``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request

from app.errors import Forbidden, Unauthorized
from app.services.auth import Principal, principal_from_token

F = TypeVar("F", bound=Callable[..., Any])


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send Authorization: Bearer <token>.", code="unauthorized")
    return token.strip()


def auth_required(*roles: str) -> Callable[[F], F]:
    """Require a valid token; with ``roles``, also one of them (admins pass every check)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = principal_from_token(bearer_token())
            if not principal.has_role(*roles):
                raise Forbidden()
            g.principal = principal
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorator


def current_principal() -> Principal:
    return cast(Principal, g.principal)
