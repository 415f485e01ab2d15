"""Full-text search over call titles and transcripts, behind one small interface.

SQLite uses the FTS5 tables and PostgreSQL the tsvector indexes of
``app.models.search_index``; the dialect of the session's engine picks the implementation.
Both accept the same web-search syntax (words must all match, ``"quoted phrases"``, ``OR``
between words, ``-word`` excludes) and stem English words. Matches in snippets are marked
with ``«`` and ``»`` (plain text: the frontend renders text, never HTML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, Select, bindparam, false, func, select, text
from sqlalchemy.sql.selectable import Subquery

from app.extensions import db
from app.models import Call
from app.models.search_index import LANGUAGE

MARK_START, MARK_END, ELLIPSIS = "«", "»", "…"
SNIPPET_TOKENS = 16
TITLE_WEIGHT = 2.0
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
Page = tuple[list[str], int]


@dataclass
class ParsedQuery:
    """A web-search query split into OR-groups of positive terms and excluded terms."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups


def parse_query(q: str) -> ParsedQuery:
    """Words and phrases (AND), ``OR`` joins neighbours, ``-term`` excludes."""
    parsed, join_next = ParsedQuery(), False
    for piece in _TOKEN.findall(q):
        if piece == "OR":
            join_next = bool(parsed.groups)
            continue
        negated = piece.startswith("-") and len(piece) > 1
        term = piece[1:] if negated else piece
        term = term.strip('"')
        if not re.search(r"\w", term):
            continue
        if negated:
            parsed.excluded.append(term)
        elif join_next:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        join_next = False
    return parsed


def _fts5_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts5_query(
    parsed: ParsedQuery,
    column: str = "text",
    team_id: str | None = None,
    call_ids: list[str] | None = None,
) -> str:
    """The FTS5 MATCH expression; every term is quoted, so no user text is FTS syntax.

    The terms apply to ``column``; with ``team_id`` the match is limited to that team, with
    ``call_ids`` to those calls (both are indexed columns, so FTS5 intersects inside the
    index instead of filtering every match afterwards).
    """
    groups = ["(" + " OR ".join(_fts5_phrase(t) for t in g) + ")" for g in parsed.groups]
    expression = " AND ".join(groups)
    if parsed.excluded:
        expression = f"({expression}) NOT ({' OR '.join(map(_fts5_phrase, parsed.excluded))})"
    expression = f"{column} : ({expression})"
    if call_ids:
        expression = f"call_id : ({' OR '.join(map(_fts5_phrase, call_ids))}) AND {expression}"
    return f"team_id : {_fts5_phrase(team_id)} AND {expression}" if team_id else expression


_PG_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=8, "
    f"MaxFragments=1, FragmentDelimiter={ELLIPSIS}"
)
_CONSTANTS = {
    "$LANG": LANGUAGE,
    "$START": MARK_START,
    "$END": MARK_END,
    "$ELLIPSIS": ELLIPSIS,
    "$TOKENS": str(SNIPPET_TOKENS),
    "$OPTIONS": _PG_OPTIONS,
}


def _sql(template: str) -> str:
    """Fills the module's constants (never user input) into a SQL template."""
    for key, value in _CONSTANTS.items():
        template = template.replace(key, value)
    return template


def _is_sqlite() -> bool:
    return bool(db.session.get_bind().dialect.name == "sqlite")


_SQLITE_MATCHES = """
SELECT m.call_id AS call_id, sum(m.score) AS score FROM (
  SELECT f.call_id AS call_id, max(-f.rank) AS score
  FROM utterances_fts AS f WHERE utterances_fts MATCH :utterance_match
  GROUP BY f.call_id
  UNION ALL
  SELECT c.id AS call_id, -f.rank * :title_weight AS score
  FROM calls_fts AS f JOIN calls AS c ON c.rowid = f.rowid
  WHERE calls_fts MATCH :title_match
) AS m GROUP BY m.call_id
"""

# A full join rather than UNION ALL + GROUP BY: the planner then estimates the matching calls
# from the utterance aggregate (thousands for a common word, not its default 200) and joins
# them to the team's calls with one hash join instead of one index probe per match.
_PG_MATCHES = _sql("""
SELECT coalesce(u.call_id, t.call_id) AS call_id,
       coalesce(u.score, 0) + coalesce(t.score, 0) AS score
FROM (
  SELECT u.call_id AS call_id, max(ts_rank(u.search_vector, query)) AS score
  FROM utterances AS u, websearch_to_tsquery('$LANG'::regconfig, :q) AS query
  WHERE u.search_vector @@ query AND u.search_team_id = :team_id
  GROUP BY u.call_id
) AS u FULL JOIN (
  SELECT c.id AS call_id,
         ts_rank(to_tsvector('$LANG'::regconfig, c.title), query) * :title_weight AS score
  FROM calls AS c, websearch_to_tsquery('$LANG'::regconfig, :q) AS query
  WHERE to_tsvector('$LANG'::regconfig, c.title) @@ query AND c.team_id = :team_id
) AS t ON t.call_id = u.call_id
""")


def _matches(team_id: str, parsed: ParsedQuery, q: str) -> Subquery:
    """(call_id, score) of the team's calls matching the query; a higher score ranks first."""
    if _is_sqlite():
        statement = text(_SQLITE_MATCHES).bindparams(
            utterance_match=fts5_query(parsed, "text", team_id),
            title_match=fts5_query(parsed, "title", team_id),
        )
    else:
        statement = text(_PG_MATCHES).bindparams(q=q, team_id=team_id)
    statement = statement.bindparams(title_weight=TITLE_WEIGHT)
    return statement.columns(call_id=Call.id.type, score=Float).subquery("search_matches")


def text_match_filter(team_id: str, q: str) -> Any:
    """A WHERE clause matching the team's calls whose title or transcript matches ``q``."""
    parsed = parse_query(q)
    if parsed.empty:
        return false()
    return Call.id.in_(select(_matches(team_id, parsed, q).c.call_id))


def ranked(query: Select[Any], team_id: str, q: str) -> Select[Any]:
    """``query`` (over calls) restricted to matches, best first, then newest first."""
    parsed = parse_query(q)
    if parsed.empty:
        return query.where(false()).order_by(Call.started_at.desc(), Call.id)
    found = _matches(team_id, parsed, q)
    return query.join(found, found.c.call_id == Call.id).order_by(
        found.c.score.desc(), Call.started_at.desc(), Call.id
    )


def ranked_page(query: Select[Any], team_id: str, q: str, page: int, per_page: int) -> Page:
    """The ids of one page of ``query``'s calls (a select over calls) matching ``q``, best
    first, and how many match.

    Ranks, pages and counts in one narrow statement (call id and the total only), so the
    sort carries no call rows and only the page's calls are loaded afterwards.
    """
    if parse_query(q).empty:
        return [], 0
    matching = ranked(query.with_only_columns(Call.id), team_id, q)
    paged = matching.add_columns(func.count().over().label("total"))
    rows = db.session.execute(paged.limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        return [row[0] for row in rows], int(rows[0].total)
    if page == 1:
        return [], 0
    counted = select(func.count()).select_from(matching.order_by(None).subquery())
    return [], int(db.session.scalar(counted) or 0)


# Snippets for the returned page only. SQLite: the page's call ids join the MATCH (call_id is
# an indexed FTS5 column), so FTS5 reads the page's utterances, not every match of the term.
_SQLITE_SNIPPETS = _sql("""
SELECT call_id, snippet(utterances_fts, 0, '$START', '$END', '$ELLIPSIS', $TOKENS)
FROM utterances_fts WHERE utterances_fts MATCH :snippet_match
ORDER BY rank
""")
_SQLITE_TITLES = _sql("""
SELECT c.id, highlight(calls_fts, 0, '$START', '$END')
FROM calls_fts JOIN calls AS c ON c.rowid = calls_fts.rowid
WHERE calls_fts MATCH :title_match AND c.id IN :ids
""")
# PostgreSQL: the page's utterances come by call id (ts_match_vq is @@ as a function, which
# keeps the planner off the GIN index: for a common word that index returns every team's
# matches), the best one per call is picked first and only it gets a headline.
_PG_SNIPPETS = _sql("""
SELECT best.call_id,
       ts_headline('$LANG'::regconfig, best.text,
                   websearch_to_tsquery('$LANG'::regconfig, :q), '$OPTIONS')
FROM (
  SELECT DISTINCT ON (u.call_id) u.call_id AS call_id, u.text AS text
  FROM utterances AS u, websearch_to_tsquery('$LANG'::regconfig, :q) AS query
  WHERE u.call_id IN :ids AND ts_match_vq(u.search_vector, query)
  ORDER BY u.call_id, ts_rank(u.search_vector, query) DESC, u.start_ms
) AS best
""")
_PG_TITLES = _sql("""
SELECT c.id, ts_headline('$LANG'::regconfig, c.title, query, '$OPTIONS')
FROM calls AS c, websearch_to_tsquery('$LANG'::regconfig, :q) AS query
WHERE c.id IN :ids AND to_tsvector('$LANG'::regconfig, c.title) @@ query
""")


def _rows(sql: str, ids: list[str], **params: str) -> list[Any]:
    used = {key: value for key, value in params.items() if f":{key}" in sql}
    statement = text(sql).bindparams(**used)
    if ":ids" in sql:
        statement = statement.bindparams(bindparam("ids", ids, expanding=True))
    return list(db.session.execute(statement))


def search_snippets(call_ids: list[str], q: str, team_id: str | None = None) -> dict[str, str]:
    """Per call, the best-matching utterance with the matches marked «like this».

    ``call_ids`` must already be scoped to the caller (a page from :func:`ranked_page`):
    the snippets are read by call id. Calls matched only by their title get the marked
    title instead; ``team_id`` (the calls' team) lets SQLite narrow that match in the index.
    """
    parsed = parse_query(q)
    if not call_ids or parsed.empty:
        return {}
    if _is_sqlite():
        params = {
            "snippet_match": fts5_query(parsed, "text", call_ids=call_ids),
            "title_match": fts5_query(parsed, "title", team_id),
        }
        sqls = (_SQLITE_SNIPPETS, _SQLITE_TITLES)
    else:
        params, sqls = {"q": q}, (_PG_SNIPPETS, _PG_TITLES)
    found: dict[str, str] = {}
    for row in _rows(sqls[0], call_ids, **params):
        found.setdefault(row[0], row[1])
    missing = [c for c in call_ids if c not in found]
    if missing:
        for row in _rows(sqls[1], missing, **params):
            found.setdefault(row[0], row[1])
    return found


__all__ = [
    "MARK_END",
    "MARK_START",
    "parse_query",
    "ranked",
    "ranked_page",
    "search_snippets",
    "text_match_filter",
]
