"""Liveness and readiness endpoints for load balancers and orchestrators."""

from app.health.routes import blp

__all__ = ["blp"]
