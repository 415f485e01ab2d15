"""Mode-agnostic background tasks.

The server runs under eventlet or gevent (both monkey-patched at process start, see
``app/serving.py``) or plain threads. Services start background work only through
:func:`spawn` and wait only through ``time.sleep`` or the standard ``threading`` /
``queue`` primitives, which the monkey patch turns green. No module calls eventlet or
gevent directly, so the same code runs in every async mode.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def spawn(fn: Callable[..., Any], *args: Any, name: str | None = None) -> threading.Thread:
    """Start ``fn(*args)`` as a daemon task (a green thread when monkey-patched)."""
    thread = threading.Thread(target=fn, args=args, name=name, daemon=True)
    thread.start()
    return thread
