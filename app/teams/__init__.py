"""The team's own settings (consent mode and text, redaction kinds), admins only."""

from app.teams.routes import blp

__all__ = ["blp"]
