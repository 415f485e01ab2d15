"""Text search over call titles and transcripts, behind one small interface.

The portable implementation here uses case-insensitive LIKE; the full-text indexes
(SQLite FTS5 / PostgreSQL tsvector) plug in behind the same two functions.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import exists, or_, select

from app.extensions import db
from app.models import Call, Utterance

SNIPPET_RADIUS = 60


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_match_filter(team_id: str, q: str) -> Any:
    """A WHERE clause matching calls whose title or any utterance contains ``q``."""
    pattern = _like(q.strip())
    said = exists().where(Utterance.call_id == Call.id, Utterance.text.ilike(pattern, escape="\\"))
    return or_(Call.title.ilike(pattern, escape="\\"), said)


def search_snippets(call_ids: list[str], q: str) -> dict[str, str]:
    """A short excerpt around the first match per call (plain text; the UI highlights)."""
    if not call_ids:
        return {}
    rows = db.session.execute(
        select(Utterance.call_id, Utterance.text)
        .where(Utterance.call_id.in_(call_ids), Utterance.text.ilike(_like(q), escape="\\"))
        .order_by(Utterance.start_ms)
    )
    found: dict[str, str] = {}
    needle = re.compile(re.escape(q), re.IGNORECASE)
    for call_id, text in rows:
        if call_id in found:
            continue
        match = needle.search(text)
        start = max(0, match.start() - SNIPPET_RADIUS) if match else 0
        found[call_id] = text[start : start + 2 * SNIPPET_RADIUS + len(q)]
    return found
