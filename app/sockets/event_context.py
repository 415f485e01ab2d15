"""A cheaper Flask request context for each Socket.IO event.

Flask-SocketIO runs every event inside ``app.request_context(environ)`` with the
connection's stored WSGI environ, so that handlers see ``request.sid``, the app context
and its database session. Flask then does two things per event that can never change
for a connection: it matches the path (``/socket.io/``, which no view serves: always
a 404 kept in ``request.routing_exception``) and opens the cookie session (a new
itsdangerous serializer and a cookie parse). Profiled under live load that was about a
fifth of the event loop's time (docs/performance.md). Here, for an event's environ, no
URL adapter is built (so nothing is matched; ``url_for`` is not used by socket code) and
the session is opened once per connection; each event gets its own copy of it, as it
got its own freshly opened one before. Plain HTTP requests are untouched.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.routing import MapAdapter

SOCKET_PATH = "/socket.io"  # Flask-SocketIO's default path (not configured otherwise)
OPENED_SESSION = "app.socket_session"  # environ key: the connection's session, opened once


def is_socket_event(environ: dict[str, Any]) -> bool:
    """The engine.io server answers this path before Flask routing: a Flask request
    context for it is always Flask-SocketIO's, for an event."""
    path = environ.get("PATH_INFO") or ""
    return path == SOCKET_PATH or path.startswith(SOCKET_PATH + "/")


class EventSessions(SecureCookieSessionInterface):
    """The cookie session, opened once per Socket.IO connection and copied per event."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not is_socket_event(request.environ):
            return super().open_session(app, request)
        opened = request.environ.get(OPENED_SESSION)
        if opened is None:
            opened = super().open_session(app, request)
            request.environ[OPENED_SESSION] = opened
        return None if opened is None else self.session_class(opened)


class App(Flask):
    """Flask, with the cheaper context for Socket.IO events."""

    session_interface = EventSessions()

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        if request is not None and is_socket_event(request.environ):
            return None
        return super().create_url_adapter(request)
