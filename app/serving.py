"""Process start-up for serving: monkey-patching for the async mode, and `run`.

This is the one module allowed to name eventlet or gevent: it patches the standard
library so the rest of the code stays mode-agnostic.
"""

from __future__ import annotations

import os
from typing import Any


def patch_for_async_mode(mode: str | None = None) -> str:
    """Monkey-patch for eventlet/gevent (read from ASYNC_MODE); no-op for threading."""
    mode = mode or os.environ.get("ASYNC_MODE", "eventlet")
    if mode == "eventlet":
        import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    return mode


def serve(app: Any) -> None:
    """Serve ``app`` with Flask-SocketIO's server on the configured HOST and PORT."""
    from app.extensions import get_services, socketio

    with app.app_context():
        settings = get_services().settings
    socketio.run(app, host=settings.host, port=settings.port, allow_unsafe_werkzeug=True)
