"""live guidance: talk tracks per entry, stage guidance, call setup and latest guidance

Revision ID: 0014
Revises: 0017
Create Date: 2026-12-01 19:50:00

Existing entries get their talk track as their only talk track. Existing teams need no
stage rows: a team without stored stages gets the default guidance of every stage.
"""

import sqlalchemy as sa
from alembic import op

from app.models import search_index

revision = "0014"
down_revision = "0017"
branch_labels = None
depends_on = None

CALL_COLUMNS = (
    ("prospect_name", sa.String(length=200)),
    ("prospect_company", sa.String(length=200)),
    ("guidance", sa.JSON()),
)


def _backfill_talk_tracks():
    entries = sa.table(
        "toolkit_entries", sa.column("id"), sa.column("talk_track"), sa.column("talk_tracks", sa.JSON())
    )
    bind = op.get_bind()
    for entry_id, text in bind.execute(sa.select(entries.c.id, entries.c.talk_track)).all():
        tracks = [{"text": text, "when_to_use": ""}] if (text or "").strip() else []
        bind.execute(
            entries.update().where(entries.c.id == entry_id).values(talk_tracks=tracks)
        )


def upgrade():
    with op.batch_alter_table("toolkit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("talk_tracks", sa.JSON(), nullable=True))
    _backfill_talk_tracks()
    with op.batch_alter_table("toolkit_entries", schema=None) as batch_op:
        batch_op.alter_column("talk_tracks", existing_type=sa.JSON(), nullable=False)

    op.create_table(
        "toolkit_stages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("focus", sa.JSON(), nullable=False),
        sa.Column("objectives", sa.JSON(), nullable=False),
        sa.Column("key_questions", sa.JSON(), nullable=False),
        sa.Column("talking_points", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "stage", name="uq_toolkit_stage_team_stage"),
    )
    with op.batch_alter_table("toolkit_stages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_toolkit_stages_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("calls", schema=None) as batch_op:
        for name, type_ in CALL_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade():
    # SQLite recreates the table to drop columns: its search triggers go with it.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        search_index.drop_objects(op.get_bind())
    with op.batch_alter_table("calls", schema=None) as batch_op:
        for name, _ in reversed(CALL_COLUMNS):
            batch_op.drop_column(name)
    if sqlite:
        search_index.create_objects(op.get_bind(), rebuild=True)
    with op.batch_alter_table("toolkit_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_toolkit_stages_team_id"))
    op.drop_table("toolkit_stages")
    with op.batch_alter_table("toolkit_entries", schema=None) as batch_op:
        batch_op.drop_column("talk_tracks")
