"""Engine tuning per dialect.

SQLite (the embedded mode) runs in WAL mode with ``synchronous=NORMAL``: readers never
block the writer, and a commit no longer waits for an fsync of the whole database (it is
still durable against a process crash; a power cut can lose the last commits), which
took a quarter of the server's time under load. ``busy_timeout`` makes concurrent
writers wait instead of failing with "database is locked".
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=5000",
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_pragmas):
        event.listen(engine, "connect", _sqlite_pragmas)
