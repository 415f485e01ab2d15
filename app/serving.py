"""Serving the app with the Socket.IO server (the embedded/dev server).

Monkey-patching for eventlet/gevent happens in wsgi.py before this package is imported;
production serving (gunicorn workers behind nginx) is described in docs/deployment.md.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from app.extensions import get_services, socketio

log = logging.getLogger(__name__)


def serve(app: Flask) -> None:
    """Run the Socket.IO server on HOST:PORT until interrupted."""
    with app.app_context():
        settings = get_services().settings
        get_services().analysis.start_embedded()  # jobs left over from a previous run
    options: dict[str, Any] = {"host": settings.host, "port": settings.port, "log_output": False}
    if settings.async_mode == "threading":
        options["allow_unsafe_werkzeug"] = True
    log.info(
        "serving",
        extra={"host": settings.host, "port": settings.port, "async_mode": settings.async_mode},
    )
    socketio.run(app, **options)
