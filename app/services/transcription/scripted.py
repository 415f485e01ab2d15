"""A transcriber that costs nothing: scripted finals at the pace of the audio received.

Used by the socket tests and, with ``TRANSCRIBER=scripted`` (refused in production, see
``app.config``), by benchmarks and multi-process tests of real server processes. Every
chunk yields an interim ("…", or with ``interim_words`` the coming sentence's first words,
as a recognizer shows a sentence before it ends); every ``chunks_per_final`` chunks (and
on ``finish``) the next scripted sentence becomes a final whose times follow the audio
received (16 kHz PCM16 mono: 32 bytes per millisecond). Callbacks run inline, as a
provider's own task would run them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from app.config import Settings
from app.services.transcription.base import (
    AudioFormat,
    StatusCallback,
    StreamStatus,
    TranscriberUnavailable,
    TranscriptCallback,
    TranscriptResult,
    Word,
)

BYTES_PER_MS = 32


class ScriptedStream:
    def __init__(
        self, owner: ScriptedTranscriber, on_result: TranscriptCallback, on_status: StatusCallback
    ) -> None:
        self.owner, self.on_result, self.on_status = owner, on_result, on_status
        self.chunks: list[bytes] = []
        self.pending = 0
        self.utterance_start_ms = 0
        self.received_ms = 0
        self.upcoming: str | None = None  # the sentence the next final will be
        self.finished = self.aborted = False
        self._lock = threading.Lock()

    def send(self, chunk: bytes) -> None:
        if not chunk:
            raise AssertionError("empty chunk forwarded to the transcriber")
        with self._lock:
            if self.owner.record:
                self.chunks.append(chunk)
            self.received_ms += len(chunk) // BYTES_PER_MS
            self.pending += 1
            emit_final = self.pending >= self.owner.chunks_per_final
            partial = self._partial()
        self.on_result(
            TranscriptResult(partial, False, self.utterance_start_ms, self.received_ms, 0.5)
        )
        if emit_final:
            self._final()

    def _final(self) -> None:
        with self._lock:
            if not self.pending:
                return
            text = self.upcoming or next(self.owner.sentences)
            self.upcoming = None
            start, end = self.utterance_start_ms, self.received_ms
            self.pending, self.utterance_start_ms = 0, self.received_ms
        words = _words(text, start, end)
        self.on_result(TranscriptResult(text, True, start, end, 0.93, words))

    def _partial(self) -> str:
        """The interim's text; the caller holds the lock."""
        if not self.owner.interim_words:
            return "…"
        if self.upcoming is None:
            self.upcoming = next(self.owner.sentences)
        return " ".join(self.upcoming.split()[: self.owner.interim_words])

    def finish(self, timeout: float) -> None:
        self._final()
        self.finished = True

    def abort(self) -> None:
        self.aborted = True

    def fail(self, state: str, reason: str) -> None:
        self.on_status(StreamStatus(state, reason))  # type: ignore[arg-type]


def _words(text: str, start: int, end: int) -> tuple[Word, ...]:
    tokens = text.split()
    step = max(1, (end - start) // max(1, len(tokens)))
    return tuple(Word(t, start + i * step, start + (i + 1) * step) for i, t in enumerate(tokens))


def _cycle(script: list[str]) -> Iterator[str]:
    while True:
        yield from script


class ScriptedTranscriber:
    name = "scripted"

    def __init__(
        self,
        script: list[str] | None = None,
        chunks_per_final: int = 4,
        unavailable: str | None = None,
        record: bool = True,
        interim_words: int = 0,
    ) -> None:
        self.sentences = _cycle(script or ["I think your price is too expensive for us"])
        self.chunks_per_final = chunks_per_final
        self.interim_words = interim_words  # 0: interims are "…"
        self.unavailable = unavailable
        self.record = record  # keep streams and chunks for tests; off in server processes
        self.streams: list[ScriptedStream] = []
        self.formats: list[AudioFormat] = []

    def open_stream(
        self, audio_format: AudioFormat, on_result: TranscriptCallback, on_status: StatusCallback
    ) -> ScriptedStream:
        if self.unavailable:
            raise TranscriberUnavailable(self.unavailable)
        stream = ScriptedStream(self, on_result, on_status)
        if self.record:
            self.streams.append(stream)
            self.formats.append(audio_format)
        return stream

    def close(self) -> None:
        pass


def build_transcriber(settings: Settings) -> ScriptedTranscriber:
    """The factory the composition root (``app.composition``) uses for ``TRANSCRIBER=scripted``."""
    return ScriptedTranscriber(
        [
            "Thanks for taking the time today.",
            "I think your price is too expensive for us.",
            "What is your timeline for onboarding?",
            "We already work with a competitor.",
        ],
        record=False,  # a long load run must not keep every chunk it was sent
    )
