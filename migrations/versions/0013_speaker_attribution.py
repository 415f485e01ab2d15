"""speaker attribution: how each line's speaker was attributed, and reps' voice profiles

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:00:00
"""

import sqlalchemy as sa
from alembic import op

from app.models import search_index

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("utterances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attribution_method", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("attribution_confidence", sa.Float(), nullable=True))
    op.create_table(
        "voice_profiles",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("vector", sa.JSON(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade():
    op.drop_table("voice_profiles")
    # SQLite recreates the table to drop columns: its search triggers go with it.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        search_index.drop_objects(op.get_bind())
    with op.batch_alter_table("utterances", schema=None) as batch_op:
        batch_op.drop_column("attribution_confidence")
        batch_op.drop_column("attribution_method")
    if sqlite:
        search_index.create_objects(op.get_bind(), rebuild=True)
