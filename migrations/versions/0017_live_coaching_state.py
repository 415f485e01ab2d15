"""live coaching state: a snapshot per live call, so another worker continues its coaching

Revision ID: 0017
Revises: 0020
Create Date: 2026-12-01 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "live_coaching_states",
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("call_id"),
    )


def downgrade():
    op.drop_table("live_coaching_states")
