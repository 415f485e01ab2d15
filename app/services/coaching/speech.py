"""Small, explainable heuristics on one utterance: word timings, questions, filler words."""

from __future__ import annotations

import re

from app.services.coaching.base import Utterance

Span = tuple[int, int]

# A sentence is a question if it ends with "?" or opens with one of these.
QUESTION_OPENERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "what",
        "how",
        "why",
        "when",
        "where",
        "who",
        "whom",
        "whose",
        "which",
        "could",
        "would",
        "can",
        "do",
        "does",
        "did",
        "is",
        "are",
        "was",
        "were",
        "will",
        "have",
        "has",
        "should",
        "shall",
        "may",
        "tell me",
        "walk me through",
        "help me understand",
    )
)
# Always fillers, wherever they appear.
FILLER_WORDS = frozenset(
    [
        "um",
        "umm",
        "uh",
        "uhh",
        "uhm",
        "erm",
        "er",
        "ah",
        "hmm",
        "basically",
        "actually",
        "literally",
    ]
)
# Two-word fillers, except after the listed words ("what kind of", "do you know").
FILLER_PHRASES: dict[tuple[str, str], frozenset[str]] = {
    ("you", "know"): frozenset(["do", "did", "don't", "if"]),
    ("i", "mean"): frozenset(["what"]),
    ("sort", "of"): frozenset(
        ["what", "this", "that", "a", "the", "which", "any", "some", "same", "one", "no"]
    ),
    ("kind", "of"): frozenset(
        ["what", "this", "that", "a", "the", "which", "any", "some", "same", "one", "no"]
    ),
}
# "like" is a filler next to a comma, or after one of these ("so like", "he was like").
LIKE_FILLER_AFTER = frozenset(["um", "uh", "er", "erm", "so", "and", "but", "was", "were"])

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_WORDS = re.compile(r"[a-z']+|[,;]")
_HAS_ALNUM = re.compile(r"[^\W_]")


def word_spans(utterance: Utterance) -> list[Span]:
    """Per-word (start_ms, end_ms): the recogniser's timings, else the span spread evenly."""
    if utterance.words:
        return [(w.start_ms, max(w.start_ms, w.end_ms)) for w in utterance.words]
    count = _count_words(utterance.text)
    if count == 0:
        return []
    start, end = utterance.start_ms, max(utterance.start_ms, utterance.end_ms)
    step = (end - start) / count
    return [(start + round(i * step), start + round((i + 1) * step)) for i in range(count)]


def merge_spans(spans: list[Span], max_gap_ms: int) -> list[Span]:
    """Talk segments: word spans joined across pauses of at most ``max_gap_ms``."""
    segments: list[Span] = []
    for start, end in sorted(spans):
        if segments and start - segments[-1][1] <= max_gap_ms:
            segments[-1] = (segments[-1][0], max(segments[-1][1], end))
        else:
            segments.append((start, end))
    return segments


def count_questions(text: str) -> int:
    """Sentences that are questions: ending in "?" or opening with an interrogative."""
    count = 0
    for sentence in _SENTENCE_END.split(text.strip()):
        if not sentence:
            continue
        words = tuple(re.findall(r"[a-z']+", sentence.lower())[:3])
        opens = any(words[: len(opener)] == opener for opener in QUESTION_OPENERS)
        if sentence.rstrip().endswith("?") or opens:
            count += 1
    return count


def count_fillers(text: str) -> int:
    """Filler words and phrases in ``text`` (see the lists above for the exact rules)."""
    tokens = _WORDS.findall(text.lower().replace("\u2019", "'"))
    count = 0
    for i, token in enumerate(tokens):
        prev = tokens[i - 1] if i > 0 else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if (
            token in FILLER_WORDS
            or (token == "like" and (prev in LIKE_FILLER_AFTER or "," in (prev, nxt)))
            or ((token, nxt) in FILLER_PHRASES and prev not in FILLER_PHRASES[(token, nxt)])
        ):
            count += 1
    return count


def _count_words(text: str) -> int:
    """Whitespace-separated tokens holding a letter or digit ("--" and "..." are not words)."""
    return sum(1 for token in text.split() if _HAS_ALNUM.search(token))


def word_count(utterance: Utterance) -> int:
    return len(utterance.words) if utterance.words else _count_words(utterance.text)
