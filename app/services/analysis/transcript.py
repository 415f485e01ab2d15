"""The stored transcript as analysis input: lines, sentences, timestamps, quote lookup."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from app.models import Utterance as StoredUtterance

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^a-z0-9' ]+")


@dataclass(frozen=True)
class Line:
    """One final utterance."""

    utterance_id: str
    source: str
    text: str
    start_ms: int


@dataclass(frozen=True)
class Sentence:
    index: int  # position in the call (for ordering)
    line: Line
    text: str


def lines_of(utterances: Sequence[StoredUtterance]) -> list[Line]:
    return [
        Line(u.id, u.source, _SPACES.sub(" ", u.text).strip(), u.start_ms)
        for u in utterances
        if u.text.strip()
    ]


def sentences(lines: Sequence[Line]) -> Iterator[Sentence]:
    index = 0
    for line in lines:
        for text in _SENTENCE_END.split(line.text):
            if text.strip():
                yield Sentence(index, line, text.strip())
                index += 1


def clock(ms: int) -> str:
    """``mm:ss`` (or ``h:mm:ss``) on the call's timeline."""
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def evidence(sentence: Sentence) -> dict[str, object]:
    line = sentence.line
    return {
        "quote": sentence.text,
        "at_ms": line.start_ms,
        "at": clock(line.start_ms),
        "source": line.source,
        "utterance_id": line.utterance_id,
    }


def _norm(text: str) -> str:
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text.lower().replace("\u2019", "'"))).strip()


def find_quote(lines: Sequence[Line], quote: str, near_ms: int | None) -> Line | None:
    """The line that really contains ``quote`` (closest to ``near_ms``), else None.

    Model-given evidence is kept only when the words were actually said on the call.
    """
    needle = _norm(quote)
    if len(needle) < 3:
        return None
    found = [line for line in lines if needle in _norm(line.text)]
    if not found:
        return None
    if near_ms is None:
        return found[0]
    return min(found, key=lambda line: abs(line.start_ms - near_ms))
