"""gunicorn settings for one Sales Coach serving process (see docs/deployment.md).

Flask-SocketIO needs every Socket.IO session to stay in one process, so each gunicorn
runs exactly one gevent worker; scale out with more containers (or ports) behind nginx,
all sharing Redis (message queue) and PostgreSQL. gunicorn 27 has no eventlet worker,
so production serves in gevent mode; `python wsgi.py` serves eventlet/threading.

Run: gunicorn -c docker/gunicorn.conf.py wsgi:app   (HOST, PORT, SHUTDOWN_TIMEOUT_S)
"""

from __future__ import annotations

import os
from typing import Any

if os.environ.setdefault("ASYNC_MODE", "gevent") != "gevent":
    raise RuntimeError("gunicorn serves with the gevent worker: set ASYNC_MODE=gevent")

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '5000')}"  # noqa: S104 - in a container, behind nginx
worker_class = "gevent"
workers = 1  # one process per Socket.IO server; never more (sessions live in memory)
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "2000"))
preload_app = False  # the app is built in the worker, after gevent's monkey patch
timeout = 30  # heartbeat of the worker to the master, not a request limit for gevent
keepalive = 75  # above nginx's upstream keepalive_timeout (60 s)
# The master waits this long for the worker's drain before SIGKILL: above the drain
# deadline (SHUTDOWN_TIMEOUT_S), which the worker enforces itself.
graceful_timeout = int(float(os.environ.get("SHUTDOWN_TIMEOUT_S", "20"))) + 5
accesslog = None  # nginx logs requests; the app logs JSON lines on stdout
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
proc_name = "salescoach"
control_socket_disable = True  # no runtime control interface (and no writable $HOME needed)


def post_worker_init(worker: Any) -> None:
    """Replace gunicorn's SIGTERM handling in the worker by the graceful drain, and tune
    the garbage collector as `python wsgi.py` does."""
    from app.serving import install_graceful_shutdown, tune_garbage_collector
    from app.services.coaching.playbook import warm_up

    install_graceful_shutdown(worker.wsgi)
    warm_up()
    tune_garbage_collector()
