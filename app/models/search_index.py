"""Full-text index objects that live outside the ORM models, one set per database dialect.

SQLite: FTS5 external-content tables over ``utterances.text`` and ``calls.title`` kept in
step by triggers (the text is stored once; the index points at the rows' rowids).
PostgreSQL: a stored generated ``tsvector`` column on utterances with a GIN index, and a
GIN expression index on the calls' titles.

The migration 0002 and ``metadata.create_all`` (through :func:`install`) both create them
from the statements below; :func:`include_object` hides them from autogenerate comparisons.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Connection

LANGUAGE = "english"
TOKENIZER = "porter unicode61 remove_diacritics 2"

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS utterances_fts USING fts5("
    f"text, content='utterances', tokenize='{TOKENIZER}')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS calls_fts USING fts5("
    f"title, content='calls', tokenize='{TOKENIZER}')",
    "CREATE TRIGGER IF NOT EXISTS utterances_fts_ai AFTER INSERT ON utterances BEGIN "
    "INSERT INTO utterances_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS utterances_fts_ad AFTER DELETE ON utterances BEGIN "
    "INSERT INTO utterances_fts(utterances_fts, rowid, text) "
    "VALUES ('delete', old.rowid, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS utterances_fts_au AFTER UPDATE OF text ON utterances BEGIN "
    "INSERT INTO utterances_fts(utterances_fts, rowid, text) "
    "VALUES ('delete', old.rowid, old.text); "
    "INSERT INTO utterances_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS calls_fts_ai AFTER INSERT ON calls BEGIN "
    "INSERT INTO calls_fts(rowid, title) VALUES (new.rowid, new.title); END",
    "CREATE TRIGGER IF NOT EXISTS calls_fts_ad AFTER DELETE ON calls BEGIN "
    "INSERT INTO calls_fts(calls_fts, rowid, title) VALUES ('delete', old.rowid, old.title); END",
    "CREATE TRIGGER IF NOT EXISTS calls_fts_au AFTER UPDATE OF title ON calls BEGIN "
    "INSERT INTO calls_fts(calls_fts, rowid, title) VALUES ('delete', old.rowid, old.title); "
    "INSERT INTO calls_fts(rowid, title) VALUES (new.rowid, new.title); END",
)
SQLITE_REBUILD = (
    "INSERT INTO utterances_fts(utterances_fts) VALUES ('rebuild')",
    "INSERT INTO calls_fts(calls_fts) VALUES ('rebuild')",
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
    "CREATE INDEX IF NOT EXISTS ix_utterances_search ON utterances USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS ix_calls_title_search ON calls "
    f"USING gin (to_tsvector('{LANGUAGE}'::regconfig, title))",
)
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS ix_calls_title_search",
    "DROP INDEX IF EXISTS ix_utterances_search",
    "ALTER TABLE IF EXISTS utterances DROP COLUMN IF EXISTS search_vector",
)

HIDDEN_TABLE_PREFIXES = ("utterances_fts", "calls_fts")
HIDDEN_NAMES = frozenset({"search_vector", "ix_utterances_search", "ix_calls_title_search"})


def _run(conn: Connection, statements: tuple[str, ...]) -> None:
    for statement in statements:
        conn.execute(text(statement))


def create_objects(conn: Connection, rebuild: bool = False) -> None:
    """Create the index objects for ``conn``'s dialect (``rebuild``: index existing rows)."""
    if conn.dialect.name == "sqlite":
        _run(conn, SQLITE_CREATE + (SQLITE_REBUILD if rebuild else ()))
    elif conn.dialect.name == "postgresql":
        _run(conn, POSTGRES_CREATE)


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
        conn.execute(text("REINDEX INDEX ix_utterances_search"))
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
