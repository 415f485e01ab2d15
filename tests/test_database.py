from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from app.extensions import db


@pytest.mark.skipif(
    os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"), reason="SQLite-only pragmas"
)
def test_sqlite_runs_in_wal_mode_with_normal_sync(app):
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
