"""Analysis without an LLM: an extractive summary and commitment spotting.

The summary is the call's highest-scoring sentences in call order. A sentence scores by
how frequent its content words are across the whole call (what the call was about),
normalised by length, plus a bonus for business signals (budget, timeline, next step).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from app.services.analysis.transcript import Line, Sentence, clock, evidence, sentences

SUMMARY_SENTENCES = 4
MIN_WORDS = 5
MAX_ITEMS = 5
SPEAKERS = {"rep": "Rep", "prospect": "Prospect"}
_WORD = re.compile(r"[a-z][a-z']+")
_STOPWORDS_TEXT = """a about above after again all also am an and any are as at be because been
    before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just let like
    me more most my no nor not now of off on once only or other our ours out over own really
    right same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we well were what when where which while
    who whom why will with would yeah yes you your yours okay ok um uh oh so sure think know
    going get got one thing things lot kind sort mean actually basically gonna want"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
SIGNALS = re.compile(
    r"\b(budget|price|pricing|cost|timeline|decision|deadline|contract|renewal|competitor|"
    r"pain|problem|challenge|goal|priority|next step|follow up|demo|proposal|pilot|trial)\b"
)
NEXT_STEP = re.compile(
    r"\b(next steps?|follow[- ]?up|schedule|set up (a|another)|book (a|another)|calendar|invite|"
    r"next (week|monday|tuesday|wednesday|thursday|friday)|tomorrow|meet again|demo|"
    r"proposal|trial|pilot)\b"
)
COMMITMENT = re.compile(
    r"\b(i'll|i will|we'll|we will|i'm going to|we're going to|let me|i can send|i'll send|"
    r"i need to|we need to|i'll check|i'll talk)\b"
)


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def _score(sentence: Sentence, freq: Counter[str]) -> float:
    words = _words(sentence.text)
    if len(sentence.text.split()) < MIN_WORDS or not words:
        return 0.0
    base = sum(freq[w] for w in set(words)) / math.sqrt(len(words))
    return base * (1.5 if SIGNALS.search(sentence.text.lower()) else 1.0)


def summary(lines: Sequence[Line]) -> tuple[str, list[dict[str, Any]]]:
    """The key sentences as one text (``[mm:ss] Speaker: ...`` lines) and as evidence."""
    all_sentences = list(sentences(lines))
    freq = Counter(w for s in all_sentences for w in _words(s.text))
    ranked = sorted(all_sentences, key=lambda s: (-_score(s, freq), s.index))
    top = sorted(
        (s for s in ranked[:SUMMARY_SENTENCES] if _score(s, freq) > 0), key=lambda s: s.index
    )
    text = "\n".join(
        f"[{clock(s.line.start_ms)}] {SPEAKERS.get(s.line.source, 'Speaker')}: {s.text}"
        for s in top
    )
    return text, [evidence(s) for s in top]


def _matching(lines: Sequence[Line], pattern: re.Pattern[str]) -> list[Sentence]:
    return [s for s in sentences(lines) if pattern.search(s.text.lower())]


def _item(sentence: Sentence) -> dict[str, Any]:
    line = sentence.line
    return {
        "text": sentence.text,
        "owner": line.source,
        "at_ms": line.start_ms,
        "at": clock(line.start_ms),
    }


def action_items(lines: Sequence[Line]) -> list[dict[str, Any]]:
    """Sentences where someone commits to doing something."""
    return [_item(s) for s in _matching(lines, COMMITMENT)[:MAX_ITEMS]]


def next_step_sentences(lines: Sequence[Line]) -> list[Sentence]:
    return _matching(lines, NEXT_STEP)


def next_steps(lines: Sequence[Line]) -> list[dict[str, Any]]:
    """Sentences about scheduling or the next meeting, latest last."""
    return [_item(s) for s in next_step_sentences(lines)[-MAX_ITEMS:]]
