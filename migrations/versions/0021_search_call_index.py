"""search: calls' (team, id, start) index; the utterances' call id indexed in SQLite's FTS5

Revision ID: 0021
Revises: 0014
Create Date: 2026-12-01 23:40:00

A results page's snippets were found by matching the term in every utterance of the team
and then filtering by call id (an unindexed FTS5 column): for a common word that read and
ranked thousands of utterances to mark up 25. With the call id indexed, the page's call
ids join the MATCH and FTS5 intersects inside the index. The table is rebuilt from the
stored utterances (its triggers are unchanged).

Both databases: ranking the matches of a common word joined thousands of calls to read
their start (the tie-break); ``ix_calls_team_id_started`` answers that from the index.
"""

from alembic import op
from sqlalchemy import text

from app.models import search_index

revision = "0021"
down_revision = "0014"
branch_labels = None
depends_on = None

_BEFORE = (
    "CREATE VIRTUAL TABLE utterances_fts USING fts5("
    f"text, team_id, call_id UNINDEXED, tokenize='{search_index.TOKENIZER}')",
    "INSERT INTO utterances_fts(utterances_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)')",
)


def _rebuild(create: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    statements = (
        "DROP TABLE IF EXISTS utterances_fts",
        *create,
        *search_index.SQLITE_UTTERANCES_REBUILD,
    )
    for statement in statements:
        bind.execute(text(statement))


def upgrade():
    op.create_index("ix_calls_team_id_started", "calls", ["team_id", "id", "started_at"])
    _rebuild(search_index.SQLITE_UTTERANCES_CREATE)


def downgrade():
    _rebuild(_BEFORE)
    op.drop_index("ix_calls_team_id_started", table_name="calls")
