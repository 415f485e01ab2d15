"""Stores final utterances and suggestions as they arrive, in order, exactly once, and
each call's latest guidance (a batch keeps only the newest per call).

One background task per process drains a queue and inserts rows in small batches with
``ON CONFLICT DO NOTHING`` (a replayed final is stored once). If the database is down
the rows stay queued (bounded) and are retried with backoff; the owning calls are told
saving is delayed and, once written, that it caught up (``on_delay`` / ``on_recover``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import bindparam, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from app.extensions import db
from app.models import Call, Suggestion, Utterance
from app.services.concurrency import spawn

log = logging.getLogger(__name__)
MAX_BATCH = 100
MAX_QUEUED = 50_000  # ~ several minutes of finals from 500 calls; beyond this we shed
RETRY_BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)


@dataclass
class PendingRow:
    model: type[Any]
    values: dict[str, Any]
    call_id: str


@dataclass
class UtteranceWriter:
    """The process's single writer; ``start`` it once, ``stop`` flushes what it can."""

    app: Flask
    on_delay: Callable[[set[str]], None] = lambda calls: None
    on_recover: Callable[[set[str]], None] = lambda calls: None
    _queue: queue.Queue[PendingRow | None] = field(default_factory=lambda: queue.Queue(MAX_QUEUED))
    _idle: threading.Event = field(default_factory=threading.Event)
    _running: bool = False
    _delayed: set[str] = field(default_factory=set)  # calls told saving is delayed
    failures: int = 0

    def __post_init__(self) -> None:
        self._idle.set()

    def start(self) -> None:
        if not self._running:
            self._running = True
            spawn(self._run, name="utterance-writer")

    def add_utterance(self, values: dict[str, Any]) -> None:
        self._put(PendingRow(Utterance, values, values["call_id"]))

    def add_suggestion(self, values: dict[str, Any]) -> None:
        self._put(PendingRow(Suggestion, values, values["call_id"]))

    def set_guidance(self, call_id: str, payload: dict[str, Any]) -> None:
        """Store ``payload`` as the call's latest guidance (a later one in the batch wins)."""
        self._put(PendingRow(Call, {"b_id": call_id, "b_guidance": payload}, call_id))

    def _put(self, row: PendingRow) -> None:
        self._idle.clear()
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            log.error("write queue full; row dropped", extra={"call_id": row.call_id})

    def flush(self, timeout: float) -> bool:
        """Wait until everything queued so far is stored (or ``timeout``)."""
        if self._queue.empty() and self._idle.is_set():
            return True
        return self._idle.wait(timeout)

    def stop(self, timeout: float) -> None:
        self.flush(timeout)
        self._running = False
        self._queue.put(None)

    def _run(self) -> None:
        while self._running:
            batch = self._next_batch()
            if batch is None:
                return
            self._store_with_retry(batch)
            if self._queue.empty():
                self._idle.set()

    def _next_batch(self) -> list[PendingRow] | None:
        first = self._queue.get()
        if first is None:
            return None
        batch = [first]
        while len(batch) < MAX_BATCH:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                self._running = False
                break
            batch.append(item)
        return batch

    def _store_with_retry(self, batch: list[PendingRow]) -> None:
        """Retry with backoff until stored; calls hear "caught up" only once nothing of
        theirs is still queued (the queue is drained), not after the first batch.

        A batch the database refuses for good (a constraint or data error, e.g. a row whose
        call was deleted meanwhile) is stored row by row instead, so one bad row can neither
        block the writer nor take its neighbours down with it."""
        attempt = 0
        while batch:
            try:
                self._store(batch)
                batch = []
            except (IntegrityError, DataError):
                batch = self._store_one_by_one(batch)
            except SQLAlchemyError as exc:
                self._delay(batch, exc)
            if batch:
                time.sleep(RETRY_BACKOFF_S[min(attempt, len(RETRY_BACKOFF_S) - 1)])
                attempt += 1
        if self._delayed and self._queue.empty():
            recovered, self._delayed = self._delayed, set()
            self.on_recover(recovered)

    def _delay(self, batch: list[PendingRow], exc: Exception) -> None:
        self.failures += 1
        newly = {row.call_id for row in batch} - self._delayed
        if newly:
            self._delayed |= newly
            self.on_delay(newly)
        log.warning(
            "storing finals failed; will retry",
            extra={"error_type": type(exc).__name__, "rows": len(batch)},
        )

    def _store_one_by_one(self, batch: list[PendingRow]) -> list[PendingRow]:
        """Store each row alone; drop (and log) only rows refused for good. Returns the
        rows still to store if the database becomes unreachable half-way."""
        for index, row in enumerate(batch):
            try:
                self._store([row])
            except (IntegrityError, DataError) as exc:
                log.error(
                    "final refused by the database; dropped",
                    extra={"call_id": row.call_id, "error_type": type(exc).__name__},
                )
            except SQLAlchemyError as exc:
                self._delay(batch[index:], exc)
                return batch[index:]
        return []

    def _store(self, batch: list[PendingRow]) -> None:
        with self.app.app_context():
            try:
                for model in (Utterance, Suggestion):
                    rows = [row.values for row in batch if row.model is model]
                    if rows:  # executemany of one cached statement, not a fresh compile
                        db.session.connection().execute(_insert_ignoring_duplicates(model), rows)
                latest = {row.call_id: row.values for row in batch if row.model is Call}
                if latest:
                    db.session.connection().execute(_GUIDANCE_UPDATE, list(latest.values()))
                db.session.commit()
            except SQLAlchemyError:
                db.session.rollback()
                raise
            finally:
                db.session.remove()


def _insert_ignoring_duplicates(model: type[Any]) -> Any:
    dialect = db.engine.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(model.__table__).on_conflict_do_nothing()


_GUIDANCE_UPDATE = (
    update(Call.__table__)
    .where(Call.__table__.c.id == bindparam("b_id"))
    .values(guidance=bindparam("b_guidance", type_=Call.__table__.c.guidance.type))
)
