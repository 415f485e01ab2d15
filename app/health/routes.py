from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_smorest import Blueprint

from app.extensions import get_services, limiter

blp = Blueprint("health", __name__, url_prefix="/health", description="Health checks")
limiter.exempt(blp)


@blp.route("/live")
def live() -> dict[str, Any]:
    """The process is up and serving; no I/O."""
    return {"status": "ok"}


@blp.route("/ready")
def ready() -> ResponseReturnValue:
    """Checks the database, Redis when configured and the providers; 503 with detail if not."""
    report = get_services().health.report()
    return jsonify({"status": "ok" if report["ready"] else "unavailable", **report}), (
        200 if report["ready"] else 503
    )
