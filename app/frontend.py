"""Serves the built single-page app (frontend/dist) with client-side routing."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, abort, send_from_directory

DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
RESERVED = ("api/", "health/", "socket.io", "metrics")
PLACEHOLDER = (
    "<!doctype html><title>Sales Coach</title><h1>Sales Coach</h1>"
    "<p>The frontend is not built yet: run <code>make run</code>.</p>"
)


def init_app(app: Flask, dist: Path = DIST) -> None:
    spa = Blueprint("spa", __name__)

    @spa.route("/", defaults={"path": ""})
    @spa.route("/<path:path>")
    def index(path: str) -> Response:
        if path.startswith(RESERVED):
            abort(404)
        if path and (dist / path).is_file():
            response = send_from_directory(dist, path)
            if path.startswith("assets/"):
                response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            return response
        if (dist / "index.html").is_file():
            response = send_from_directory(dist, "index.html")
            response.headers["Cache-Control"] = "no-cache"
            return response
        return Response(PLACEHOLDER, mimetype="text/html")

    app.register_blueprint(spa)
