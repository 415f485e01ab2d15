"""A cap on the sockets one user holds open at once (``MAX_SOCKETS_PER_USER``).

With ``REDIS_URL`` the open sockets are counted across workers: one sorted set per user
(``<prefix>sockets:<user_id>``) holds the socket ids scored by when their claim lapses.
Each worker's watchdog renews the claims of its own sockets, so the sockets of a worker
that died without closing them stop counting after ``ttl_s``. Without Redis the count is
per process, which is exact in the single-process embedded mode. If Redis fails the cap
fails open with a warning (like the other shared limits, app/services/live/limits.py).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any

from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class SocketSlots:
    def __init__(self, redis: Any, prefix: str, per_user: int, ttl_s: float = 30.0) -> None:
        self.redis, self.prefix, self.per_user, self.ttl_s = redis, prefix, per_user, ttl_s
        self._owner: dict[str, str] = {}  # socket id -> user id, this worker's sockets
        self._lock = threading.Lock()

    def claim(self, user_id: str, sid: str) -> bool:
        """Take a slot for a new socket; False when the user already holds the maximum."""
        with self._lock:
            if self.redis is None:
                held = sum(1 for owner in self._owner.values() if owner == user_id)
                allowed = held < self.per_user
            else:
                allowed = self._claim_redis(user_id, sid)
            if allowed:
                self._owner[sid] = user_id
            return allowed

    def release(self, sid: str) -> None:
        with self._lock:
            user_id = self._owner.pop(sid, None)
        if user_id is None or self.redis is None:
            return
        try:
            self.redis.zrem(self._key(user_id), sid)
        except RedisError as exc:  # the claim lapses by itself after ttl_s
            log.warning("socket slot release failed", extra={"error_type": type(exc).__name__})

    def renew(self) -> None:
        """Extend the claims of this worker's sockets (called by the watchdog)."""
        with self._lock:
            owned = list(self._owner.items())
        if self.redis is None or not owned:
            return
        until = time.time() + self.ttl_s
        try:
            pipe = self.redis.pipeline()
            for sid, user_id in owned:
                pipe.zadd(self._key(user_id), {sid: until}, xx=True)
                pipe.expire(self._key(user_id), self._key_ttl)
            pipe.execute()
        except RedisError as exc:
            log.warning("socket slot renewal failed", extra={"error_type": type(exc).__name__})

    @property
    def _key_ttl(self) -> int:
        """Whole seconds for EXPIRE (0 would delete the key at once)."""
        return max(1, math.ceil(self.ttl_s * 2))

    def _key(self, user_id: str) -> str:
        return f"{self.prefix}sockets:{user_id}"

    def _claim_redis(self, user_id: str, sid: str) -> bool:
        """Add, then count: two workers racing for the last slot may both refuse, never
        both accept."""
        key, now = self._key(user_id), time.time()
        try:
            pipe = self.redis.pipeline()
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.zadd(key, {sid: now + self.ttl_s})
            pipe.zcard(key)
            pipe.expire(key, self._key_ttl)
            held = int(pipe.execute()[2])
            if held <= self.per_user:
                return True
            self.redis.zrem(key, sid)
            return False
        except RedisError as exc:
            log.warning("shared socket cap unavailable", extra={"error_type": type(exc).__name__})
            return True
