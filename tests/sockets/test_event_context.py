"""Socket.IO events get a lighter Flask request context; HTTP requests keep routing."""

from __future__ import annotations

from flask.testing import EnvironBuilder

from app.sockets.event_context import is_socket_event


def _socket_environ(app, cookie: str = ""):
    headers = {"Cookie": f"session={cookie}"} if cookie else {}
    return EnvironBuilder(app, "/socket.io/", headers=headers).get_environ()


def test_only_the_socketio_path_is_an_event():
    assert is_socket_event({"PATH_INFO": "/socket.io/"})
    assert is_socket_event({"PATH_INFO": "/socket.io"})
    assert not is_socket_event({"PATH_INFO": "/socket.iox/"})
    assert not is_socket_event({"PATH_INFO": "/api/v1/calls"})


def test_each_event_gets_its_own_copy_of_the_connections_session(app):
    cookie = app.session_interface.get_signing_serializer(app).dumps({"theme": "dark"})
    environ = _socket_environ(app, cookie)
    with app.request_context(environ) as first:
        assert dict(first.session) == {"theme": "dark"}
        first.session["theme"] = "light"
    with app.request_context(environ) as second:
        assert dict(second.session) == {"theme": "dark"}
        assert second.request.routing_exception is None and second.url_adapter is None


def test_http_requests_are_still_matched(app):
    environ = EnvironBuilder(app, "/metrics").get_environ()
    with app.request_context(environ) as ctx:
        assert ctx.request.url_rule is not None and ctx.request.url_rule.rule == "/metrics"
