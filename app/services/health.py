"""Readiness checks of real dependencies.

Checks that do I/O (database, Redis) are cached for ``ttl`` seconds per process; checks
that only read in-memory state (provider health from the last real interactions) run
on every report, so a provider failure shows at once. An advisory check is reported but
does not make the worker unready (the LLM: coaching falls back to the playbook).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from app.extensions import db
from app.services.provider_health import ProviderUnhealthy
from app.services.transcription.base import TranscriberUnavailable

log = logging.getLogger(__name__)
Check = Callable[[], None]


@dataclass
class HealthChecker:
    """Runs named checks; each raises on failure. Results live ``ttl`` seconds."""

    ttl: float
    checks: dict[str, Check] = field(default_factory=dict)
    live_checks: dict[str, Check] = field(default_factory=dict)
    advisory: set[str] = field(default_factory=set)
    _cached: tuple[float, dict[str, Any]] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, check: Check, *, cached: bool = True, critical: bool = True) -> None:
        """Register a check; a report cached before it was added is dropped."""
        with self._lock:
            (self.checks if cached else self.live_checks)[name] = check
            self._cached = None
        if not critical:
            self.advisory.add(name)

    def report(self) -> dict[str, Any]:
        with self._lock:
            now = time.monotonic()
            if not (self._cached and now - self._cached[0] < self.ttl):
                self._cached = (now, _run(self.checks))
            results = {**self._cached[1], **_run(self.live_checks)}
        ready = all(r["ok"] for name, r in results.items() if name not in self.advisory)
        return {"ready": ready, "checks": results}


def _run(checks: dict[str, Check]) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
            results[name] = {"ok": True}
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            log.warning(
                "health check failed", extra={"check": name, "error_type": type(exc).__name__}
            )
            results[name] = {"ok": False, "error": _error_code(exc)}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


def _error_code(exc: Exception) -> str:
    """A provider's stable reason (``provider_auth_failed``), else the exception type."""
    if isinstance(exc, ProviderUnhealthy | TranscriberUnavailable):
        return exc.code
    return type(exc).__name__


def database_check() -> None:
    db.session.execute(text("SELECT 1"))
    db.session.rollback()
