"""Sentence encoding for live calls, off the event loop: one pump per process, batched.

Before a call's coach matches an utterance by meaning, its lane (``lane.py``) asks the
pump for the utterance's embedding. Requests of every call queue here; one pump task
takes what is waiting (up to ``max_batch`` texts), runs one batched encoder pass on an
OS thread (:func:`~app.services.concurrency.offload`) and wakes the requesters, so the
event loop never runs the encoder and concurrent calls share passes. The vectors land in
the encoder's cache, where the matcher then finds them. A request still queued at its
deadline is dropped, and a failed pass fails its batch: either way the requester hears
``False`` and its utterance is matched by trigger phrases only.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.services.concurrency import offload, spawn

log = logging.getLogger(__name__)

EncodeMany = Callable[[Sequence[str]], Any]
Runner = Callable[..., Any]
MAX_BATCH = 16


@dataclass
class _Job:
    text: str
    deadline: float
    done: threading.Event = field(default_factory=threading.Event)
    ok: bool = False


@dataclass
class PumpStats:
    passes: int = 0
    texts: int = 0
    expired: int = 0
    failed: int = 0


class EncodePump:
    def __init__(
        self,
        encode_many: EncodeMany,
        *,
        max_batch: int = MAX_BATCH,
        clock: Callable[[], float] = time.monotonic,
        run: Runner = offload,
    ) -> None:
        self._encode_many = encode_many
        self._max_batch = max_batch
        self._clock = clock
        self._run = run
        self._cond = threading.Condition()
        self._jobs: deque[_Job] = deque()
        self._started = False
        self.stats = PumpStats()

    def encode(self, text: str, deadline: float) -> bool:
        """Wait for ``text``'s vector to be cached; False past ``deadline`` or on failure."""
        return self.encode_all([text], deadline)

    def encode_all(self, texts: Sequence[str], deadline: float) -> bool:
        """Wait for every vector of ``texts`` (queued together, so they share a pass when
        the batch has room); False if any is past ``deadline`` or failed."""
        jobs = [_Job(text, deadline) for text in texts]
        with self._cond:
            self._jobs.extend(jobs)
            if not self._started:
                self._started = True
                spawn(self._pump, name="encode-pump")
            self._cond.notify()
        for job in jobs:
            job.done.wait(max(0.0, deadline - self._clock()))
        return all(job.ok for job in jobs)

    def _pump(self) -> None:
        while True:
            self._encode(self._next_batch())

    def _next_batch(self) -> list[_Job]:
        with self._cond:
            while not self._jobs:
                self._cond.wait()
            now, batch = self._clock(), list[_Job]()
            while self._jobs and len(batch) < self._max_batch:
                job = self._jobs.popleft()
                if job.deadline > now:
                    batch.append(job)
                else:
                    self.stats.expired += 1
                    job.done.set()
            return batch

    def _encode(self, batch: list[_Job]) -> None:
        if not batch:
            return
        texts = list(dict.fromkeys(job.text for job in batch))
        try:
            self._run(self._encode_many, texts)
            ok = True
        except Exception as exc:  # noqa: BLE001 - a broken encoder degrades to phrases
            ok = False
            self.stats.failed += len(batch)
            log.warning("encode_pass_failed", extra={"error_type": type(exc).__name__})
        self.stats.passes += 1
        self.stats.texts += len(texts)
        for job in batch:
            job.ok = ok
            job.done.set()


_pump: EncodePump | None = None
_pump_lock = threading.Lock()


def get_pump() -> EncodePump:
    """The process's pump over the shared encoder (the encoder must be loadable)."""
    global _pump
    from app.services.coaching.embedding import get_encoder

    with _pump_lock:
        if _pump is None:
            _pump = EncodePump(get_encoder().encode_many)
        return _pump
