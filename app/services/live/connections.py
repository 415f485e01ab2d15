"""Per-connection state of the `/audio` namespace: who is connected, token expiry, and
event rate limits (Flask-Limiter does not cover Socket.IO events)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from app.services.auth import Principal


@dataclass
class TokenBucket:
    """``rate`` tokens per second, bursts up to ``capacity``."""

    rate: float
    capacity: float
    tokens: float = -1.0
    updated: float = field(default_factory=time.monotonic)

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if self.tokens < 0:
            self.tokens = self.capacity
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass(frozen=True)
class SocketLimits:
    """Rates come from settings (SOCKET_AUDIO_PER_SECOND, SOCKET_CONTROL_PER_MINUTE)."""

    audio_per_second: float
    audio_burst: float
    control_per_minute: float
    control_burst: float
    strikes_before_disconnect: int = 20

    @classmethod
    def from_rates(cls, audio_per_second: float, control_per_minute: float) -> SocketLimits:
        # A browser sends 10 chunks/s per source (rep + meeting tab = 20/s) and, after a
        # reconnect, resends up to 30 s of buffered chunks of both sources at once.
        return cls(
            audio_per_second,
            audio_per_second * 14,
            control_per_minute,
            max(1.0, control_per_minute / 3),
        )


@dataclass
class Connection:
    sid: str
    principal: Principal
    limits: SocketLimits
    audio_bucket: TokenBucket = field(init=False)
    control_bucket: TokenBucket = field(init=False)
    strikes: int = 0
    watching: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.audio_bucket = TokenBucket(self.limits.audio_per_second, self.limits.audio_burst)
        self.control_bucket = TokenBucket(
            self.limits.control_per_minute / 60.0, self.limits.control_burst
        )

    def allow(self, kind: str) -> bool:
        """Take a token for an event; repeated refusals add strikes."""
        bucket = self.audio_bucket if kind == "audio" else self.control_bucket
        if bucket.take():
            return True
        self.strikes += 1
        return False

    @property
    def should_disconnect(self) -> bool:
        return self.strikes >= self.limits.strikes_before_disconnect


class ConnectionRegistry:
    """Connections of this worker, by Socket.IO session id."""

    def __init__(self, limits: SocketLimits) -> None:
        self.limits = limits
        self._by_sid: dict[str, Connection] = {}
        self._lock = threading.Lock()

    def add(self, sid: str, principal: Principal) -> Connection:
        connection = Connection(sid, principal, self.limits)
        with self._lock:
            self._by_sid[sid] = connection
        return connection

    def get(self, sid: str) -> Connection | None:
        with self._lock:
            return self._by_sid.get(sid)

    def remove(self, sid: str) -> Connection | None:
        with self._lock:
            return self._by_sid.pop(sid, None)

    def all(self) -> list[Connection]:
        with self._lock:
            return list(self._by_sid.values())

    def replace_principal(self, sid: str, principal: Principal) -> None:
        with self._lock:
            if sid in self._by_sid:
                self._by_sid[sid].principal = principal
