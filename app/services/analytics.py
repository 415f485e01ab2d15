"""Team and rep analytics over a date range, aggregated in the database (GROUP BY).

Counted calls: the team's ended or interrupted calls started in ``[start, end)`` (the API
turns the viewer's inclusive days into these instants). Per-call metrics come from the
numeric columns stored at call end or import (calls without them count as calls but not in
the averages). Weeks start on Monday in the viewer's time zone: exactly on PostgreSQL; on
SQLite (embedded mode) with the zone's UTC offset at the end of the range, so a call within
an hour of a daylight-saving change may fall in the neighbouring week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, String, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.events import FINISHED_STATES
from app.extensions import db
from app.models import Call, Suggestion, User

UTC_ZONE = ZoneInfo("UTC")
DIGITS = 3


class week_start(FunctionElement[str]):  # noqa: N801 - reads as a SQL function
    """The Monday (``YYYY-MM-DD``) of the week a timestamp falls in, in a time zone:
    ``week_start(timestamp, zone_name, utc_offset_seconds)``."""

    type = String()
    inherit_cache = True
    name = "week_start"


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    value, _zone, offset = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({value}, ({offset}) || ' seconds', 'weekday 0', '-6 days')"


@compiles(week_start, "postgresql")
def _week_start_pg(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    value, zone, _offset = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char(date_trunc('week', {value} AT TIME ZONE {zone}), 'YYYY-MM-DD')"


@dataclass(frozen=True)
class Scope:
    team_id: str
    start: datetime
    end: datetime
    user_id: str | None = None
    zone: ZoneInfo = UTC_ZONE

    def where(self) -> ColumnElement[bool]:
        clause = and_(
            Call.team_id == self.team_id,
            Call.started_at >= self.start,
            Call.started_at < self.end,
            Call.state.in_(FINISHED_STATES),
        )
        return and_(clause, Call.user_id == self.user_id) if self.user_id else clause


def _used() -> Any:
    return func.coalesce(func.sum(case((Suggestion.feedback == "used", 1), else_=0)), 0)


def _averages() -> tuple[Any, ...]:
    return (
        func.count(Call.id).label("calls"),
        func.avg(Call.talk_ratio).label("avg_talk_ratio"),
        func.avg(Call.questions_asked * 1.0).label("questions_per_call"),
        func.avg(Call.checklist_coverage).label("checklist_coverage"),
    )


def _rep_rows(scope: Scope) -> Select[Any]:
    talk = func.coalesce(Call.rep_talk_s, 0.0) + func.coalesce(Call.prospect_talk_s, 0.0)
    calls = (
        select(Call.user_id, *_averages(), func.sum(talk).label("talk_time_s"))
        .where(scope.where())
        .group_by(Call.user_id)
        .subquery()
    )
    shown = (
        select(
            Call.user_id,
            func.count(Suggestion.id).label("shown"),
            _used().label("used"),
        )
        .join(Suggestion, Suggestion.call_id == Call.id)
        .where(scope.where(), Suggestion.shown())
        .group_by(Call.user_id)
        .subquery()
    )
    return (
        select(User.id, User.name, calls, shown.c.shown, shown.c.used)
        .join(calls, calls.c.user_id == User.id)
        .outerjoin(shown, shown.c.user_id == User.id)
        .order_by(User.name, User.id)
    )


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), DIGITS)


def _reps(scope: Scope) -> list[dict[str, Any]]:
    return [
        {
            "user_id": row.id,
            "name": row.name,
            "calls": row.calls,
            "talk_time_s": _number(row.talk_time_s) or 0.0,
            "avg_talk_ratio": _number(row.avg_talk_ratio),
            "questions_per_call": _number(row.questions_per_call),
            "checklist_coverage": _number(row.checklist_coverage),
            "suggestions_shown": row.shown or 0,
            "suggestions_used": int(row.used or 0),
        }
        for row in db.session.execute(_rep_rows(scope))
    ]


def _weekly(scope: Scope) -> list[dict[str, Any]]:
    offset = scope.end.astimezone(scope.zone).utcoffset() or timedelta(0)
    week = week_start(Call.started_at, scope.zone.key, int(offset.total_seconds())).label("week")
    query = select(week, *_averages()).where(scope.where()).group_by(week).order_by(week)
    return [
        {
            "week": row.week,
            "calls": row.calls,
            "avg_talk_ratio": _number(row.avg_talk_ratio),
            "questions_per_call": _number(row.questions_per_call),
            "checklist_coverage": _number(row.checklist_coverage),
        }
        for row in db.session.execute(query)
    ]


def _objections(scope: Scope) -> list[dict[str, Any]]:
    name = func.coalesce(Suggestion.entry_name, Suggestion.title).label("kind_name")
    query = (
        select(name, func.count(Suggestion.id).label("count"), _used().label("used"))
        .join(Call, Call.id == Suggestion.call_id)
        .where(scope.where(), Suggestion.shown(), Suggestion.kind == "objection")
        .group_by(name)
        .order_by(func.count(Suggestion.id).desc(), name)
    )
    return [
        {"kind_name": row.kind_name, "count": row.count, "used": int(row.used)}
        for row in db.session.execute(query)
    ]


def report(scope: Scope) -> dict[str, Any]:
    """Per-rep totals, the weekly trend and objections by type for ``scope``."""
    return {
        "from": scope.start,
        "to": scope.end,
        "tz": scope.zone.key,
        "reps": _reps(scope),
        "weekly": _weekly(scope),
        "objections": _objections(scope),
    }


__all__ = ["Scope", "report", "week_start"]
