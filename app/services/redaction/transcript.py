"""Redaction of one recognizer result: its text and its timed words alike.

Words are redacted on their joined text, so a number split over several words ("four",
"one", "one", …) is found as one; the words a span touches collapse into one
placeholder word spanning their times.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from app.services.redaction import Redactor, apply
from app.services.redaction.detectors import Span
from app.services.redaction.kinds import PLACEHOLDERS
from app.services.transcription.base import TranscriptResult, Word

Spans = tuple[str, list[Span]] | None  # a text and its spans
DIGIT_RUN = re.compile(r"\d[\d,.\- ]*\d|\d")
log = logging.getLogger(__name__)


def redact_words(
    redactor: Redactor, words: tuple[Word, ...], interim: bool = False, text_spans: Spans = None
) -> tuple[Word, ...]:
    """``text_spans``: the spans of the result's text, reused when the words join into
    exactly that text (most recognizers)."""
    if not words:
        return words
    starts, cursor = [], 0
    for word in words:
        starts.append(cursor)
        cursor += len(word.text) + 1
    joined = " ".join(w.text for w in words)
    spans = text_spans[1] if text_spans and text_spans[0] == joined else None
    if spans is None:
        spans = redactor.spans(joined, interim)
    if not spans:
        return words
    out: list[Word] = []
    span_index, last_span = 0, -1
    for word, start in zip(words, starts, strict=True):
        end = start + len(word.text)
        while span_index < len(spans) and spans[span_index][1] <= start:
            span_index += 1
        if span_index == len(spans) or end <= spans[span_index][0]:
            out.append(word)  # untouched
        elif last_span == span_index:  # the same span goes on over this word
            out[-1] = replace(out[-1], end_ms=word.end_ms)
        else:
            placeholder = PLACEHOLDERS[spans[span_index][2]]
            out.append(Word(placeholder, word.start_ms, word.end_ms, word.confidence))
            last_span = span_index
    return tuple(out)


def redact_result(redactor: Redactor, result: TranscriptResult) -> TranscriptResult:
    """The result as it may be stored, emitted, coached and indexed.

    A redactor bug must neither lose the utterance nor leak it: the text is then kept with
    every run of digits replaced (the words' timing is dropped) and only the error type is
    logged."""
    if not redactor.kinds:
        return result
    try:
        return _redacted(redactor, result)
    except Exception as exc:  # noqa: BLE001 - fail closed, keep the utterance
        log.error("redaction failed; digits masked", extra={"error": type(exc).__name__})
        return replace(
            result, text=DIGIT_RUN.sub("[number]", result.text), words=(), alternatives=()
        )


def _redacted(redactor: Redactor, result: TranscriptResult) -> TranscriptResult:
    interim = not result.is_final
    spans = redactor.spans(result.text, interim)
    words = redact_words(redactor, result.words, interim, (result.text, spans))
    alternatives = tuple(apply(text, redactor.spans(text, interim)) for text in result.alternatives)
    if not spans and words is result.words and alternatives == result.alternatives:
        return result
    return replace(result, text=apply(result.text, spans), words=words, alternatives=alternatives)
