"""The team's playbook: read by everyone, edited by admins."""

from app.toolkit.routes import blp

__all__ = ["blp"]
