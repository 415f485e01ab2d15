"""Mode-agnostic background tasks, and CPU work kept off the event loop.

The server runs under eventlet or gevent (both monkey-patched at process start, see
``app/serving.py``) or plain threads. Services start background work only through
:func:`spawn` and wait only through ``time.sleep`` or the standard ``threading`` /
``queue`` primitives, which the monkey patch turns green. This is the one module that
knows which mode it runs in, for two things green threads cannot do:

- :func:`offload` runs a CPU-bound call (numpy, which releases the GIL while it
  multiplies) on a real OS thread and waits for it without blocking the event loop
  (eventlet's ``tpool``, gevent's hub thread pool; a plain call in threading mode).
- :func:`os_lock` is a real lock for state shared with such a thread: a green lock
  contended from an OS thread deadlocks. Hold it only for microseconds.
- :class:`OncePerKey` computes an expensive value once per key when several such
  threads ask for it at the same time.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def spawn(fn: Callable[..., Any], *args: Any, name: str | None = None) -> threading.Thread:
    """Start ``fn(*args)`` as a daemon task (a green thread when monkey-patched)."""
    thread = threading.Thread(target=fn, args=args, name=name, daemon=True)
    thread.start()
    return thread


def call_later(delay_s: float, fn: Callable[[], Any]) -> None:
    """Run ``fn()`` on a background task after ``delay_s``. Under eventlet/gevent this is
    the library's own timer: a patched ``threading.Thread`` per call would leave a
    reference cycle behind each time (garbage the collector only frees in a full pass)."""
    mode = green_mode()
    if mode == "eventlet":
        import eventlet

        eventlet.spawn_after(max(0.0, delay_s), fn)
    elif mode == "gevent":
        import gevent

        gevent.spawn_later(max(0.0, delay_s), fn)
    else:
        spawn(_sleep_then, delay_s, fn, name="call-later")


def _sleep_then(delay_s: float, fn: Callable[[], Any]) -> None:
    time.sleep(max(0.0, delay_s))
    fn()


def green_mode() -> str | None:
    """``"eventlet"`` or ``"gevent"`` when that library monkey-patched threads, else None."""
    if "eventlet" in sys.modules:
        from eventlet import patcher

        if patcher.is_monkey_patched("thread"):
            return "eventlet"
    if "gevent" in sys.modules:
        from gevent import monkey

        if monkey.is_module_patched("threading"):
            return "gevent"
    return None


def offload(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` on an OS thread; the calling green thread waits, the loop runs on.

    In threading mode the call runs on the caller's (already real) thread. Exceptions
    propagate to the caller. ``fn`` must not touch green primitives (use :func:`os_lock`).
    """
    mode = green_mode()
    if mode == "eventlet":
        from eventlet import tpool

        return tpool.execute(fn, *args)
    if mode == "gevent":
        import gevent

        return gevent.get_hub().threadpool.apply(fn, args)
    return fn(*args)


def os_lock() -> Any:
    """A lock that is a real OS lock even after monkey-patching."""
    mode = green_mode()
    if mode == "eventlet":
        from eventlet import patcher

        return patcher.original("_thread").allocate_lock()
    if mode == "gevent":
        from gevent import monkey

        return monkey.get_original("_thread", "allocate_lock")()
    return threading.Lock()


class OncePerKey(Generic[K, V]):
    """``compute(key)`` run once per key, however many OS threads ask at the same time.

    The first caller of a key computes it while later callers of that key wait for its
    result; the last ``maxsize`` results are kept. A failed compute is not cached. Meant
    for expensive work called from :func:`offload` threads (a waiting green thread would
    block the loop while the first caller computes).
    """

    def __init__(self, compute: Callable[[K], V], maxsize: int) -> None:
        self._compute = compute
        self._maxsize = maxsize
        self._values: OrderedDict[K, V] = OrderedDict()
        self._locks: dict[K, Any] = {}
        self._guard = os_lock()
        self.computed = 0  # how many times ``compute`` ran (observability and tests)

    def get(self, key: K) -> V:
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            key_lock = self._locks.setdefault(key, os_lock())
        with key_lock:
            with self._guard:
                if key in self._values:
                    return self._values[key]
            value = self._compute(key)
            with self._guard:
                self.computed += 1
                self._values[key] = value
                self._locks.pop(key, None)
                while len(self._values) > self._maxsize:
                    self._values.popitem(last=False)
        return value
