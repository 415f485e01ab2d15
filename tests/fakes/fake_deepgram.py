"""A loopback fake of Deepgram's live endpoint (``/v1/listen``) speaking the real protocol.

A real websocket server (the ``websockets`` package) on 127.0.0.1 with its own asyncio
loop in its own thread. It checks ``Authorization: Token <key>``, reads the query, takes
binary audio and answers with Deepgram-shaped JSON: Results (interim and final, with
words), SpeechStarted, UtteranceEnd and Metadata. It honours KeepAlive, Finalize and
CloseStream, and closes a silent stream like Deepgram (1011, NET-0001).

"Recognition" is deterministic: every ``window_bytes`` of audio on a connection becomes
one final whose text is ``segment <first byte of the window>`` (silence, all zero bytes,
gives an empty final). Tests fill each window with one byte value, so a transcript says
exactly which audio it came from, which makes replays and duplicates visible. ``phrases``
scripts real sentences per byte value instead, and with ``diarize=true`` every word carries
a ``speaker`` id (``speakers`` per byte value), as Deepgram's diarisation does.

Faults: ``reject_status`` answers the handshake with that HTTP status; ``drop_after_messages``
aborts the TCP connection after that many server messages (on the first
``drop_connections`` connections); ``close_on_audio`` closes with a code on the first audio
(1008 DATA-0000 is Deepgram's "cannot decode"); ``silence_timeout_s``; ``result_delay_s``.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from tests.fakes.fake_deepgram_session import FakeSession


@dataclass
class FakeDeepgramConfig:
    """Behaviour of the fake; tests may change fields between connections."""

    api_key: str = "test-key"
    reject_status: int | None = None
    window_bytes: int = 16000  # 0.5 s of 16 kHz PCM16 mono per final segment
    silence_timeout_s: float = 10.0
    drop_after_messages: int | None = None
    drop_connections: int = 1
    result_delay_s: float = 0.0
    speech_final_every: int = 0  # every Nth non-empty final ends an utterance; 0 = never
    close_on_audio: tuple[int, str] | None = None  # e.g. (1008, "DATA-0000"): bad audio
    # Scripted speech: consecutive windows filled with byte b say phrases[b][0], [1], ...
    phrases: dict[int, list[str]] = field(default_factory=dict)
    # With ``diarize=true`` in the query, words of byte b carry speaker speakers[b] (b % 2).
    speakers: dict[int, int] = field(default_factory=dict)


@dataclass
class ConnectionRecord:
    """What one accepted connection received, for assertions."""

    query: dict[str, str]
    audio_bytes: int = 0
    audio_frames: int = 0
    empty_frames: int = 0
    first_bytes: list[int] = field(default_factory=list)  # first byte of every audio frame
    controls: list[str] = field(default_factory=list)  # KeepAlive / Finalize / CloseStream
    messages_sent: int = 0
    close_reason: str = ""

    @property
    def keepalives(self) -> int:
        return self.controls.count("KeepAlive")


class FakeDeepgram:
    """Start with :meth:`start`, point the SDK at :attr:`url`, stop with :meth:`stop`."""

    def __init__(self, config: FakeDeepgramConfig | None = None) -> None:
        self.config = config or FakeDeepgramConfig()
        self.handshakes = 0
        self.rejected = 0
        self.connections: list[ConnectionRecord] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> FakeDeepgram:
        self._thread = threading.Thread(target=self._thread_main, name="fake-deepgram", daemon=True)
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("fake deepgram did not start")
        return self

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread:
            self._thread.join(5)

    def _thread_main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server: Server
        async with serve(
            self._handle, "127.0.0.1", 0, process_request=self._check_handshake
        ) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop.wait()
            server.close(close_connections=True)

    def _check_handshake(self, conn: ServerConnection, request: Request) -> Response | None:
        """Deepgram's handshake rules: path, ``Token`` auth, then injected faults."""
        self.handshakes += 1
        if urlsplit(request.path).path != "/v1/listen":
            return self._reject(conn, HTTPStatus.NOT_FOUND)
        if request.headers.get("Authorization") != f"Token {self.config.api_key}":
            return self._reject(conn, HTTPStatus.UNAUTHORIZED)
        if self.config.reject_status is not None:
            return self._reject(conn, HTTPStatus(self.config.reject_status))
        return None

    def _reject(self, conn: ServerConnection, status: HTTPStatus) -> Response:
        self.rejected += 1
        body = json.dumps({"err_code": status.phrase.upper(), "request_id": str(uuid.uuid4())})
        return conn.respond(status, body + "\n")

    async def _handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        query = dict(parse_qsl(urlsplit(ws.request.path).query))
        record = ConnectionRecord(query=query)
        index = len(self.connections)
        self.connections.append(record)
        drop = self.config.drop_after_messages if index < self.config.drop_connections else None
        await FakeSession(ws, record, self.config, drop_after=drop).run()


def make_fake(**overrides: Any) -> FakeDeepgram:
    """A started fake with config overrides (caller stops it)."""
    return FakeDeepgram(FakeDeepgramConfig(**overrides)).start()
