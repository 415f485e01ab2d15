"""Analytics: per-team and per-rep call metrics over a date range."""

from app.analytics.routes import blp

__all__ = ["blp"]
