"""The recognition worker process: ``python -m app.services.transcription.local.worker``.

It owns one socket end (``--fd``) inherited from the server. A reader thread turns frames
into events; the main thread applies them and runs recognition, so CPU-heavy work never
touches the server process. EOF on the socket (the server went away) ends the process.
"""

from __future__ import annotations

import argparse
import logging
import queue
import signal
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from app.services.transcription.local.framing import (
    Frame,
    FrameReader,
    Kind,
    encode,
    encode_json,
    read_frames,
)
from app.services.transcription.local.pacing import PartialPacer
from app.services.transcription.local.session import WorkerSession
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.vad import Utterance

log = logging.getLogger(__name__)


class Worker:
    """Applies frames and decoder events to sessions; one main thread, no locks needed."""

    def __init__(
        self,
        sock: socket.socket,
        settings: LocalAsrSettings,
        recognizer: Any,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sock = sock
        self._settings = settings
        self._recognizer = recognizer
        self._pacer = PartialPacer(settings.partial_busy_share, clock)
        self._events: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._sessions: dict[int, WorkerSession] = {}

    def send(self, data: bytes) -> None:
        self._sock.sendall(data)

    def run(self) -> None:
        threading.Thread(target=self._read, name="asr-read", daemon=True).start()
        while True:
            batch = [self._events.get()]
            while True:
                try:
                    batch.append(self._events.get_nowait())
                except queue.Empty:
                    break
            for event in batch:
                if event[0] == "eof":
                    return
                self.apply(event)
            self.recognise()

    def recognise(self) -> None:
        """Finals of every stream first, batched; partials only on a pass with no final, so
        a sentence that just ended never waits behind other streams' partials, and less
        often while the worker is busy (``PartialPacer``)."""
        finals = [(s, u) for s in self._sessions.values() for u in s.take_finals()]
        self._decode(finals, final=True)
        for sid, session in list(self._sessions.items()):
            if session.ended:
                session.report_finished()
                del self._sessions[sid]
        if finals:
            return  # audio that came in meanwhile may have closed more sentences
        stretch = self._pacer.stretch()
        partials = [(s, u) for s in self._sessions.values() if (u := s.due_partial(stretch))]
        self._decode(partials, final=False)

    def _decode(self, due: list[tuple[WorkerSession, Utterance]], final: bool) -> None:
        size = max(1, self._settings.max_batch)
        for i in range(0, len(due), size):
            group = due[i : i + size]
            start = self._pacer.now()
            hyps = self._recognizer.transcribe_many([u.audio for _, u in group], final)
            self._pacer.record(start)
            for (session, utterance), hyp in zip(group, hyps, strict=True):
                session.emit(utterance, hyp, final)

    def _read(self) -> None:
        reader = FrameReader()
        try:
            while frames := read_frames(self._sock, reader):
                for frame in frames:
                    self._events.put(("frame", frame))
        except OSError:
            pass
        finally:
            self._events.put(("eof",))

    def apply(self, event: tuple[Any, ...]) -> None:
        if event[0] == "frame":
            self._apply_frame(event[1])
            return
        session = self._sessions.get(event[1])
        if session is None:
            return
        if event[0] == "pcm":
            session.pcm(event[2])
        elif event[0] == "error":
            session.fail(event[2])
        elif event[0] == "end":
            session.input_ended()

    def _apply_frame(self, frame: Frame) -> None:
        if frame.kind == Kind.OPEN:
            self._open(frame)
            return
        session = self._sessions.get(frame.stream_id)
        if session is None:
            return
        if frame.kind == Kind.AUDIO:
            session.audio(frame.payload)
        elif frame.kind == Kind.FINISH:
            session.finish()
        elif frame.kind == Kind.ABORT:
            session.abort()
            del self._sessions[frame.stream_id]

    def _open(self, frame: Frame) -> None:
        try:
            session = WorkerSession(
                frame.stream_id,
                frame.json(),
                self._settings,
                self.send,
                self._events.put,
            )
        except ValueError:
            body = {"state": "failed", "reason": "unsupported_audio"}
            self.send(encode_json(Kind.STATUS, frame.stream_id, body))
            self.send(encode(Kind.FINISHED, frame.stream_id))
            return
        self._sessions[frame.stream_id] = session


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--settings", required=True)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when we stop
    sock = socket.socket(fileno=args.fd)
    sock.setblocking(True)  # a green-thread parent hands over a non-blocking socket
    settings = LocalAsrSettings.from_json(args.settings)
    try:
        from app.services.transcription.local.recognizer import Recognizer

        recognizer = Recognizer(settings)
    except Exception as exc:  # noqa: BLE001 - reported by code, never by its text
        log.error("asr_model_load_failed", extra={"error_type": type(exc).__name__})
        sock.sendall(encode_json(Kind.FATAL, 0, {"code": "asr_model_load_failed"}))
        return 3
    sock.sendall(encode(Kind.READY, 0))
    try:
        Worker(sock, settings, recognizer).run()
    except OSError:
        return 0  # the server closed the socket mid-write
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
