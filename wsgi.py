"""The only module that builds an app at import: `python wsgi.py`, gunicorn `wsgi:app`.

In eventlet/gevent mode the standard library is monkey-patched before anything else is
imported (not even the `app` package), so every blocking call in the process yields
instead of stalling sockets. An invalid configuration stops the process with one
message listing every problem. Admin commands use `flask` (see .flaskenv), unpatched.
"""

import os
import sys

from dotenv import load_dotenv

load_dotenv(override=False)
ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
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
    from app.serving import serve

    serve(app)
