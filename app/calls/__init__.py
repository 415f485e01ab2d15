"""Stored calls: list and search, read, edit, delete, transcript, suggestions."""

from app.calls.routes import blp

__all__ = ["blp"]
