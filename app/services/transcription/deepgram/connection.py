"""One websocket connection to Deepgram through the SDK, opened and read on its own task.

The SDK's ``connect`` has no handshake timeout of its own (websockets' 10 s default), so
the connection task opens it and hands it over; the stream waits for the hand-over with
our own timeout and abandons a slow attempt (the task then closes it if it ever opens).
The same task then runs ``start_listening`` until the socket closes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from enum import Enum
from typing import Any

from deepgram import DeepgramClient
from deepgram.core.api_error import ApiError
from deepgram.core.events import EventType
from websockets.exceptions import InvalidStatus

log = logging.getLogger(__name__)


class Failure(Enum):
    """Why a handshake failed, with the ``StreamStatus.reason`` it maps to."""

    AUTH = "provider_auth_failed"
    REJECTED = "provider_rejected"
    RATE_LIMITED = "provider_rate_limited"
    UNREACHABLE = "provider_unreachable"


def classify(exc: BaseException) -> Failure:
    """Map a connect error to a failure kind; never looks at the message text."""
    status = _status_code(exc)
    if status is None:
        return Failure.UNREACHABLE
    if status in (401, 402, 403):
        return Failure.AUTH
    if status == 429:
        return Failure.RATE_LIMITED
    if 400 <= status < 500:
        return Failure.REJECTED
    return Failure.UNREACHABLE


def _status_code(exc: BaseException) -> int | None:
    if isinstance(exc, InvalidStatus):  # what websockets 17 raises for a refused handshake
        return int(exc.response.status_code)
    if isinstance(exc, ApiError) and exc.status_code is not None:  # older websockets
        return int(exc.status_code)
    return None


class Attempt:
    """A connection attempt shared by the stream and the connection task.

    ``cond`` is the stream's condition; every change here notifies it so the stream's
    single wait loop sees hand-overs, failures and closes.
    """

    def __init__(self, cond: threading.Condition) -> None:
        self._cond = cond
        self.conn: Any = None
        self.failure: Failure | None = None
        self.opened = False
        self.closed = False
        self.abandoned = False
        self.messages = 0  # server messages seen; a drop before any hints at a bad request
        self.close_code: int | None = None  # set when the server closed with an error code
        self._cm: AbstractContextManager[Any] | None = None
        self._exit_lock = threading.Lock()

    @property
    def pending(self) -> bool:
        return not (self.opened or self.failure or self.closed)

    def hand_over(self, cm: AbstractContextManager[Any], conn: Any) -> bool:
        """Called by the task once open; False if the stream gave up waiting."""
        with self._cond:
            self._cm = cm
            if self.abandoned:
                return False
            self.conn, self.opened = conn, True
            self._cond.notify_all()
            return True

    def fail(self, failure: Failure) -> None:
        with self._cond:
            self.failure = failure
            self.closed = True
            self._cond.notify_all()

    def mark_closed(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def abandon(self) -> None:
        """The stream stopped waiting (timeout or stop); close if it opens later."""
        with self._cond:
            self.abandoned = True
            if not self.opened and self.failure is None:
                self.failure = Failure.UNREACHABLE

    def close(self) -> None:
        """Close the socket once (the SDK's context exit); safe from any task."""
        with self._exit_lock:
            cm, self._cm = self._cm, None
        if cm is None:
            return
        try:
            cm.__exit__(None, None, None)
        except Exception as exc:  # noqa: BLE001 - already broken sockets may complain on close
            log.debug("deepgram close error", extra={"error": type(exc).__name__})


def run_connection(
    client: DeepgramClient,
    params: dict[str, Any],
    attempt: Attempt,
    on_message: Callable[[Any], None],
) -> None:
    """Task body: open, hand over, listen until closed."""
    try:
        cm = client.listen.v1.connect(**params)
        conn = cm.__enter__()
    except Exception as exc:  # noqa: BLE001 - any connect error is classified
        failure = classify(exc)
        log.info("deepgram connect failed", extra={"reason": failure.value})
        attempt.fail(failure)
        return
    if not attempt.hand_over(cm, conn):
        attempt.close()
        attempt.mark_closed()
        return
    conn.on(EventType.MESSAGE, on_message)
    conn.on(EventType.ERROR, lambda exc: _on_error(attempt, exc))
    try:
        conn.start_listening()
    finally:
        attempt.mark_closed()


def _on_error(attempt: Attempt, exc: Any) -> None:
    """Keep the server's close code (e.g. 1008 for undecodable audio), never its text."""
    received = getattr(exc, "rcvd", None)
    attempt.close_code = getattr(received, "code", None)
    log.info(
        "deepgram socket error",
        extra={"error": type(exc).__name__, "close_code": attempt.close_code},
    )
