"""Stored calls: list and search, read, edit, delete, transcript, suggestions, exports."""

from app.calls import export_routes  # noqa: F401 - registers the export routes on blp
from app.calls.routes import blp

__all__ = ["blp"]
