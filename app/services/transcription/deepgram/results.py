"""Turns Deepgram live messages into :class:`TranscriptResult` on the stream timeline.

Mapping (a choice worth stating):

- Deepgram finalises audio in segments (``is_final``); a spoken utterance may span several.
  We collect final segments and emit ONE final ``TranscriptResult`` per utterance, closed by
  ``speech_final`` (endpointing), ``UtteranceEnd`` (the fallback Deepgram recommends when
  noise keeps endpointing from firing), ``from_finalize`` (our flush at the end of a call),
  or by the connection ending (the segments are already final; a reconnect starts anew).
- An interim carries the utterance so far: the collected final segments plus the interim's
  text, so a client can simply replace its "current line".
- Words whose midpoint lies in audio already covered by an earlier final are dropped; this
  is what keeps replayed audio after a reconnect from producing duplicate text.
- Empty finals (silence) emit nothing but still advance the covered mark.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from app.services.transcription.base import TranscriptCallback, TranscriptResult, Word

log = logging.getLogger(__name__)

ToStreamMs = Callable[[float], int]


class ResultMapper:
    """Per-stream result state: covered mark and the open utterance. Thread-safe."""

    def __init__(self, on_result: TranscriptCallback) -> None:
        self._on_result = on_result
        self._lock = threading.Lock()
        self._covered_ms = 0.0
        self._segments: list[TranscriptResult] = []

    @property
    def covered_ms(self) -> float:
        """End (stream ms) of the audio that finals have covered so far."""
        return self._covered_ms

    def handle(self, message: Any, to_stream_ms: ToStreamMs) -> None:
        """Process one parsed SDK message from the listener task."""
        kind = getattr(message, "type", None)
        if kind == "Results":
            out = self._on_results(message, to_stream_ms)
        elif kind == "UtteranceEnd":
            out = self._close_utterance()
        else:
            out = []
        self._deliver(out)

    def flush(self) -> None:
        """Emit the open utterance as final (end of a connection or of the stream)."""
        self._deliver(self._close_utterance())

    def discard(self) -> None:
        """Forget the open utterance (abort)."""
        with self._lock:
            self._segments = []

    def _on_results(self, msg: Any, to_stream_ms: ToStreamMs) -> list[TranscriptResult]:
        segment = self._segment(msg, to_stream_ms)
        with self._lock:
            if not msg.is_final:
                return [self._interim(segment)] if segment else []
            self._covered_ms = max(self._covered_ms, float(to_stream_ms(msg.start + msg.duration)))
            if segment:
                self._segments.append(segment)
            if msg.speech_final or msg.from_finalize:
                return self._close_utterance_locked()
            return []

    def _segment(self, msg: Any, to_stream_ms: ToStreamMs) -> TranscriptResult | None:
        """The message's best alternative on the stream timeline, minus covered words."""
        alternatives = msg.channel.alternatives
        if not alternatives or not alternatives[0].transcript:
            return None
        alt = alternatives[0]
        words = tuple(_word(w, to_stream_ms) for w in (alt.words or ()))
        kept = tuple(w for w in words if (w.start_ms + w.end_ms) / 2 > self._covered_ms)
        start, end = to_stream_ms(msg.start), to_stream_ms(msg.start + msg.duration)
        if not words:
            return None if end <= self._covered_ms else _result(alt.transcript, start, end, alt)
        if not kept:
            return None
        text = alt.transcript if len(kept) == len(words) else " ".join(w.text for w in kept)
        return TranscriptResult(
            text=text,
            is_final=bool(msg.is_final),
            start_ms=max(start, kept[0].start_ms) if len(kept) < len(words) else start,
            end_ms=end,
            confidence=float(alt.confidence),
            words=kept,
        )

    def _interim(self, segment: TranscriptResult) -> TranscriptResult:
        parts = [*self._segments, segment]
        return _combine(parts, is_final=False)

    def _close_utterance(self) -> list[TranscriptResult]:
        with self._lock:
            return self._close_utterance_locked()

    def _close_utterance_locked(self) -> list[TranscriptResult]:
        if not self._segments:
            return []
        final = _combine(self._segments, is_final=True)
        self._segments = []
        return [final]

    def _deliver(self, results: list[TranscriptResult]) -> None:
        for result in results:
            try:
                self._on_result(result)
            except Exception as exc:  # noqa: BLE001 - a consumer bug must not kill the listener
                log.error("transcript callback failed", extra={"error": type(exc).__name__})


def _word(raw: Any, to_stream_ms: ToStreamMs) -> Word:
    return Word(
        text=raw.punctuated_word or raw.word,
        start_ms=to_stream_ms(raw.start),
        end_ms=to_stream_ms(raw.end),
        confidence=float(raw.confidence),
        speaker=getattr(raw, "speaker", None),
    )


def _result(text: str, start: int, end: int, alt: Any) -> TranscriptResult:
    return TranscriptResult(text, False, start, end, float(alt.confidence))


def _combine(parts: list[TranscriptResult], is_final: bool) -> TranscriptResult:
    """One result spanning ``parts``; confidence is the word-weighted mean."""
    words = tuple(w for p in parts for w in p.words)
    weights = [max(1, len(p.words)) for p in parts]
    confidence = sum(p.confidence * n for p, n in zip(parts, weights, strict=True)) / sum(weights)
    return TranscriptResult(
        text=" ".join(p.text for p in parts),
        is_final=is_final,
        start_ms=parts[0].start_ms,
        end_ms=parts[-1].end_ms,
        confidence=round(confidence, 4),
        words=words,
    )
