"""toolkit entries: example utterances and a similarity threshold

Revision ID: 0012
Revises: 0019
Create Date: 2026-12-01 19:40:00

Entries that keep a default entry's name get the default entry's examples, so teams
seeded before this revision recognise moments by meaning without re-importing.
"""

import sqlalchemy as sa
import yaml
from alembic import op

from app.services.toolkit import DEFAULT_TOOLKIT

revision = "0012"
down_revision = "0019"
branch_labels = None
depends_on = None


def _default_examples():
    raw = yaml.safe_load(DEFAULT_TOOLKIT.read_text())
    return {e["name"]: list(e.get("examples") or []) for e in raw["entries"]}


def _backfill():
    entries = sa.table("toolkit_entries", sa.column("name"), sa.column("examples", sa.JSON()))
    bind = op.get_bind()
    for name, examples in _default_examples().items():
        if examples:
            bind.execute(entries.update().where(entries.c.name == name).values(examples=examples))


def upgrade():
    with op.batch_alter_table("toolkit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("examples", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("threshold", sa.Float(), nullable=True))
    _backfill()


def downgrade():
    with op.batch_alter_table("toolkit_entries", schema=None) as batch_op:
        batch_op.drop_column("threshold")
        batch_op.drop_column("examples")
