"""Scale-out: two workers behind a private Redis, sharing one PostgreSQL schema.

Topology: a redis-server of our own on a free port (no persistence; never the machine's
6379), a scratch schema in the ``test`` database migrated with ``flask db upgrade``, and two
``python -m bench.server`` processes (eventlet, scripted transcriber, playbook coach, rate
limits off, quotas raised) with REDIS_URL set, so every room emit goes through Redis. N
reps are split half on each worker (bench/load_client.py); for one call in ten a coach
joins through the OTHER worker (``call:join``), so its events cross workers via Redis.
Everything started here is killed on the way out, errors included.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psycopg
import requests
import socketio

from bench.harness import PASSWORD, BenchServer, free_port, server_env
from bench.load import merge, processes_for
from bench.load_client import CHUNK_BYTES, NS, LoadSpec, Rep, Samples, worker
from bench.machine import ROOT
from bench.passrule import P99_LIMIT_MS, holds, worst_p99
from bench.procstat import cpu_seconds
from bench.report import Table, Target, ms, pct
from bench.step import ramp_for

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
STEPS = {"quick": [50, 100, 200], "full": [50, 100, 200, 350, 500]}
STEADY_S = {"quick": 20.0, "full": 30.0}
USERS, COACHES = 10, 4


class RedisServer:
    """``redis-server`` on a free port, without persistence; killed on exit."""

    def __enter__(self) -> RedisServer:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-redis-")
        self.proc = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", self.tmp.name),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self._pong():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.__exit__()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)
        return self

    def _pong(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def __exit__(self, *exc: Any) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self.tmp.cleanup()


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh schema in the test database, migrated like production; dropped afterwards."""
    schema = f"bench_scale_{uuid.uuid4().hex[:10]}"
    conn = psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True, connect_timeout=5)
    try:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
        env = server_env(Path("unused.db"), 5000, DATABASE_URL=url, ASYNC_MODE="threading")
        flask = Path(sys.executable).parent / "flask"
        subprocess.run(
            [str(flask), "--app", "app:create_app()", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield url
    finally:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.close()


class Worker(BenchServer):
    """A bench server on the shared schema: migrated and populated once, elsewhere."""

    def _migrate(self) -> None:
        pass

    def _users(self) -> list[str]:
        return []


def make_users(url: str) -> tuple[list[str], list[str]]:
    """The first admin, then USERS reps and COACHES coaches; returns their access tokens."""
    setup = requests.post(
        f"{url}/api/v1/auth/setup",
        json={
            "team_name": "Scale",
            "email": "admin@scale.test",
            "password": PASSWORD,
            "name": "Scale Admin",
        },
        timeout=30,
    )
    setup.raise_for_status()
    admin = {"Authorization": f"Bearer {setup.json()['access_token']}"}
    tokens: dict[str, list[str]] = {"rep": [], "coach": []}
    for role, count in (("rep", USERS), ("coach", COACHES)):
        for i in range(count):
            email = f"{role}{i}@scale.test"
            body = {"email": email, "password": PASSWORD, "name": f"{role} {i}", "role": role}
            made = requests.post(f"{url}/api/v1/users", json=body, headers=admin, timeout=30)
            made.raise_for_status()
            login = requests.post(
                f"{url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
            )
            login.raise_for_status()
            tokens[role].append(login.json()["access_token"])
    return tokens["rep"], tokens["coach"]


@dataclass
class Cluster:
    a: BenchServer
    b: BenchServer
    redis: RedisServer
    reps: list[str]
    coaches: list[str]


@contextmanager
def cluster() -> Iterator[Cluster]:
    """Schema, Redis, two workers; closed in reverse order (servers first, schema last)."""
    with ExitStack() as stack:
        db_url = stack.enter_context(pg_schema())
        redis = stack.enter_context(RedisServer())
        env = {
            "DATABASE_URL": db_url,
            "REDIS_URL": redis.url,
            "SECRET_KEY": secrets.token_urlsafe(48),
        }
        a = stack.enter_context(Worker(users=0, **env))
        b = stack.enter_context(Worker(users=0, **env))
        reps, coaches = make_users(a.url)
        yield Cluster(a, b, redis, reps, coaches)


class CoachedRep(Rep):
    """A rep on one worker whose call a coach watches through the other worker."""

    def __init__(
        self, spec: LoadSpec, index: int, s: Samples, payload: bytes, coach: tuple[str, str]
    ) -> None:
        super().__init__(spec, index, s, payload)
        self.coach_url, self.coach_token = coach
        self.cs = Samples()
        self.coach = socketio.AsyncClient(reconnection=False)
        self.coach.on("transcript", self.on_coach_transcript, namespace=NS)
        self.coach.on("suggestion", self.on_coach_suggestion, namespace=NS)
        self.coach.on("disconnect", self.on_coach_disconnect, namespace=NS)

    def on_coach_transcript(self, data: dict[str, Any]) -> None:
        now = time.monotonic()
        self.cs.events += 1
        sent = self.sent_at.get(int(data.get("end_ms", -1)))
        if sent is not None and self.in_window(sent):
            self.cs.transcript_ms.append((now - sent) * 1000)

    def on_coach_suggestion(self, data: dict[str, Any]) -> None:
        self.cs.events += 1

    def on_coach_disconnect(self, *args: Any) -> None:
        if time.monotonic() < self.window[1]:
            self.cs.errors["coach_disconnected"] += 1

    async def stream(self, end: float) -> None:
        if not self.coach.connected:
            await self.join()
        await super().stream(end)

    async def join(self) -> None:
        try:
            await self.coach.connect(
                self.coach_url,
                namespaces=[NS],
                auth={"token": self.coach_token},
                transports=["websocket"],
                wait_timeout=30,
            )
            reply = await self.coach.call(
                "call:join", {"call_id": self.call_id}, namespace=NS, timeout=30
            )
        except Exception as exc:
            self.cs.errors[f"coach_{type(exc).__name__}"] += 1
            return
        if reply.get("ok"):
            self.cs.calls += 1
        else:
            self.cs.errors["coach_" + reply.get("error", {}).get("code", "join_failed")] += 1

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            if self.coach.connected:
                await self.coach.disconnect()


async def _pairs(spec: LoadSpec, urls: tuple[str, str], coaches: list[str]) -> list[Samples]:
    reps, payload = Samples(), os.urandom(CHUNK_BYTES)
    clients = []
    for i in range(spec.reps):
        index = spec.first + i
        rep_url, coach_url = urls[index % 2], urls[1 - index % 2]
        coach = (coach_url, coaches[i % len(coaches)])
        clients.append(CoachedRep(replace(spec, url=rep_url), index, reps, payload, coach))
    await asyncio.gather(*(c.run() for c in clients))
    return [reps, merge([c.cs for c in clients])]


def pair_worker(spec: LoadSpec, urls: tuple[str, str], coaches: list[str], out: Any) -> None:
    """Client process for the coached calls: puts ``("pairs", reps, coaches)`` on ``out``."""
    try:
        out.put(("pairs", *asyncio.run(_pairs(spec, urls, coaches))))
    except Exception as exc:  # report, never hang the parent
        lost = Samples()
        lost.errors[f"client_crash:{type(exc).__name__}"] += 1
        out.put(("pairs", lost, Samples()))


@dataclass
class StepResult:
    reps: int
    samples: Samples
    coach: Samples
    active_s: float  # mean streaming time of a rep: steady window + half the ramp
    cpu: dict[str, float]

    @property
    def errors(self) -> int:
        return sum(v for s in (self.samples, self.coach) for v in s.errors.values() if v)

    @property
    def streams(self) -> dict[str, list[float]]:
        s = self.samples
        return {
            "ack": s.ack_ms,
            "interim": s.interim_ms,
            "final": s.final_ms,
            "coach": self.coach.transcript_ms,
        }

    @property
    def p99(self) -> float:
        return worst_p99(self.streams)

    @property
    def holds(self) -> bool:
        return holds(self.streams, self.errors)


def _specs(c: Cluster, reps: int, t_begin: float, ramp: float, steady: float) -> list[Any]:
    """(target, args) per client process: plain reps half on A, half on B, then the pairs."""
    coached = max(2, reps // 10)
    plain = reps - coached
    halves = [(c.a.url, 0, plain // 2), (c.b.url, plain // 2, plain - plain // 2)]
    jobs: list[Any] = []
    for url, first, count in halves:
        procs = processes_for(count)
        for p in range(procs):
            lo, hi = first + count * p // procs, first + count * (p + 1) // procs
            spec = LoadSpec(url, c.reps, lo, hi - lo, reps, t_begin, ramp, steady)
            jobs.append((worker, (spec,)))
    spec = LoadSpec("", c.reps, plain, coached, reps, t_begin, ramp, steady)
    jobs.append((pair_worker, (spec, (c.a.url, c.b.url), c.coaches)))
    return jobs


def _collect(queue: Any, procs: list[Any], deadline: float) -> tuple[Samples, Samples]:
    parts, coach = [], Samples()
    try:
        for _ in procs:
            got = queue.get(timeout=max(1.0, deadline - time.monotonic()))
            if isinstance(got, tuple):
                parts.append(got[1])
                coach = merge([coach, got[2]])
            else:
                parts.append(got)
    except Exception:
        lost = Samples()
        lost.errors["client_timeout"] += len(procs) - len(parts)
        parts.append(lost)
    return merge(parts), coach


def _cpu_sampler(pids: dict[str, int], start_in: float, steady: float) -> Any:
    marks: dict[str, float] = {}

    def sample() -> None:
        time.sleep(start_in)
        before, t0 = {k: cpu_seconds(p) for k, p in pids.items()}, time.monotonic()
        time.sleep(steady - 0.5)
        wall = time.monotonic() - t0
        marks.update({k: 100 * (cpu_seconds(p) - before[k]) / wall for k, p in pids.items()})

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    return thread, marks


def measure_step(c: Cluster, reps: int, steady: float) -> StepResult:
    ramp = ramp_for(reps)
    t_begin = time.monotonic() + 3.0  # time for the client processes to import
    pids = {"A": c.a.pid, "B": c.b.pid, "redis": c.redis.proc.pid}
    sampler, cpu = _cpu_sampler(pids, 3.0 + ramp, steady)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = []
    try:
        for target, args in _specs(c, reps, t_begin, ramp, steady):
            procs.append(ctx.Process(target=target, args=(*args, queue), daemon=True))
            procs[-1].start()
        samples, coach = _collect(queue, procs, t_begin + ramp + steady + 120)
    finally:
        for proc in procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
    sampler.join(10)
    return StepResult(reps, samples, coach, steady + ramp / 2, cpu)


def run_steps(profile: str) -> list[StepResult]:
    """Step N up on one cluster; stop after the first step that misses p99 or has errors."""
    results: list[StepResult] = []
    with cluster() as c:
        for reps in STEPS[profile]:
            result = measure_step(c, reps, STEADY_S[profile])
            results.append(result)
            print(f"  scale N={reps}: p99 {result.p99:.0f} ms, errors {result.errors}", flush=True)
            if not result.holds:
                break
            time.sleep(2.0)  # let the stopped calls settle before the next step
    return results


def _p(values: list[float], qs: tuple[int, ...] = (50, 95, 99)) -> str:
    return " / ".join(ms(pct(values, q)) for q in qs)


def _errors(r: StepResult) -> str:
    merged = merge([r.samples, r.coach]).errors
    return ", ".join(f"{k} {v}" for k, v in merged.items() if v) or "0"


def _row(r: StepResult) -> list[str]:
    s, cs = r.samples, r.coach
    return [
        str(r.reps),
        f"{s.calls} / {cs.calls}",
        _p(s.ack_ms),
        _p(s.interim_ms),
        _p(s.final_ms),
        _p(cs.transcript_ms, (50, 99)),
        f"{(s.events + cs.events) / r.active_s:.0f}",
        _errors(r),
        " / ".join(f"{r.cpu.get(k, float('nan')):.0f}" for k in ("A", "B", "redis")),
        "yes" if r.holds else "no",
    ]


def table(results: list[StepResult]) -> Table:
    t = Table(
        "Scale-out: two workers behind Redis (PostgreSQL, scripted transcriber, eventlet)",
        [
            "N reps",
            "calls / coached",
            "ack p50/p95/p99 ms",
            "interim p50/p95/p99 ms",
            "final p50/p95/p99 ms",
            "coach transcript p50/p99 ms (other worker)",
            "events/s",
            "errors",
            "CPU % A / B / redis",
            f"holds (ack, interim, final, coach p99 each ≤ {P99_LIMIT_MS:.0f} ms, 0 errors)",
        ],
        rows=[_row(r) for r in results],
    )
    held = [r for r in results if r.holds]
    best = max((r.reps for r in held), default=0)
    t.targets.append(
        Target(
            "Scale-out via Redis (two workers)",
            "≥ 800 calls on two workers, coach events across workers, every p99 < 250 ms",
            f"largest N that holds: {best or 'none'}",
            best >= 800,
            slug="live_calls_two_processes",
            value=float(best),
            unit="calls",
        )
    )
    t.key["scale max N"] = str(best)
    last = max(held, key=lambda r: r.reps) if held else results[-1]
    t.key[f"scale coach p99@{last.reps}"] = f"{ms(pct(last.coach.transcript_ms, 99))} ms"
    t.notes += [
        "Topology: private redis-server (message queue), one PostgreSQL schema, two "
        "`bench.server` processes on free ports; reps split half per worker; one call in ten "
        "(at least 2) is watched by a coach connected to the other worker, so its events are "
        "published by one worker and delivered by the other through Redis. Client processes "
        "share the 2 cores with both workers and Redis.",
        "Latencies at the clients (same clock): ack = ack receipt − chunk send; transcript = "
        "event receipt − send of the chunk ending at its end_ms (rep on its own worker; coach "
        "on the other). events/s = transcript + suggestion events received by reps and "
        "coaches / (steady window + half the ramp). Steps stop at the first that does not hold.",
    ]
    return t


def run(profile: str) -> list[Table]:
    return [table(run_steps(profile))]
