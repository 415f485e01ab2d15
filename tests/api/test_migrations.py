"""The migrations are the only way the schema changes: they must build exactly the models."""

from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app.extensions import db
from app.models import search_index
from tests.helpers import make_app


def _fresh_url(tmp_path) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            conn.execute(text("CREATE SCHEMA migration_check"))
        engine.dispose()
        return url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dmigration_check"
    return f"sqlite:///{tmp_path / 'migrated.db'}"


def test_upgrade_builds_the_schema_the_models_describe_and_downgrade_removes_it(tmp_path):
    app = make_app(_fresh_url(tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            opts = {"include_object": search_index.include_object}
            diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
        assert diff == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
