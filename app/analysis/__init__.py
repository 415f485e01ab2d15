"""Post-call analysis endpoints under /api/v1/calls/{id}/analysis, and `flask jobs`."""

from app.analysis.routes import blp

__all__ = ["blp"]
