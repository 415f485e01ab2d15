"""User and API key administration (admins)."""

from app.users.routes import blp

__all__ = ["blp"]
