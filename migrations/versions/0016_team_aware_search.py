"""team-aware full-text index on PostgreSQL (utterances' team + tsvector in one GIN index)

Revision ID: 0016
Revises: 0003_call_metric_columns
Create Date: 2026-12-01 19:40:00

A common word matched every team's utterances in the plain GIN index before the team
filter ran; the composite index returns only the caller's team. SQLite's FTS5 tables
already index the team and need nothing.
"""

from alembic import op
from sqlalchemy import text

from app.models import search_index

revision = "0016"
down_revision = "0003_call_metric_columns"
branch_labels = None
depends_on = None


def _run(statements) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in statements:
            bind.execute(text(statement))


def upgrade():
    _run((*search_index.POSTGRES_TEAM_CREATE, "DROP INDEX IF EXISTS ix_utterances_search"))


def downgrade():
    _run((search_index.POSTGRES_PLAIN_INDEX, *search_index.POSTGRES_TEAM_DROP))
