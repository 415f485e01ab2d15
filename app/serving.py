"""Serving: graceful shutdown on SIGTERM, and `run` for `python wsgi.py`.

Monkey-patching for eventlet/gevent happens in wsgi.py before the `app` package is
imported (gunicorn's gevent worker patches by itself). Both serving paths install the
same graceful shutdown: ``python wsgi.py`` (``run``) and gunicorn (the
``post_worker_init`` hook in docker/gunicorn.conf.py).
"""

from __future__ import annotations

import gc
import logging
import math
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from flask import Flask

from app.container import get_services
from app.extensions import socketio
from app.lifecycle import GracefulShutdown
from app.services.coaching.playbook import warm_up
from app.services.concurrency import spawn

# Python's cyclic collector runs a full pass over every tracked object when gen 2 fills;
# with a serving process's heap that pauses every connection for tens of milliseconds. The
# objects built at start-up are frozen out of collection and gen 0 collects less often:
# p99 event latency at 200 live calls halved (measured in docs/performance.md).
GC_THRESHOLDS = (20_000, 10, 10)


def async_mode(configured: str) -> str:
    """The configured mode when its library was loaded (and patched) before the app:
    ``python wsgi.py`` and gunicorn's workers. Anything else, `flask` admin commands first,
    runs unpatched, so it uses threads and never imports eventlet (no deprecation noise)."""
    if configured in ("eventlet", "gevent") and configured not in sys.modules:
        return "threading"
    return configured


def tune_garbage_collector() -> None:
    """Call once the app is built, just before serving."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def hard_exit(code: int) -> None:
    """Leave now: open sockets close, so clients reconnect to another worker."""
    logging.shutdown()
    os._exit(code)


def install_graceful_shutdown(
    app: Flask,
    exit_fn: Callable[[int], Any] = hard_exit,
    hard_deadline: bool = True,
    signum: int = signal.SIGTERM,
) -> GracefulShutdown:
    """On ``signum``: drain live calls and exit within SHUTDOWN_TIMEOUT_S.

    Must be called from the main thread (Python delivers signals there). With
    ``hard_deadline`` the kernel kills the process (SIGALRM) one second after the
    deadline even if the drain hangs or a green thread blocks the event loop.
    """
    timeout = get_services(app).settings.shutdown_timeout_s
    shutdown = GracefulShutdown(app, timeout, exit_fn)

    def _on_signal(received: int, frame: Any) -> None:
        if hard_deadline and not shutdown.requested:
            signal.alarm(math.ceil(timeout) + 1)
        shutdown.request()

    signal.signal(signum, _on_signal)
    spawn(shutdown.watch, name="graceful-shutdown")
    return shutdown


def run(app: Flask) -> None:
    """`python wsgi.py`: serve on HOST:PORT with the async mode's own server."""
    services = get_services(app)
    settings = services.settings
    with app.app_context():
        services.analysis.start_embedded()  # jobs left over from a previous run
    install_graceful_shutdown(app)
    warm_up()  # the sentence model and the default toolkit's classifier, before any call
    tune_garbage_collector()
    socketio.run(
        app,
        host=settings.host,
        port=settings.port,
        allow_unsafe_werkzeug=settings.async_mode == "threading",
        log_output=False,
    )
