"""call metric columns (numeric copies of the live summary, for analytics)

Revision ID: 0003_call_metric_columns
Revises: 0002_full_text_search
Create Date: 2026-11-26 05:43:26

Existing calls are back-filled from their stored live summary.
"""

import sqlalchemy as sa
from alembic import op

from app.models import search_index
from app.services.metric_columns import stored_metrics

revision = "0003_call_metric_columns"
down_revision = "0002_full_text_search"
branch_labels = None
depends_on = None

COLUMNS = (
    ("talk_ratio", sa.Float()),
    ("rep_talk_s", sa.Float()),
    ("prospect_talk_s", sa.Float()),
    ("questions_asked", sa.Integer()),
    ("checklist_coverage", sa.Float()),
)


def _backfill():
    calls = sa.table("calls", sa.column("id"), sa.column("live_summary", sa.JSON()),
                     *(sa.column(name, type_) for name, type_ in COLUMNS))
    bind = op.get_bind()
    rows = bind.execute(sa.select(calls.c.id, calls.c.live_summary)
                        .where(calls.c.live_summary.isnot(None))).all()
    for call_id, summary in rows:
        values = stored_metrics(summary if isinstance(summary, dict) else None)
        bind.execute(calls.update().where(calls.c.id == call_id).values(**values))


def upgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    _backfill()


def downgrade():
    # SQLite recreates the table to drop columns: its search triggers go with it.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        search_index.drop_objects(op.get_bind())
    with op.batch_alter_table("calls", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
    if sqlite:
        search_index.create_objects(op.get_bind(), rebuild=True)
