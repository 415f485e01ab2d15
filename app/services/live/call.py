"""One live call: its transcription streams, ordering, persistence, coaching and events.

Audio for each source goes through a :class:`~app.services.live.seq.SeqOrderer` under
the source's lock into the provider's stream (one writer per stream). Results come back
on provider tasks: finals are de-duplicated, queued for storage, emitted and handed to
the coach; interims are emitted and offered to the coach, which may card them early.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from app.events import CallState, ServerEvent, Source
from app.services.attribution.live import CallAttribution
from app.services.attribution.model import Verdict
from app.services.coaching.base import Utterance
from app.services.live.call_events import (
    derived_state,
    final_utterance,
    interim_utterance,
    transcript_payload,
    utterance_row,
)
from app.services.live.call_sink import CallSink
from app.services.live.emitter import Emit, call_room
from app.services.live.privacy import CallPrivacy, transcript_rooms
from app.services.live.seq import PushResult, SeqOrderer
from app.services.live.writer import UtteranceWriter
from app.services.redaction.transcript import redact_result
from app.services.transcription.base import (
    AudioFormat,
    StreamStatus,
    Transcriber,
    TranscriptionStream,
    TranscriptResult,
)

log = logging.getLogger(__name__)
MAX_LEARNED_LINES = 200  # rep lines of a two-source call kept to learn the rep's voice
MAX_REMEMBERED_FINALS = 20_000  # de-duplication memory per source (hours of speech)


@dataclass
class SourceStream:
    source: str
    offset_ms: int
    stream: TranscriptionStream | None = None
    orderer: SeqOrderer = field(default_factory=SeqOrderer)
    lock: threading.RLock = field(default_factory=threading.RLock)  # providers may call back inline
    finals_seen: set[int] = field(default_factory=set)
    final_count: int = 0
    status: StreamStatus = field(default_factory=lambda: StreamStatus("live"))


@dataclass
class CallIdentity:
    call_id: str
    team_id: str
    user_id: str
    started_monotonic: float


class LiveCall(CallSink):
    """Owned by one worker; the :class:`~app.services.live.manager.LiveCallManager` holds it."""

    def __init__(self, identity: CallIdentity, emit: Emit, writer: UtteranceWriter) -> None:
        self.identity = identity
        self.call_id = identity.call_id
        self.emit = emit
        self.writer = writer
        self.sources: dict[str, SourceStream] = {}
        self.audio_format: AudioFormat | None = None
        self.coach: Any = None
        self.attribution: CallAttribution | None = None  # set for one-microphone calls
        self.rep_voices: list[tuple[float, ...]] = []  # two-source calls: to learn a profile
        self.privacy = CallPrivacy()
        self.owner_sid: str | None = None
        self.detached_at: float | None = None
        self.state = CallState.LIVE
        self.reason: str | None = None
        self.llm_reason: str | None = None
        self.saving_delayed = False
        self._state_lock = threading.Lock()
        self.closed = False

    # ------------------------------------------------------------------ streams
    def open_streams(
        self, transcriber: Transcriber, audio: AudioFormat, sources: list[str], offset_ms: int = 0
    ) -> None:
        """Open one provider stream per source; raises TranscriberUnavailable."""
        self.audio_format = audio
        for source in sources:
            entry = self.sources.get(source) or SourceStream(source, offset_ms)
            entry.offset_ms = offset_ms
            entry.stream = transcriber.open_stream(
                audio, partial(self._on_result, source), partial(self._on_status, source)
            )
            self.sources[source] = entry

    def receive(self, source: str, seq: int, chunk: bytes) -> PushResult:
        """Order the chunk and forward what is in order; empty chunks are never sent, and
        nothing is while consent is pending (the audio is discarded, never kept)."""
        entry = self.sources[source]
        with entry.lock:
            result = entry.orderer.push(seq, chunk)
            for data in result.released:
                if data and entry.stream is not None and not self.privacy.consent_pending:
                    entry.stream.send(data)
        if result.gap:
            log.warning(
                "audio gap skipped",
                extra={"call_id": self.call_id, "source": source, "chunks": result.gap},
            )
        return result

    def next_seqs(self) -> dict[str, int | None]:
        return {name: entry.orderer.next_seq for name, entry in self.sources.items()}

    def finish_streams(self, timeout: float) -> None:
        """Flush held chunks, then let each provider deliver its last finals."""
        for entry in self.sources.values():
            with entry.lock:
                for data in entry.orderer.flush().released:
                    if data and entry.stream is not None:
                        entry.stream.send(data)
        deadline = time.monotonic() + timeout
        for entry in self.sources.values():
            if entry.stream is not None:
                entry.stream.finish(max(0.1, deadline - time.monotonic()))
                entry.stream = None

    def release(self) -> None:
        """The call has ended and is stored: drop the coach (which holds this call as its
        sink), so reference counting frees both at once."""
        self.coach = None
        self.attribution = None

    def abort_streams(self) -> None:
        for entry in self.sources.values():
            if entry.stream is not None:
                entry.stream.abort()
                entry.stream = None

    # ------------------------------------------------------------------ results
    def _on_result(self, stream_source: str, result: TranscriptResult) -> None:
        received_at = time.monotonic()
        if self.closed or not result.text.strip():
            return
        raw, result = result, redact_result(self.privacy.redactor, result)  # before fan-out
        entry = self.sources[stream_source]
        span = (result.start_ms + entry.offset_ms, result.end_ms + entry.offset_ms)
        interim_key = f"{self.call_id[:8]}-{stream_source}-{entry.final_count}"
        if not result.is_final:
            verdict = self._attribute(stream_source, result, None)
            self._emit_transcript(interim_key, result, span, verdict, stream_source, None, raw)
            source = verdict.source if verdict else stream_source
            self._coach(interim_utterance(interim_key, source, result, span, received_at), False)
            return
        with entry.lock:
            if span[0] in entry.finals_seen:
                return
            if len(entry.finals_seen) < MAX_REMEMBERED_FINALS:
                entry.finals_seen.add(span[0])
            entry.final_count += 1
        utterance_id = uuid.uuid4().hex
        verdict = self._attribute(stream_source, result, utterance_id)
        source = verdict.source if verdict else stream_source
        row = utterance_row(
            self.call_id, utterance_id, source, result, span, entry.offset_ms, verdict
        )
        self.writer.add_utterance(row)
        self._emit_transcript(utterance_id, result, span, verdict, source, interim_key, raw)
        self._coach(final_utterance(utterance_id, source, result, span, received_at), True)

    def _attribute(
        self, stream_source: str, result: TranscriptResult, utterance_id: str | None
    ) -> Verdict | None:
        """Who spoke, on a one-microphone call; None keeps the stream's own label."""
        if self.attribution is None or stream_source != "rep":
            learn = utterance_id and stream_source == "rep" and result.voice
            if learn and len(self.rep_voices) < MAX_LEARNED_LINES:
                self.rep_voices.append(result.voice)  # type: ignore[arg-type]
            return None
        try:
            if utterance_id is None:
                return self.attribution.interim(result)
            return self.attribution.final(utterance_id, result)
        except Exception as exc:  # noqa: BLE001 - a model bug must never keep a final from being stored
            log.error(
                "attribution failed; stream label kept",
                extra={"call_id": self.call_id, "error": type(exc).__name__},
            )
            return None

    def _emit_transcript(
        self,
        utterance_id: str,
        result: TranscriptResult,
        span: tuple[int, int],
        verdict: Verdict | None,
        source: str,
        replaces: str | None,
        raw: TranscriptResult,
    ) -> None:
        """To everyone in the call; when the team lets the rep see unredacted text and
        redaction changed it, the rep gets ``raw`` and the coaches the redacted text."""
        payload = transcript_payload(
            self.call_id, utterance_id, result, span, source, verdict, replaces
        )
        raw_text = raw.text.strip() if raw is not result else None
        for body, room in transcript_rooms(self.privacy, self.call_id, payload, raw_text):
            self.emit(ServerEvent.TRANSCRIPT, body, room)

    def _coach(self, utterance: Utterance, final: bool) -> None:
        """Hand a line to the coach; a coaching bug must never stop transcription."""
        if self.coach is None:
            return
        try:
            (self.coach.on_final if final else self.coach.on_interim)(utterance)
        except Exception:
            message = "coach failed on a final" if final else "coach failed on an interim"
            log.exception(message, extra={"call_id": self.call_id})

    def corrected(self, utterance_id: str, old: str, new: str) -> None:
        """A person re-attributed a line: teach the voice model, recompute the coach."""
        if self.attribution is not None:
            self.attribution.correct(utterance_id, old, new)
        if self.coach is not None:
            try:
                self.coach.correct(utterance_id, cast(Source, new))
            except Exception:  # a coaching bug must never fail the correction
                log.exception("coach failed on a correction", extra={"call_id": self.call_id})

    # ------------------------------------------------------------------ status
    def _on_status(self, source: str, status: StreamStatus) -> None:
        self.sources[source].status = status
        self._publish_state()

    def _publish_state(self) -> None:
        if self.closed:
            return
        with self._state_lock:
            statuses = [entry.status for entry in self.sources.values()]
            state, reason = derived_state(statuses, self.llm_reason, self.saving_delayed)
            if (state, reason) == (self.state, self.reason):
                return
            self.state, self.reason = state, reason
        self.emit_status()

    def announce(self) -> None:
        """Publish the derived state, then the current status (a client attached)."""
        self._publish_state()
        self.emit_status()

    def emit_status(self, state: str | None = None, reason: str | None = None) -> None:
        payload: dict[str, Any] = {"call_id": self.call_id, "state": state or self.state}
        if (reason or self.reason) is not None:
            payload["reason"] = reason or self.reason
        self.emit(ServerEvent.CALL_STATUS, payload, call_room(self.call_id))

    def set_saving_delayed(self, delayed: bool) -> None:
        self.saving_delayed = delayed
        self._publish_state()

    # ------------------------------------------------------------------ coaching sink
    def degraded(self, reason: str) -> None:
        self.llm_reason = reason
        self._publish_state()

    def recovered(self) -> None:
        self.llm_reason = None
        self._publish_state()
