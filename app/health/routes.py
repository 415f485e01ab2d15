from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.container import get_services
from app.extensions import limiter
from app.origins import OriginPolicy

blp = Blueprint("health", __name__, url_prefix="/health", description="Health checks")
limiter.exempt(blp)


class LiveSchema(Schema):
    status = fields.Str(required=True)


class ReadySchema(Schema):
    status = fields.Str(required=True)
    ready = fields.Bool(required=True)
    checks = fields.Dict(required=True)


@blp.route("/live")
@blp.response(200, LiveSchema)
def live() -> dict[str, Any]:
    """The process is up and serving; no I/O."""
    return {"status": "ok"}


@blp.route("/ready")
@blp.response(200, ReadySchema)
@blp.alt_response(503, schema=ReadySchema)
def ready() -> ResponseReturnValue:
    """Checks the database, Redis when configured and the providers; 503 with detail if not.
    A worker draining for shutdown answers 503 at once (not from the cache), so the load
    balancer stops sending it new calls."""
    services = get_services()
    report = services.health.report()
    if services.sessions.draining:
        report = {
            "ready": False,
            "checks": {**report["checks"], "accepting_calls": {"ok": False, "error": "draining"}},
        }
    return jsonify({"status": "ok" if report["ready"] else "unavailable", **report}), (
        200 if report["ready"] else 503
    )


class OriginCheckSchema(Schema):
    origin = fields.Str(required=True, allow_none=True)
    allowed = fields.Bool(required=True)


@blp.route("/origin", methods=["POST"])
@blp.response(200, OriginCheckSchema)
def origin() -> dict[str, Any]:
    """Whether this page's origin may open the live-call socket (POST, so the browser sends
    its Origin): the web app asks when the handshake fails, to tell the user why."""
    sent = request.headers.get("Origin")
    policy = OriginPolicy(get_services().settings)
    return {"origin": sent, "allowed": policy.allows(sent, request.environ)}
