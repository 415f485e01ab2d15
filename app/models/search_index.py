"""Full-text index objects that live outside the ORM models, one set per database dialect.

SQLite: FTS5 tables holding a copy of ``utterances.text`` (with the call and team ids) and
``calls.title`` (with the team id), kept in step by triggers keyed on the rows' rowids. The
team id is an indexed column so a search intersects with the team inside FTS5 instead of
ranking every team's matches.
PostgreSQL: a stored generated ``tsvector`` column on utterances, indexed together with the
utterance's team (a trigger-filled copy of its call's team) in one GIN index, and a GIN
expression index on the calls' titles.

The migrations (0002, 0016, 0021) and ``metadata.create_all`` (through :func:`install`) both
create them from the statements below; :func:`include_object` hides them from autogenerate
comparisons.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Connection

LANGUAGE = "english"
TOKENIZER = "porter unicode61 remove_diacritics 2"

# The utterances' call id is indexed too (since migration 0021), so the snippets of one page
# of results intersect with the page's calls inside FTS5.
SQLITE_UTTERANCES_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS utterances_fts USING fts5("
    f"text, team_id, call_id, tokenize='{TOKENIZER}')",
    # Rank by the text only: the team and call columns narrow the match, they do not score.
    "INSERT INTO utterances_fts(utterances_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0, 0.0)')",
)
SQLITE_UTTERANCES_REBUILD = (
    "DELETE FROM utterances_fts",
    "INSERT INTO utterances_fts(rowid, text, team_id, call_id) "
    "SELECT u.rowid, u.text, c.team_id, u.call_id FROM utterances AS u "
    "JOIN calls AS c ON c.id = u.call_id",
)
SQLITE_CREATE = (
    *SQLITE_UTTERANCES_CREATE,
    "CREATE VIRTUAL TABLE IF NOT EXISTS calls_fts USING fts5("
    f"title, team_id, tokenize='{TOKENIZER}')",
    "INSERT INTO calls_fts(calls_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)')",
    "CREATE TRIGGER IF NOT EXISTS utterances_fts_ai AFTER INSERT ON utterances BEGIN "
    "INSERT INTO utterances_fts(rowid, text, team_id, call_id) VALUES (new.rowid, new.text, "
    "(SELECT team_id FROM calls WHERE id = new.call_id), new.call_id); END",
    "CREATE TRIGGER IF NOT EXISTS utterances_fts_ad AFTER DELETE ON utterances BEGIN "
    "DELETE FROM utterances_fts WHERE rowid = old.rowid; END",
    "CREATE TRIGGER IF NOT EXISTS utterances_fts_au AFTER UPDATE OF text ON utterances BEGIN "
    "UPDATE utterances_fts SET text = new.text WHERE rowid = old.rowid; END",
    "CREATE TRIGGER IF NOT EXISTS calls_fts_ai AFTER INSERT ON calls BEGIN "
    "INSERT INTO calls_fts(rowid, title, team_id) VALUES (new.rowid, new.title, new.team_id); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS calls_fts_ad AFTER DELETE ON calls BEGIN "
    "DELETE FROM calls_fts WHERE rowid = old.rowid; END",
    "CREATE TRIGGER IF NOT EXISTS calls_fts_au AFTER UPDATE OF title ON calls BEGIN "
    "UPDATE calls_fts SET title = new.title WHERE rowid = old.rowid; END",
)
SQLITE_REBUILD = (
    *SQLITE_UTTERANCES_REBUILD,
    "DELETE FROM calls_fts",
    "INSERT INTO calls_fts(rowid, title, team_id) SELECT rowid, title, team_id FROM calls",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS utterances_fts_ai",
    "DROP TRIGGER IF EXISTS utterances_fts_ad",
    "DROP TRIGGER IF EXISTS utterances_fts_au",
    "DROP TRIGGER IF EXISTS calls_fts_ai",
    "DROP TRIGGER IF EXISTS calls_fts_ad",
    "DROP TRIGGER IF EXISTS calls_fts_au",
    "DROP TABLE IF EXISTS utterances_fts",
    "DROP TABLE IF EXISTS calls_fts",
)

POSTGRES_CREATE = (
    "ALTER TABLE utterances ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('{LANGUAGE}'::regconfig, text)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_calls_title_search ON calls "
    f"USING gin (to_tsvector('{LANGUAGE}'::regconfig, title))",
)
# The team of each utterance, copied from its call by a trigger, so one composite GIN index
# answers "this team's utterances with this word": without it the index returns every
# team's matches of a common word and the team filter runs on each of them afterwards.
# btree_gin (a trusted extension shipped with PostgreSQL) lets a GIN index hold the text id.
POSTGRES_TEAM_CREATE = (
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "ALTER TABLE utterances ADD COLUMN IF NOT EXISTS search_team_id varchar(36)",
    "CREATE OR REPLACE FUNCTION utterances_search_team() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN NEW.search_team_id := (SELECT team_id FROM calls WHERE id = NEW.call_id); "
    "RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS utterances_search_team_bi ON utterances",
    "CREATE TRIGGER utterances_search_team_bi BEFORE INSERT ON utterances "
    "FOR EACH ROW EXECUTE FUNCTION utterances_search_team()",
    "UPDATE utterances AS u SET search_team_id = c.team_id FROM calls AS c "
    "WHERE c.id = u.call_id AND u.search_team_id IS NULL",
    "CREATE INDEX IF NOT EXISTS ix_utterances_team_search ON utterances "
    "USING gin (search_team_id, search_vector)",
)
POSTGRES_TEAM_DROP = (
    "DROP INDEX IF EXISTS ix_utterances_team_search",
    "DROP TRIGGER IF EXISTS utterances_search_team_bi ON utterances",
    "DROP FUNCTION IF EXISTS utterances_search_team()",
    "ALTER TABLE IF EXISTS utterances DROP COLUMN IF EXISTS search_team_id",
)
POSTGRES_DROP = (
    *POSTGRES_TEAM_DROP,
    "DROP INDEX IF EXISTS ix_calls_title_search",
    "DROP INDEX IF EXISTS ix_utterances_search",
    "ALTER TABLE IF EXISTS utterances DROP COLUMN IF EXISTS search_vector",
)
# The single-column index that the team-aware one replaced (kept for migration downgrades).
POSTGRES_PLAIN_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_utterances_search ON utterances USING gin (search_vector)"
)

HIDDEN_TABLE_PREFIXES = ("utterances_fts", "calls_fts")
HIDDEN_NAMES = frozenset(
    {
        "search_vector",
        "search_team_id",
        "ix_utterances_search",
        "ix_utterances_team_search",
        "ix_calls_title_search",
    }
)


def _run(conn: Connection, statements: tuple[str, ...]) -> None:
    for statement in statements:
        conn.execute(text(statement))


def create_objects(conn: Connection, rebuild: bool = False) -> None:
    """Create the index objects for ``conn``'s dialect (``rebuild``: index existing rows)."""
    if conn.dialect.name == "sqlite":
        _run(conn, SQLITE_CREATE + (SQLITE_REBUILD if rebuild else ()))
    elif conn.dialect.name == "postgresql":
        _run(conn, POSTGRES_CREATE + POSTGRES_TEAM_CREATE)


def drop_objects(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        _run(conn, SQLITE_DROP)
    elif conn.dialect.name == "postgresql":
        _run(conn, POSTGRES_DROP)


def rebuild(conn: Connection) -> None:
    """Re-index every row (SQLite: needed after a VACUUM, which may renumber rowids)."""
    if conn.dialect.name == "sqlite":
        _run(conn, SQLITE_REBUILD)
    elif conn.dialect.name == "postgresql":
        conn.execute(text("REINDEX INDEX ix_utterances_team_search"))
        conn.execute(text("REINDEX INDEX ix_calls_title_search"))


def _after_create(target: MetaData, conn: Connection, **_: Any) -> None:
    create_objects(conn)


def _before_drop(target: MetaData, conn: Connection, **_: Any) -> None:
    drop_objects(conn)


def install(metadata: MetaData) -> None:
    """Make ``create_all``/``drop_all`` (tests, scratch databases) include the index objects."""
    if not event.contains(metadata, "after_create", _after_create):
        event.listen(metadata, "after_create", _after_create)
        event.listen(metadata, "before_drop", _before_drop)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
    """Alembic hook: the index objects are managed by hand, not by autogenerate."""
    if name is None:
        return True
    if type_ == "table" and name.startswith(HIDDEN_TABLE_PREFIXES):
        return False
    return not (type_ in ("column", "index") and name in HIDDEN_NAMES)
