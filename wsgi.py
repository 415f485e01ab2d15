"""The only module that builds an app at import: `flask --app wsgi`, gunicorn `wsgi:app`.

In eventlet/gevent mode the standard library is monkey-patched before anything else
is imported, so every blocking call in the process yields instead of stalling sockets.
An invalid configuration stops the process with one message listing every problem.
"""

import sys

from app.serving import patch_for_async_mode

patch_for_async_mode()

from app import create_app  # noqa: E402 - must follow the monkey patch
from app.config import ConfigError  # noqa: E402

try:
    app = create_app()
except ConfigError as error:
    sys.exit(str(error))

if __name__ == "__main__":
    from app.serving import serve

    serve(app)
