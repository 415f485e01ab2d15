"""Capture every log record of a test as the production JSON formatter renders it."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from app.logging import RequestIdFilter, SafeJsonFormatter


class CapturedLogs:
    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.records: list[logging.LogRecord] = []

    @property
    def text(self) -> str:
        """The JSON lines (message, extra fields, withheld exceptions) plus each message."""
        return self.stream.getvalue() + "\n".join(r.getMessage() for r in self.records)


class _Keep(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


@contextmanager
def captured_logs() -> Iterator[CapturedLogs]:
    """Root logger at DEBUG (the most an operator can set) for the duration."""
    logs = CapturedLogs()
    json_handler = logging.StreamHandler(logs.stream)
    json_handler.setFormatter(SafeJsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    json_handler.addFilter(RequestIdFilter())
    keep = _Keep(logs.records)
    root = logging.getLogger()
    old_level = root.level
    # Alembic's fileConfig (run by the migration tests) disables every existing logger;
    # re-enable them so the capture sees what production would write.
    disabled = [
        lg
        for lg in root.manager.loggerDict.values()
        if isinstance(lg, logging.Logger) and lg.disabled
    ]
    for lg in disabled:
        lg.disabled = False
    root.addHandler(json_handler)
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    try:
        yield logs
    finally:
        root.removeHandler(json_handler)
        root.removeHandler(keep)
        root.setLevel(old_level)
        for lg in disabled:
            lg.disabled = True
