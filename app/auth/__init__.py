"""Authentication endpoints: first-run setup, login, refresh, logout, me."""

from app.auth.routes import blp

__all__ = ["blp"]
