"""Simulated reps: python-socketio AsyncClients streaming PCM at real-time pace.

One client process runs many reps on one asyncio loop (cheaper than a thread per client on
2 cores). Each rep connects, starts a call with a prospect source, sends 8,000-byte chunks
(250 ms of 16 kHz PCM16) four times a second with an ack callback, and records:
ack latency, transcript latency (receipt minus the send time of the chunk that ended at the
event's ``end_ms``), suggestion latency (receipt minus the receipt of the triggering final)
and the server-reported ``latency_ms``. Only samples sent inside the steady window count.
With ``churn`` set, each rep ends its call after a random length and starts another.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import socketio

NS = "/audio"
CHUNK_BYTES = 8000
CHUNK_S = 0.25
CHUNK_MS = 250


@dataclass(frozen=True)
class LoadSpec:
    url: str
    tokens: list[str]
    first: int  # global index of this process's first rep (spreads start times)
    reps: int
    total: int
    t_begin: float  # time.monotonic() shared by every process (CLOCK_MONOTONIC)
    ramp_s: float
    steady_s: float
    churn: tuple[float, float] | None = None  # call length range in seconds


@dataclass
class Samples:
    ack_ms: list[float] = field(default_factory=list)
    transcript_ms: list[float] = field(default_factory=list)
    interim_ms: list[float] = field(default_factory=list)
    final_ms: list[float] = field(default_factory=list)
    suggestion_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    finals: dict[str, int] = field(default_factory=dict)
    chunks: int = 0
    events: int = 0
    calls: int = 0
    client_cpu_s: float = 0.0


class Rep:
    def __init__(self, spec: LoadSpec, index: int, samples: Samples, payload: bytes) -> None:
        self.spec, self.index, self.s, self.payload = spec, index, samples, payload
        self.window = (spec.t_begin + spec.ramp_s, spec.t_begin + spec.ramp_s + spec.steady_s)
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sent_at: dict[int, float] = {}
        self.final_at: dict[str, float] = {}
        self.pending = 0
        self.call_id = ""
        self.sio.on("transcript", self.on_transcript, namespace=NS)
        self.sio.on("suggestion", self.on_suggestion, namespace=NS)
        self.sio.on("disconnect", self.on_disconnect, namespace=NS)

    def in_window(self, t: float) -> bool:
        return self.window[0] <= t <= self.window[1]

    def on_transcript(self, data: dict[str, Any]) -> None:
        now = time.monotonic()
        self.s.events += 1
        sent = self.sent_at.get(int(data.get("end_ms", -1)))
        if data.get("is_final"):
            self.final_at[data["utterance_id"]] = now
            call = data.get("call_id", "")
            self.s.finals[call] = self.s.finals.get(call, 0) + 1
        if sent is not None and self.in_window(sent):
            latency = (now - sent) * 1000
            self.s.transcript_ms.append(latency)
            (self.s.final_ms if data.get("is_final") else self.s.interim_ms).append(latency)

    def on_suggestion(self, data: dict[str, Any]) -> None:
        now = time.monotonic()
        self.s.events += 1
        final = self.final_at.get(data.get("trigger_utterance_id", ""))
        if final is not None and self.in_window(final):
            self.s.suggestion_ms.append((now - final) * 1000)
            if isinstance(data.get("latency_ms"), int | float):
                self.s.server_ms.append(float(data["latency_ms"]))

    def on_disconnect(self, *args: Any) -> None:
        if time.monotonic() < self.window[1]:
            self.s.errors["disconnected"] += 1

    def ack(self, sent: float) -> Any:
        def on_ack(reply: Any = None, *rest: Any) -> None:
            self.pending -= 1
            if not (isinstance(reply, dict) and reply.get("ok")):
                code = reply.get("error", {}).get("code") if isinstance(reply, dict) else None
                self.s.errors[code or "bad_ack"] += 1
            elif self.in_window(sent):
                self.s.ack_ms.append((time.monotonic() - sent) * 1000)

        return on_ack

    async def run(self) -> None:
        start = self.spec.t_begin + self.spec.ramp_s * self.index / max(1, self.spec.total)
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        token = self.spec.tokens[self.index % len(self.spec.tokens)]
        try:
            await self.sio.connect(
                self.spec.url,
                namespaces=[NS],
                auth={"token": token},
                transports=["websocket"],
                wait_timeout=30,
            )
        except Exception:
            self.s.errors["connect_failed"] += 1
            return
        try:
            while time.monotonic() < self.window[1] and self.sio.connected:
                await self.one_call()
                if not self.spec.churn:
                    break
        except Exception as exc:  # a timed-out call or a dropped socket is a counted error
            self.s.errors[f"client_{type(exc).__name__}"] += 1
        finally:
            await asyncio.sleep(1.0)  # let the last events arrive
            self.s.errors["no_ack"] += max(0, self.pending)
            await self.sio.disconnect()

    async def one_call(self) -> None:
        start = await self.sio.call(
            "call:start", {"title": "bench", "sources": ["prospect"]}, namespace=NS, timeout=30
        )
        if not start.get("ok"):
            self.s.errors[start.get("error", {}).get("code", "start_failed")] += 1
            await asyncio.sleep(1)
            return
        self.call_id, self.s.calls = start["call_id"], self.s.calls + 1
        self.sent_at.clear()
        end = self.window[1]
        if self.spec.churn:
            end = min(end, time.monotonic() + random.uniform(*self.spec.churn))
        await self.stream(end)
        stop = await self.sio.call("call:stop", {"call_id": self.call_id}, namespace=NS, timeout=30)
        if not stop.get("ok"):
            self.s.errors[stop.get("error", {}).get("code", "stop_failed")] += 1

    async def stream(self, end: float) -> None:
        t0, seq = time.monotonic(), 0
        while self.sio.connected:
            due = t0 + seq * CHUNK_S
            if due > end:
                return
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            sent = time.monotonic()
            self.sent_at[(seq + 1) * CHUNK_MS] = sent
            self.pending += 1
            self.s.chunks += 1
            await self.sio.emit(
                "audio",
                {"call_id": self.call_id, "source": "prospect", "seq": seq, "data": self.payload},
                namespace=NS,
                callback=self.ack(sent),
            )
            seq += 1


async def _run(spec: LoadSpec) -> Samples:
    samples = Samples()
    payload = os.urandom(CHUNK_BYTES)
    reps = [Rep(spec, spec.first + i, samples, payload) for i in range(spec.reps)]
    await asyncio.gather(*(rep.run() for rep in reps), return_exceptions=False)
    return samples


def worker(spec: LoadSpec, out: Any) -> None:
    """Entry point of a client process: run the reps, put the samples on ``out``."""
    try:
        out.put(_run_sync(spec))
    except Exception as exc:  # report, never hang the parent
        samples = Samples()
        samples.errors[f"client_crash:{type(exc).__name__}"] += 1
        out.put(samples)


def _run_sync(spec: LoadSpec) -> Samples:
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # unclosed sessions after errors
    samples = asyncio.run(_run(spec))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    samples.client_cpu_s = usage.ru_utime + usage.ru_stime
    return samples
