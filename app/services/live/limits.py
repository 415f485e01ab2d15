"""Limits shared by every worker: per-user control-event counters and the team lock that
makes the live-call caps hold across processes.

With ``REDIS_URL`` set both live in Redis (keys under ``REDIS_KEY_PREFIX``); without it
they are per process, which is exact for the single-process embedded mode. On
PostgreSQL the cap check also takes a transaction-scoped advisory lock, so two workers
cannot both pass the count even without Redis. If Redis fails the limits fail open
(per-connection buckets still apply) and a warning is logged: calls must keep working.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy import func, select

from app.extensions import db

log = logging.getLogger(__name__)
WINDOW_S = 60
LOCK_TIMEOUT_S = 5.0


class UserEventCounter:
    """Fixed one-minute windows of control events per user."""

    def __init__(self, redis: Any, prefix: str, per_minute: int) -> None:
        self.redis, self.prefix, self.per_minute = redis, prefix, per_minute
        self._local: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def allow(self, user_id: str, now: float | None = None) -> bool:
        window = int((time.time() if now is None else now) // WINDOW_S)
        if self.redis:
            count = self._count_redis(user_id, window)
        else:
            count = self._count_local(user_id, window)
        return count is None or count <= self.per_minute

    def _count_redis(self, user_id: str, window: int) -> int | None:
        key = f"{self.prefix}rl:control:{user_id}:{window}"
        try:
            pipe = self.redis.pipeline()
            pipe.incr(key)
            pipe.expire(key, WINDOW_S * 2)
            count, _ = pipe.execute()
        except RedisError as exc:
            log.warning("shared socket limit unavailable", extra={"error_type": type(exc).__name__})
            return None
        return int(count)

    def _count_local(self, user_id: str, window: int) -> int:
        with self._lock:
            if len(self._local) > 10_000:
                self._local = {k: v for k, v in self._local.items() if k[1] == window}
            key = (user_id, window)
            self._local[key] = self._local.get(key, 0) + 1
            return self._local[key]


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_xact_lock``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class TeamLocks:
    """Serialises "count live calls, then insert one" per team across workers."""

    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis, self.prefix = redis, prefix
        self._local = threading.Lock()

    @contextmanager
    def hold(self, team_id: str) -> Iterator[None]:
        with self._local:
            lock = self._acquire_redis(team_id)
            try:
                if db.engine.dialect.name == "postgresql":
                    db.session.execute(select(func.pg_advisory_xact_lock(advisory_key(team_id))))
                yield
            finally:
                self._release(lock)

    def _acquire_redis(self, team_id: str) -> Any:
        if not self.redis:
            return None
        lock = self.redis.lock(
            f"{self.prefix}lock:calls:{team_id}",
            timeout=LOCK_TIMEOUT_S,
            blocking_timeout=LOCK_TIMEOUT_S,
        )
        try:
            return lock if lock.acquire() else None
        except RedisError as exc:
            log.warning("team lock unavailable", extra={"error_type": type(exc).__name__})
            return None

    @staticmethod
    def _release(lock: Any) -> None:
        if lock is None:
            return
        try:
            lock.release()
        except RedisError:  # expired or Redis gone: the lock times out by itself
            log.warning("team lock release failed")
