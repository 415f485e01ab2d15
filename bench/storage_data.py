"""Synthetic calls for the storage benchmark, bulk-loaded (SQLite executemany, PostgreSQL COPY).

Words follow a Zipf-like distribution over a generated vocabulary, so a search term can be
picked by how common it is; every call names one of ``COMPANIES`` in its title and in one
utterance (a rare term: about ``calls / COMPANIES`` calls each).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection

SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "da", "ro", "ul", "en", "ix")
SALES_WORDS = (
    "price",
    "budget",
    "contract",
    "renewal",
    "security",
    "integration",
    "timeline",
    "discount",
    "pilot",
    "decision",
    "legal",
    "procurement",
    "competitor",
    "demo",
)
COMPANIES = 2000
SPAN_DAYS = 365
CHUNK_CALLS = 2000
NOW = datetime(2026, 11, 1, tzinfo=UTC)

CALL_COLUMNS = (
    "id",
    "team_id",
    "user_id",
    "title",
    "state",
    "transcriber",
    "coach",
    "started_at",
    "ended_at",
    "last_activity_at",
    "talk_ratio",
    "rep_talk_s",
    "prospect_talk_s",
    "questions_asked",
    "checklist_coverage",
)
UTTERANCE_COLUMNS = (
    "id",
    "call_id",
    "source",
    "text",
    "start_ms",
    "end_ms",
    "confidence",
    "created_at",
)
SUGGESTION_COLUMNS = (
    "id",
    "call_id",
    "kind",
    "title",
    "body",
    "origin",
    "entry_name",
    "latency_ms",
    "feedback",
    "created_at",
)


def _vocabulary(size: int) -> list[str]:
    words = ["".join(p) for n in (2, 3) for p in itertools.product(SYLLABLES, repeat=n)]
    random.Random(7).shuffle(words)
    return list(SALES_WORDS) + words[: size - len(SALES_WORDS)]


@dataclass
class Dataset:
    calls: int
    teams: int = 10
    reps_per_team: int = 10
    utterances: tuple[int, int] = (8, 16)
    seed: int = 1
    vocabulary: list[str] = field(default_factory=lambda: _vocabulary(2500))
    team_ids: list[str] = field(default_factory=list)
    rep_ids: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.ids = random.Random(self.seed + 1)
        weights = [1 / (rank + 1) for rank in range(len(self.vocabulary))]
        self.cum = list(itertools.accumulate(weights))
        self.team_ids = [self._id() for _ in range(self.teams)]
        self.rep_ids = {t: [self._id() for _ in range(self.reps_per_team)] for t in self.team_ids}

    def _id(self) -> str:
        return f"{self.ids.getrandbits(128):032x}"

    def word(self, rank: int) -> str:
        return self.vocabulary[rank]

    def company(self, index: int) -> str:
        return f"Company{index:04d}"

    def _sentence(self, extra: str | None = None) -> str:
        words = self.rng.choices(self.vocabulary, cum_weights=self.cum, k=self.rng.randint(6, 18))
        if extra:
            words.insert(len(words) // 2, extra)
        return " ".join(words)

    def team_rows(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        teams = [(t, f"Team {i}", 1, NOW) for i, t in enumerate(self.team_ids)]
        users = [
            (u, t, f"rep{t[:6]}{j}@bench.test", f"Rep {j}", "rep", "x", True, NOW)
            for t in self.team_ids
            for j, u in enumerate(self.rep_ids[t])
        ]
        return teams, users

    def _call(
        self, index: int
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        rng, team = self.rng, self.team_ids[index % self.teams]
        call_id, company = self._id(), self.company(rng.randrange(COMPANIES))
        started = NOW - timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
        count = rng.randint(*self.utterances)
        mention = rng.randrange(count)
        utterances = [
            (
                self._id(),
                call_id,
                "rep" if i % 2 else "prospect",
                self._sentence(company if i == mention else None),
                i * 4000,
                i * 4000 + 3500,
                0.9,
                started,
            )
            for i in range(count)
        ]
        rep_s, prospect_s = rng.uniform(30, 900), rng.uniform(30, 900)
        call = (
            call_id,
            team,
            rng.choice(self.rep_ids[team]),
            f"{company} discovery call",
            "ended",
            "local",
            "playbook",
            started,
            started + timedelta(seconds=count * 4),
            started,
            round(rep_s / (rep_s + prospect_s), 3),
            rep_s,
            prospect_s,
            rng.randint(0, 12),
            rng.choice((0.0, 0.25, 0.5, 0.75, 1.0)),
        )
        suggestions = [
            (
                self._id(),
                call_id,
                "objection",
                "Card",
                "Talk track",
                "playbook",
                rng.choice(SALES_WORDS[:6]),
                120,
                rng.choice((None, "used", "dismissed")),
                started,
            )
            for _ in range(rng.randint(0, 3))
        ]
        return call, utterances, suggestions

    def chunks(self) -> Iterator[tuple[list[Any], list[Any], list[Any]]]:
        for start in range(0, self.calls, CHUNK_CALLS):
            calls, utterances, suggestions = [], [], []
            for index in range(start, min(start + CHUNK_CALLS, self.calls)):
                call, u, s = self._call(index)
                calls.append(call)
                utterances.extend(u)
                suggestions.extend(s)
            yield calls, utterances, suggestions


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _sqlite_insert(conn: Connection, table: str, columns: tuple[str, ...], rows: list) -> None:
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(
        _insert_sql(table, columns), [tuple(_sqlite_value(v) for v in row) for row in rows]
    )


def _pg_copy(conn: Connection, table: str, columns: tuple[str, ...], rows: list) -> None:
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


TEAM_COLUMNS = ("id", "name", "toolkit_version", "created_at")
USER_COLUMNS = ("id", "team_id", "email", "name", "role", "password_hash", "active", "created_at")


def load(conn: Connection, data: Dataset) -> int:
    """Insert the whole data set through ``conn``; returns the number of utterances."""
    write = _sqlite_insert if conn.dialect.name == "sqlite" else _pg_copy
    teams, users = data.team_rows()
    write(conn, "teams", TEAM_COLUMNS, teams)
    write(conn, "users", USER_COLUMNS, users)
    total = 0
    for calls, utterances, suggestions in data.chunks():
        write(conn, "calls", CALL_COLUMNS, calls)
        write(conn, "utterances", UTTERANCE_COLUMNS, utterances)
        write(conn, "suggestions", SUGGESTION_COLUMNS, suggestions)
        total += len(utterances)
    return total
