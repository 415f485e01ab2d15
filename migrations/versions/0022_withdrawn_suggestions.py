"""suggestions: a card fired on an interim that its final did not confirm is withdrawn

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 10:00:00

``withdrawn_reason`` (app.events.WithdrawReason) is set on such a card's row; None (every
existing row) means the card stood. The suggestions table has no search triggers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_reason", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_reason")
