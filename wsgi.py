"""The only module that builds an app at import: `flask --app wsgi`, gunicorn `wsgi:app`.

In eventlet/gevent mode the standard library is monkey-patched before anything else
is imported, so every blocking call in the process yields instead of stalling sockets.
"""

from app.serving import patch_for_async_mode

patch_for_async_mode()

from app import create_app  # noqa: E402 - must follow the monkey patch

app = create_app()
