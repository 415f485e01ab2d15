"""Server side of one recognition worker process: launch, frame I/O, crash recovery.

A slot owns one worker process at a time, a socketpair to it, an outgoing queue drained
by a writer task and a reader task that delivers results to its streams. All waiting is
on sockets and ``queue``/``threading`` primitives started through ``spawn``, so it works
in threading mode and under eventlet/gevent monkey-patching alike. When the process dies
the slot restarts it and re-opens its PCM streams there (WebM cannot be resumed mid-way).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

from app.services.concurrency import spawn
from app.services.transcription.local.framing import (
    Frame,
    FrameError,
    FrameReader,
    Kind,
    read_frames,
)
from app.services.transcription.local.link import StreamLink
from app.services.transcription.local.settings import LocalAsrSettings

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[4]
WORKER_MODULE = "app.services.transcription.local.worker"


class WorkerSlot:
    """One worker process and the streams assigned to it."""

    def __init__(self, index: int, settings: LocalAsrSettings, python: str = sys.executable):
        self.index = index
        self._settings = settings
        self._python = python
        self._lock = threading.Lock()
        self._gen = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._out: queue.Queue[bytes | None] = queue.Queue()
        self._backlog = 0
        self._max_backlog = int(settings.max_backlog_mb * 1024 * 1024)
        self._crashes: deque[float] = deque()
        self.state = "starting"  # starting | ready | broken | closed
        self.ready = threading.Event()
        self.streams: dict[int, StreamLink] = {}

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def usable(self) -> bool:
        return self.state in ("starting", "ready")

    def start(self) -> None:
        with self._lock:
            self._launch(self._gen)

    def _launch(self, gen: int) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ)  # the worker runs our own code: make the project importable
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])
        )
        args = [
            self._python,
            "-m",
            WORKER_MODULE,
            "--fd",
            str(child.fileno()),
            "--settings",
            self._settings.to_json(),
        ]
        self._proc = subprocess.Popen(
            args,
            pass_fds=(child.fileno(),),
            env=env,
            stdin=subprocess.DEVNULL,
            cwd=str(PROJECT_ROOT),
        )
        child.close()
        self._sock = parent
        self.state = "starting"
        self.ready.clear()
        spawn(self._write, parent, self._out, gen, name=f"asr-write-{self.index}")
        spawn(self._read, parent, gen, name=f"asr-read-{self.index}")
        log.info("asr_worker_started", extra={"slot": self.index, "pid": self._proc.pid})

    def enqueue(self, frame: bytes, stream: StreamLink | None = None, audio: int = 0) -> bool:
        """Queue a frame for the worker; False (dropped) when the backlog is over its cap."""
        with self._lock:
            if audio and self._backlog + len(frame) > self._max_backlog:
                return False
            self._backlog += len(frame)
            self._out.put(frame)
            if stream is not None:
                stream.bytes_sent += audio
            return True

    def attach(self, stream: StreamLink) -> None:
        with self._lock:
            self.streams[stream.sid] = stream
            self._out.put(stream.open_frame())

    def detach(self, sid: int) -> None:
        with self._lock:
            self.streams.pop(sid, None)

    def _write(self, sock: socket.socket, out: queue.Queue[bytes | None], gen: int) -> None:
        while (frame := out.get()) is not None:
            with self._lock:
                self._backlog = max(0, self._backlog - len(frame)) if gen == self._gen else 0
            try:
                sock.sendall(frame)
            except OSError:
                return  # the reader sees EOF and handles the loss

    def _read(self, sock: socket.socket, gen: int) -> None:
        reader = FrameReader()
        try:
            while frames := read_frames(sock, reader):
                for frame in frames:
                    self._dispatch(frame)
        except (OSError, FrameError):
            pass
        self._lost(gen)

    def _dispatch(self, frame: Frame) -> None:
        if frame.kind == Kind.READY:
            self._ready()
        elif frame.kind == Kind.FATAL:
            code = frame.json().get("code")
            log.error("asr_worker_fatal", extra={"slot": self.index, "code": code})
            self.state = "broken"
        else:
            stream = self.streams.get(frame.stream_id)
            if stream is not None:
                stream.events.deliver(frame)

    def _ready(self) -> None:
        self.state = "ready"
        self.ready.set()
        with self._lock:
            waiting = [s for s in self.streams.values() if s.reconnecting]
        for stream in waiting:
            stream.reconnecting = False
            stream.events.reconnected()

    def _lost(self, gen: int) -> None:
        """The worker's socket closed: restart it, re-open or fail its streams."""
        with self._lock:
            if gen != self._gen or self.state == "closed":
                return
            self._gen += 1
            self._out.put(None)
            self._out = queue.Queue()
            self._backlog = 0
            self._close_process()
            give_up = self.state == "broken" or self._too_many_crashes()
            self.state = "broken" if give_up else "starting"
            kept, dropped = self._reopen_streams(give_up)
        log.warning("asr_worker_lost", extra={"slot": self.index, "restart": not give_up})
        reason = "asr_unavailable" if give_up else "asr_worker_lost"
        for stream in dropped:
            stream.events.failed(reason)
        for stream in kept:
            stream.reconnecting = True
            stream.events.interrupted("asr_worker_lost")
        if not give_up:
            time.sleep(min(5.0, 0.2 * 2 ** (len(self._crashes) - 1)))
            with self._lock:
                if self.state == "starting":
                    self._launch(self._gen)

    def _reopen_streams(self, give_up: bool) -> tuple[list[StreamLink], list[StreamLink]]:
        kept = [] if give_up else [s for s in self.streams.values() if s.resumable]
        dropped = [s for s in self.streams.values() if s not in kept]
        for stream in dropped:
            del self.streams[stream.sid]
        for stream in kept:
            self._out.put(stream.open_frame())
            if stream.finishing:
                self._out.put(stream.finish_frame())
        return kept, dropped

    def _too_many_crashes(self) -> bool:
        now = time.monotonic()
        self._crashes.append(now)
        while self._crashes and now - self._crashes[0] > self._settings.restart_window_s:
            self._crashes.popleft()
        return len(self._crashes) > self._settings.max_restarts

    def _close_process(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
        if proc is not None:
            spawn(_reap, proc, name=f"asr-reap-{self.index}")

    def close(self) -> None:
        """Stop the worker for good (server shutdown)."""
        with self._lock:
            self.state = "closed"
            self._out.put(None)
            if self._sock is not None:
                try:
                    self._sock.shutdown(socket.SHUT_RDWR)
                    self._sock.close()
                except OSError:
                    pass
            proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            _reap(proc)


def _reap(proc: subprocess.Popen[bytes]) -> None:
    try:
        proc.wait(timeout=3)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=3)
