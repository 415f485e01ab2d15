"""Text normalisation and phrase matching shared by the playbook, checklist and stages.

Trigger phrases and transcripts go through the same :func:`normalize` so that case,
punctuation, contractions ("isn't" -> "is not") and simple word variants (plural -s,
-ing, -ed, final -e) do not matter. Phrases are compiled once into a
:class:`PhraseIndex` keyed by their first token, so matching an utterance costs one
dictionary lookup per token plus a tuple comparison per candidate phrase.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})
_NON_WORD = re.compile(r"[^a-z0-9']+")

# Irregular or informal forms; everything else is handled by the suffix rules below.
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "can't": ("can", "not"),
    "cannot": ("can", "not"),
    "won't": ("will", "not"),
    "shan't": ("shall", "not"),
    "ain't": ("is", "not"),
    "let's": ("let", "us"),
    "gonna": ("going", "to"),
    "wanna": ("want", "to"),
    "gotta": ("got", "to"),
    "y'all": ("you", "all"),
}
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("n't", "not"),
    ("'re", "are"),
    ("'ve", "have"),
    ("'ll", "will"),
    ("'m", "am"),
    ("'d", "would"),
)
# Words whose "'s" means "is"; on any other word "'s" is a possessive and is dropped.
_S_IS = frozenset(
    [
        "it",
        "that",
        "there",
        "here",
        "what",
        "who",
        "where",
        "when",
        "how",
        "he",
        "she",
        "this",
        "everything",
        "something",
    ]
)


def _expand(token: str) -> tuple[str, ...]:
    """Expand one lower-case token that may carry an apostrophe."""
    token = token.strip("'")
    if "'" not in token:
        return _IRREGULAR.get(token, (token,)) if token else ()
    if token in _IRREGULAR:
        return _IRREGULAR[token]
    for suffix, word in _SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix):
            return (token[: -len(suffix)], word)
    if token.endswith("'s"):
        base = token[:-2]
        return (base, "is") if base in _S_IS else (base,)
    return (token.replace("'", ""),)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A light stemmer: strips plural -s/-es/-ies, -ing, -ed and a final -e.

    It only has to map variants of a word to the same key consistently
    ("prices", "pricing", "priced", "price" -> "pric"); the key need not be a word.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    stripped = _strip_verb_suffix(word)
    if stripped != word:
        word = _undouble(stripped)
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def _strip_verb_suffix(word: str) -> str:
    if word.endswith("ing") and len(word) - 3 >= 3:
        return word[:-3]
    if word.endswith("ed") and len(word) - 2 >= 3:
        return word[:-2]
    return word


def _undouble(word: str) -> str:
    """'stopp' -> 'stop' after a stripped suffix; l, s and z stay doubled ('call')."""
    if len(word) >= 3 and word[-1] == word[-2] and word[-1] not in "aeiouylsz":
        return word[:-1]
    return word


def normalize(text: str) -> tuple[str, ...]:
    """Lower-case, strip punctuation, expand contractions and stem: the matching tokens."""
    cleaned = _NON_WORD.sub(" ", text.lower().translate(_APOSTROPHES))
    out: list[str] = []
    for raw in cleaned.split():
        out.extend(stem(word) for word in _expand(raw) if word)
    return tuple(out)


@dataclass(frozen=True)
class _Phrase(Generic[K]):
    tokens: tuple[str, ...]
    key: K
    negative: bool


@dataclass
class PhraseHits(Generic[K]):
    """What one utterance matched: the longest positive phrase per key, and negated keys."""

    best: dict[K, int] = field(default_factory=dict)
    negated: set[K] = field(default_factory=set)

    def matched(self) -> dict[K, int]:
        """Keys with a positive match and no negative phrase, mapped to phrase length."""
        return {key: n for key, n in self.best.items() if key not in self.negated}


class PhraseIndex(Generic[K]):
    """Phrases compiled into a first-token index; immutable after construction."""

    def __init__(self, phrases: Iterable[tuple[K, str, bool]]) -> None:
        """``phrases`` yields ``(key, phrase, negative)``; empty phrases are ignored."""
        index: dict[str, list[_Phrase[K]]] = {}
        for key, phrase, negative in phrases:
            tokens = normalize(phrase)
            if tokens:
                index.setdefault(tokens[0], []).append(_Phrase(tokens, key, negative))
        self._index = {first: tuple(cands) for first, cands in index.items()}

    def __len__(self) -> int:
        return sum(len(cands) for cands in self._index.values())

    def find(self, tokens: Sequence[str]) -> PhraseHits[K]:
        """Every phrase whose tokens occur contiguously in ``tokens``."""
        hits: PhraseHits[K] = PhraseHits()
        tokens = tuple(tokens)
        size = len(tokens)
        for i, token in enumerate(tokens):
            for phrase in self._index.get(token, ()):
                n = len(phrase.tokens)
                if i + n > size or tokens[i : i + n] != phrase.tokens:
                    continue
                if phrase.negative:
                    hits.negated.add(phrase.key)
                elif n > hits.best.get(phrase.key, 0):
                    hits.best[phrase.key] = n
        return hits
