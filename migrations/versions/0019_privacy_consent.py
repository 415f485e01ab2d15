"""team privacy settings (consent, redaction) and each call's recording consent

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-01 19:50:00
"""

import sqlalchemy as sa
from alembic import op

from app.models import search_index

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None

CALL_COLUMNS = ("consent_mode", "consent_text", "consent_confirmed_at", "consent_confirmed_by")


def upgrade():
    op.create_table(
        "team_privacy",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("consent_mode", sa.String(length=16), nullable=False),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("redaction_kinds", sa.JSON(), nullable=False),
        sa.Column("phone_region", sa.String(length=2), nullable=False),
        sa.Column("rep_sees_unredacted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id"),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # SQLite recreates the table: its search triggers go with it
        search_index.drop_objects(op.get_bind())
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_mode", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("consent_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("consent_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("consent_confirmed_by", sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(
            "fk_calls_consent_confirmed_by",
            "users",
            ["consent_confirmed_by"],
            ["id"],
            ondelete="SET NULL",
        )
    if sqlite:
        search_index.create_objects(op.get_bind(), rebuild=True)


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        search_index.drop_objects(op.get_bind())
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_constraint("fk_calls_consent_confirmed_by", type_="foreignkey")
        for name in reversed(CALL_COLUMNS):
            batch_op.drop_column(name)
    if sqlite:
        search_index.create_objects(op.get_bind(), rebuild=True)
    op.drop_table("team_privacy")
