"""Readiness checks of real dependencies, cached for a few seconds per process."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from app.extensions import db

log = logging.getLogger(__name__)
Check = Callable[[], None]


@dataclass
class HealthChecker:
    """Runs named checks; each raises on failure. Results live ``ttl`` seconds."""

    ttl: float
    checks: dict[str, Check] = field(default_factory=dict)
    _cached: tuple[float, dict[str, Any]] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, check: Check) -> None:
        self.checks[name] = check

    def report(self) -> dict[str, Any]:
        with self._lock:
            now = time.monotonic()
            if self._cached and now - self._cached[0] < self.ttl:
                return self._cached[1]
            result = self._run()
            self._cached = (now, result)
            return result

    def _run(self) -> dict[str, Any]:
        results: dict[str, dict[str, Any]] = {}
        for name, check in self.checks.items():
            started = time.perf_counter()
            try:
                check()
                results[name] = {"ok": True}
            except Exception as exc:  # noqa: BLE001 - any failure means not ready
                log.warning(
                    "health check failed", extra={"check": name, "error_type": type(exc).__name__}
                )
                results[name] = {"ok": False, "error": type(exc).__name__}
            results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
        return {"ready": all(r["ok"] for r in results.values()), "checks": results}


def database_check() -> None:
    db.session.execute(text("SELECT 1"))
    db.session.rollback()
