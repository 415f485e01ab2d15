"""One call's transcripts handed to its coach in order, off the provider's task.

Results reach a live call on the provider's task, which for the local recognizer serves
every stream of a worker process, so it must never wait for an encoder pass. With the
lane, the coach queues each interim and final here and returns at once. One drain task
per call (started with its first transcript, ended at close) takes them in arrival
order, asks the process's encode pump (``encode_pump.py``) for the embedding when the
coach will compare the utterance by meaning, and hands it to the coach: cards keep the
utterance order and the interim-then-final bookkeeping sees events as the provider sent
them. An interim overtaken by a later event of the same source (its final, or a longer
interim) is skipped. When the pump says no (deadline passed, encoder failed) the
utterance is still handled, by trigger phrases only. :meth:`CoachLane.close` waits a
bounded time and returns what is still queued for the caller to handle at once;
:class:`DetectionLane` is the coach's side of it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from app.services.coaching.base import Utterance
from app.services.coaching.encode_pump import EncodePump, get_pump
from app.services.concurrency import spawn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LaneEvent:
    utterance: Utterance
    final: bool


Handler = Callable[[LaneEvent], None]


class CoachLane:
    def __init__(self, handle: Handler, call_id: str = "") -> None:
        self._handle = handle
        self._call_id = call_id
        self._cond = threading.Condition()
        self._events: deque[LaneEvent] = deque()
        self._busy = False  # the drain task is handling an event
        self._started = False
        self._closed = False

    def submit(self, event: LaneEvent) -> None:
        """Queue ``event`` and return (the drain task starts on the first). Ignored once
        closed. Never waits: a notify does not yield the caller's green thread."""
        with self._cond:
            if self._closed:
                return
            self._events.append(event)
            start, self._started = not self._started, True
            self._cond.notify_all()
        if start:
            spawn(self._drain, name="coach-lane")

    def _next(self) -> LaneEvent | None:
        with self._cond:
            self._busy = False
            self._cond.notify_all()
            while not self._events:
                if self._closed:
                    return None
                self._cond.wait()
            event = self._events.popleft()
            overtaken = not event.final and any(
                e.utterance.source == event.utterance.source for e in self._events
            )
            self._busy = not overtaken
            return None if overtaken else event

    def _drain(self) -> None:
        while True:
            with self._cond:
                if self._closed and not self._events:
                    self._busy = False
                    self._cond.notify_all()
                    return
            event = self._next()
            if event is None:
                continue
            try:
                self._handle(event)
            except Exception:  # a coaching bug must never stop the lane
                log.exception("coach lane event failed", extra={"call_id": self._call_id})

    def wait_idle(self, timeout: float) -> list[LaneEvent]:
        """Wait up to ``timeout`` for the queue to empty; take what is left (in order)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._events or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            taken = list(self._events)
            self._events.clear()
        return taken

    def close(self, timeout: float) -> list[LaneEvent]:
        """No more events; wait as :meth:`wait_idle`, return the leftovers, end the task."""
        taken = self.wait_idle(timeout)
        with self._cond:
            self._closed = True
            taken += self._events
            self._events.clear()
            self._cond.notify_all()
        return taken


class LaneHost(Protocol):
    """What the lane needs from the coach."""

    settings: Any

    def texts_to_encode(self, utterance: Utterance, final: bool) -> list[str]: ...

    def handle(self, utterance: Utterance, final: bool, meaning: bool) -> None: ...


class DetectionLane:
    """A coach's lane: order, encoding off the loop through the pump, phrase fallback."""

    def __init__(
        self,
        host: LaneHost,
        call_id: str,
        pump: EncodePump | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._host = host
        self._pump = pump
        self._clock = clock
        self._lane = CoachLane(self._event, call_id)

    def submit(self, utterance: Utterance, final: bool) -> None:
        self._lane.submit(LaneEvent(utterance, final))

    def _event(self, event: LaneEvent) -> None:
        utterance, final = event.utterance, event.final
        self._host.handle(utterance, final, meaning=self._encoded(utterance, final))

    def _encoded(self, utterance: Utterance, final: bool) -> bool:
        """Whether the utterance may be compared by meaning: its embeddings (the text's,
        and a final's next-best readings') are now cached."""
        texts = self._host.texts_to_encode(utterance, final)
        if not texts:
            return False
        arrived = utterance.received_at or self._clock()
        pump = self._pump or get_pump()
        return pump.encode_all(texts, arrived + self._host.settings.detection_deadline_s)

    def settle(self, closing: bool) -> None:
        """Handle what is still queued, by phrases only (stop: the last finals)."""
        wait = self._host.settings.lane_flush_s
        left = self._lane.close(wait) if closing else self._lane.wait_idle(wait)
        for event in left:
            self._host.handle(event.utterance, event.final, meaning=False)
