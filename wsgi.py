"""The only module that builds an app at import: gunicorn `wsgi:app`, and `python wsgi.py`
(serves on HOST:PORT with graceful shutdown on SIGTERM).

In eventlet/gevent mode the standard library is monkey-patched before anything else is
imported (not even the `app` package), so every blocking call in the process yields
instead of stalling sockets. An invalid configuration stops the process with one
message listing every problem. Admin commands use `flask` (see .flaskenv), unpatched.
"""

import os
import sys

from dotenv import load_dotenv

load_dotenv(override=False)
# One BLAS thread: the sentence encoder multiplies small matrices, where OpenBLAS's thread
# pool only adds contention (measured 30x slower on a busy 2-core machine). Set before
# numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
    from eventlet.websocket import RFC6455WebSocket

    from app.websocket_mask import install as install_fast_unmask

    install_fast_unmask(RFC6455WebSocket)  # eventlet unmasks byte by byte (app/websocket_mask.py)
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

from app import create_app  # noqa: E402 - must follow the monkey patch
from app.config import ConfigError  # noqa: E402

try:
    app = create_app()
except ConfigError as error:
    sys.exit(str(error))

if __name__ == "__main__":
    from app.serving import run

    run(app)
