"""Storage benchmark: list, search and analytics query latency over 100,000 stored calls.

Run: ``.venv/bin/python -m bench.storage [--calls N] [--samples N] [--only sqlite|postgresql]``;
``--keep FILE`` keeps the SQLite file and the PostgreSQL schema, ``--reuse`` measures them again
without rebuilding, ``--queries search`` times only the queries whose name starts so.
Loads a synthetic data set (bench/storage_data.py) into a scratch SQLite file and a scratch
PostgreSQL schema (``bench_storage``, dropped at the end), then times the real service
functions (the ones behind GET /api/v1/calls and /api/v1/analytics) and prints markdown
tables of p50/p95 in milliseconds. Targets: list < 50 ms, search < 150 ms (p95).
Not a test: nothing here asserts speed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from app.models import search_index
from app.services import analytics, calls
from app.services.auth import Principal
from bench.report import Table, Target
from bench.storage_data import NOW, Dataset, load

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = "bench_storage"
PER_PAGE = 25
BUDGET_S = 20.0  # per query: stop sampling after this long (a slow query still reports)
Query = Callable[[int], Any]


def _app(url: str) -> Any:
    return create_app(
        {
            "APP_ENV": "testing",
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "DATABASE_URL": url,
            "ASYNC_MODE": "threading",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
            "TRANSCRIBER": "local",
            "COACH": "playbook",
            "RATE_LIMIT_ENABLED": "false",
        }
    )


def _pg_schema_url(base: str, action: str) -> str:
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if action != "keep":
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        if action == "create":
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    engine.dispose()
    return base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{PG_SCHEMA}"


def _build(data: Dataset) -> dict[str, float]:
    """Schema, bulk load (search objects built afterwards, in one pass), statistics."""
    db.drop_all()
    db.create_all()
    started = time.perf_counter()
    with db.engine.begin() as conn:
        search_index.drop_objects(conn)
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        utterances = load(conn, data)
        loaded = time.perf_counter()
        search_index.create_objects(conn, rebuild=True)
    indexed = time.perf_counter()
    # PostgreSQL: VACUUM too, as autovacuum would have by the time a table is this big (it
    # sets the visibility map that index-only scans need). SQLite's VACUUM could renumber
    # the rowids the FTS5 tables follow, so only ANALYZE there.
    analyze = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(analyze))
    return {"utterances": utterances, "load_s": loaded - started, "index_s": indexed - loaded}


def _principal(data: Dataset, i: int, role: str) -> Principal:
    team = data.team_ids[i % data.teams]
    user = data.rep_ids[team][i % data.reps_per_team]
    return Principal(user_id=user, team_id=team, role=role, name="Bench", via="jwt")


def _queries(data: Dataset) -> dict[str, Query]:
    def listing(role: str, **filters: Any) -> Query:
        return lambda i: calls.list_calls(
            _principal(data, i, role), calls.CallFilters(**filters), 1, PER_PAGE
        )

    def search(term: Callable[[int], str], role: str = "coach") -> Query:
        return lambda i: calls.list_calls(
            _principal(data, i, role), calls.CallFilters(q=term(i)), 1, PER_PAGE
        )

    def report(days: int, rep: bool) -> Query:
        def run(i: int) -> Any:
            p = _principal(data, i, "coach")
            scope = analytics.Scope(
                p.team_id, NOW - timedelta(days=days), NOW, p.user_id if rep else None
            )
            return analytics.report(scope)

        return run

    return {
        "list: team, newest first": listing("coach"),
        "list: rep's own calls": listing("rep"),
        "list: team, last 30 days": listing("coach", from_=NOW - timedelta(days=30)),
        "search: rare term (company name)": search(lambda i: data.company(i * 37 % 2000)),
        "search: rare term, rep": search(lambda i: data.company(i * 37 % 2000), "rep"),
        "search: medium word (rank 300)": search(lambda i: data.word(300 + i % 50)),
        "search: common word (rank 20)": search(lambda i: data.word(20 + i % 5)),
        "search: two words": search(lambda i: f"{data.word(40 + i % 9)} {data.word(400 + i)}"),
        "search: phrase (two common words)": search(
            lambda i: f'"{data.word(20 + i % 5)} {data.word(25 + i % 7)}"'
        ),
        "analytics: team, 90 days": report(90, rep=False),
        "analytics: team, 365 days": report(365, rep=False),
        "analytics: one rep, 365 days": report(365, rep=True),
    }


def _time(name: str, query: Query, samples: int) -> tuple[float, float]:
    timings: list[float] = []
    budget = time.perf_counter() + BUDGET_S
    for i in range(samples + 2):
        if timings and time.perf_counter() > budget:
            break
        started = time.perf_counter()
        query(i)
        elapsed = (time.perf_counter() - started) * 1000
        db.session.rollback()
        db.session.expunge_all()
        if i >= 2:  # the first two warm the caches
            timings.append(elapsed)
    timings.sort()
    result = statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]
    print(
        f"  {name}: p50 {result[0]:.1f} ms, p95 {result[1]:.1f} ms (n={len(timings)})",
        file=sys.stderr,
        flush=True,
    )
    return result


def run_backend(
    url: str, data: Dataset, samples: int, reuse: bool, prefix: str = ""
) -> tuple[dict[str, Any], dict[str, Any]]:
    app = _app(url)
    with app.app_context():
        build = {"utterances": 0, "load_s": 0.0, "index_s": 0.0} if reuse else _build(data)
        print(f"{url.split(':')[0]}: built {build}", file=sys.stderr, flush=True)
        queries = {n: q for n, q in _queries(data).items() if n.startswith(prefix)}
        results = {name: _time(name, query, samples) for name, query in queries.items()}
        db.session.remove()
        db.engine.dispose()
    return build, results


def _print(data: Dataset, builds: dict[str, Any], results: dict[str, Any]) -> None:
    names = list(results)
    print(
        f"\n{data.calls:,} calls, {data.teams} teams x {data.reps_per_team} reps; "
        f"page size {PER_PAGE}\n"
    )
    print("| backend | utterances | bulk load (s) | search index build (s) |")
    print("|---|---|---|---|")
    for name, build in builds.items():
        print(
            f"| {name} | {build['utterances']:,} | {build['load_s']:.1f} | {build['index_s']:.1f} |"
        )
    print("\n| query | " + " | ".join(f"{n} p50 | {n} p95" for n in names) + " |")
    print("|---|" + "---|---|" * len(names))
    for query in results[names[0]]:
        cells = " | ".join(
            f"{results[n][query][0]:.1f} | {results[n][query][1]:.1f}" for n in names
        )
        print(f"| {query} | {cells} |")


def measure(calls: int, samples: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build and time both backends in scratch places that are removed afterwards."""
    builds, results = {}, {}
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as scratch:
        for name, url in {
            "SQLite": f"sqlite:///{Path(scratch) / 'bench.db'}",
            "PostgreSQL": "",
        }.items():
            target = url or _pg_schema_url(PG_URL, "create")
            try:
                builds[name], results[name] = run_backend(
                    target, Dataset(calls=calls), samples, reuse=False
                )
            finally:
                if not url:
                    _pg_schema_url(PG_URL, "drop")
    return builds, results


def _worst(results: dict[str, Any], prefix: str) -> float:
    return max(
        p95
        for backend in results.values()
        for q, (_, p95) in backend.items()
        if q.startswith(prefix)
    )


def run(profile: str) -> list[Table]:
    """`make bench` entry: 100,000 calls on SQLite and PostgreSQL, p50/p95 per query (ms)."""
    calls, samples = 100_000, (20 if profile == "quick" else 40)
    builds, results = measure(calls, samples)
    table = Table(
        f"Storage: list, search and analytics with {calls:,} calls (p50 / p95 ms)",
        ["query", "SQLite p50 / p95", "PostgreSQL p50 / p95"],
    )
    for query in results["SQLite"]:
        table.rows.append(
            [query]
            + [
                f"{results[b][query][0]:.1f} / {results[b][query][1]:.1f}"
                for b in ("SQLite", "PostgreSQL")
            ]
        )
    table.notes.append(
        "Bulk load: "
        + ", ".join(
            f"{b} {v['utterances']:,} utterances in {v['load_s']:.0f} s (+{v['index_s']:.0f} s "
            "search index)"
            for b, v in builds.items()
        )
    )
    list_p95, search_p95 = _worst(results, "list"), _worst(results, "search")
    table.targets += [
        Target(
            "Call list, 100,000 calls", "p95 < 50 ms", f"worst p95 {list_p95:.1f} ms", list_p95 < 50
        ),
        Target(
            "Search, 100,000 calls",
            "p95 < 150 ms",
            f"worst p95 {search_p95:.1f} ms (common word)",
            search_p95 < 150,
            slug="search_p95_ms_100k",
            value=round(search_p95, 1),
            unit="ms",
        ),
    ]
    table.key["list p95"] = f"{list_p95:.0f} ms"
    table.key["search p95"] = f"{search_p95:.0f} ms"
    return [table]


def _targets(args: argparse.Namespace, scratch: str) -> dict[str, str]:
    sqlite_file = args.keep or str(Path(scratch) / "bench.db")
    targets = {"SQLite": f"sqlite:///{sqlite_file}", "PostgreSQL": ""}
    return {k: v for k, v in targets.items() if not args.only or args.only == k.lower()}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--keep", help="SQLite file to keep (and the PostgreSQL schema)")
    parser.add_argument("--reuse", action="store_true", help="measure the kept data again")
    parser.add_argument("--queries", default="", help="only the queries named so (e.g. search)")
    args = parser.parse_args()
    builds, results = {}, {}
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as scratch:
        for name, url in _targets(args, scratch).items():
            data = Dataset(calls=args.calls)
            target = url or _pg_schema_url(args.pg_url, "keep" if args.reuse else "create")
            try:
                builds[name], results[name] = run_backend(
                    target, data, args.samples, args.reuse, args.queries
                )
            finally:
                if not url and not args.keep:
                    _pg_schema_url(args.pg_url, "drop")
    _print(Dataset(calls=args.calls), builds, results)


if __name__ == "__main__":
    main()
