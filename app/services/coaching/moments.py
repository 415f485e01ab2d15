"""Moments recognised by meaning: an utterance compared with every entry's examples.

A :class:`MomentIndex` is a small classifier trained, once per toolkit, on every entry's
examples plus a shipped set of ordinary call talk (the "no moment" class,
``app/data/neutral_examples.txt``). An utterance's features are its sentence embedding and
the words it shares with the training lines (normalised as for trigger phrases: stemmed,
contractions expanded, so "don't" gives "not"). The words let the classifier weigh what
the embedding blurs, such as a negation or "trial" against "price". The items are frozen,
so the tuple of items is the cache key: a changed example makes a new index. The trained
weights depend only on the examples, so toolkits with the same examples (every team
seeded with the default) share one training. Scoring an
utterance is one encoder pass plus one small matrix product; the best entry fires when
its confidence reaches its threshold and beats the "no moment" class. Entries whose
negative phrase is in the utterance are skipped. A plain nearest-example rule was
measured first and kept far more neutral lines (docs/adr/0002-moment-detection.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from app.services.coaching.base import ToolkitItem
from app.services.coaching.embedding import EmbeddingUnavailable, SentenceEncoder, get_encoder
from app.services.coaching.text import normalize
from app.services.concurrency import OncePerKey

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.3
MIN_WORDS = 2  # "yeah", "okay" and other one-word turns never fire by meaning


def too_short_for_meaning(tokens: Sequence[str]) -> bool:
    """A one-word turn, also said over ("okay okay okay", "no, no, no"): never a moment by
    meaning."""
    return len(set(tokens)) < MIN_WORDS


NEUTRAL_FILE = Path(__file__).resolve().parents[2] / "data" / "neutral_examples.txt"
# Softmax regression on unit embeddings: logits are scaled so that cosine-sized
# differences matter; a little L2 keeps entries with few examples from overfitting.
_SCALE = 10.0
_L2 = 1e-3
_EPOCHS = 300
_LEARNING_RATE = 0.5
# The words of an utterance are a unit vector (one per distinct known word) weighed
# against the unit embedding: 1.0 gives both the same length.
_WORD_WEIGHT = 1.0


@dataclass(frozen=True)
class MomentScore:
    item: ToolkitItem
    score: float  # the classifier's confidence (0-1) that the utterance is this moment
    neutral: float = 0.0  # its confidence that the utterance is ordinary talk

    @property
    def fires(self) -> bool:
        return self.fires_with(0.0)

    def fires_with(self, margin: float) -> bool:
        """Reaches the entry's threshold plus ``margin`` and is likelier than ordinary talk."""
        return self.score >= threshold_of(self.item) + margin and self.score > self.neutral


def threshold_of(item: ToolkitItem) -> float:
    return item.threshold if item.threshold is not None else DEFAULT_THRESHOLD


@lru_cache(maxsize=1)
def neutral_examples() -> tuple[str, ...]:
    """Ordinary call talk shipped with the app: the "no moment" class."""
    lines = NEUTRAL_FILE.read_text().splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class _SparseRows:
    """A mostly-zero (height x width) matrix as its non-zero cells, given in row order."""

    def __init__(
        self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, height: int, width: int
    ) -> None:
        self.rows, self.cols, self.values = rows, cols, values
        self.height, self.width = height, width
        self._by_col = np.argsort(cols, kind="stable")
        self._row_groups = _groups(rows)
        self._col_groups = _groups(cols[self._by_col])

    def scaled(self, factor: float) -> _SparseRows:
        return _SparseRows(self.rows, self.cols, self.values * factor, self.height, self.width)

    def times(self, dense: np.ndarray) -> np.ndarray:
        """``self @ dense``."""
        cells = self.values[:, None] * dense[self.cols]
        return _grouped_sum(self._row_groups, cells, self.height)

    def transposed_times(self, dense: np.ndarray) -> np.ndarray:
        """``self.T @ dense``."""
        order = self._by_col
        cells = self.values[order, None] * dense[self.rows[order]]
        return _grouped_sum(self._col_groups, cells, self.width)


def _groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For sorted ``keys``: where each run of equal keys starts, and its key."""
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
    return starts, keys[starts]


def _grouped_sum(groups: tuple[np.ndarray, np.ndarray], cells: np.ndarray, size: int) -> np.ndarray:
    """Runs of rows of ``cells`` summed into the rows of a (size, columns) matrix."""
    out = np.zeros((size, cells.shape[1]), dtype=np.float32)
    starts, keys = groups
    if len(starts):
        out[keys] = np.add.reduceat(cells, starts, axis=0)
    return out


def _train(
    x: np.ndarray, words: _SparseRows, labels: np.ndarray, classes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch gradient descent (deterministic).

    The features are the dense embeddings ``x`` next to the sparse word vectors; the word
    part is multiplied cell by cell, so its thousand-odd columns cost next to nothing.
    Every entry weighs the same in total however many examples it has (an entry a team
    gave three examples is not drowned by ones with forty); the last class, ordinary
    talk, keeps one unit per line. Returns the embedding weights, the word weights and
    the bias.
    """
    share = _line_weights(labels, classes)[:, None]
    x = x * _SCALE
    words = words.scaled(_SCALE)
    weights = np.zeros((x.shape[1], classes), dtype=np.float32)
    word_weights = np.zeros((words.width, classes), dtype=np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    target = np.eye(classes, dtype=np.float32)[labels]
    for _ in range(_EPOCHS):
        logits = x @ weights + words.times(word_weights) + bias
        grad = (_softmax(logits) - target) * share
        weights -= _LEARNING_RATE * (x.T @ grad + _L2 * weights)
        word_weights -= _LEARNING_RATE * (words.transposed_times(grad) + _L2 * word_weights)
        bias -= _LEARNING_RATE * grad.sum(0)
    return weights * _SCALE, word_weights * _SCALE, bias


def _line_weights(labels: np.ndarray, classes: int) -> np.ndarray:
    """Each line's share of the loss (summing to 1): entries equal, neutral lines one each."""
    counts = np.bincount(labels, minlength=classes).astype(np.float32)
    entries = counts[:-1]
    per_line = np.ones(classes, dtype=np.float32)
    per_line[:-1] = entries[entries > 0].mean() / np.maximum(entries, 1)
    weights = per_line[labels]
    return weights / weights.sum()


def _softmax(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)


class _Words:
    """The words of the training lines; an utterance as the unit vector of those it has."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.column: dict[str, int] = {}
        for text in texts:
            for word in normalize(text):
                self.column.setdefault(word, len(self.column))

    def columns(self, text: str) -> list[int]:
        return sorted({self.column[w] for w in normalize(text) if w in self.column})

    def matrix(self, texts: Sequence[str]) -> _SparseRows:
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for row, text in enumerate(texts):
            found = self.columns(text)
            rows += [row] * len(found)
            cols += found
            values += [_WORD_WEIGHT / np.sqrt(len(found))] * len(found) if found else []
        return _SparseRows(
            np.asarray(rows, dtype=np.intp),
            np.asarray(cols, dtype=np.intp),
            np.asarray(values, dtype=np.float32),
            len(texts),
            len(self.column),
        )


ExampleGroups = tuple[tuple[str, ...], ...]  # each entry's examples, in entry order


@dataclass(frozen=True)
class _Classifier:
    """Trained weights over one set of example groups, plus the "no moment" class."""

    words: _Words
    embedding_weights: np.ndarray
    word_weights: np.ndarray
    bias: np.ndarray


def _fit(groups: ExampleGroups) -> _Classifier:
    texts = [text for group in groups for text in group]
    labels = [pos for pos, group in enumerate(groups) for _ in group]
    lines = [*texts, *neutral_examples()]
    words = _Words(lines)
    y = np.asarray([*labels, *([len(groups)] * (len(lines) - len(texts)))], dtype=np.intp)
    return _Classifier(
        words, *_train(get_encoder().encode_many(lines), words.matrix(lines), y, len(groups) + 1)
    )


# Teams seeded with the same toolkit share one classifier; calls that start together
# wait for one training instead of each running their own.
_classifiers: OncePerKey[ExampleGroups, _Classifier] = OncePerKey(_fit, maxsize=64)


class MomentIndex:
    """A classifier over a toolkit's entries with examples, plus a "no moment" class."""

    def __init__(self, items: Sequence[ToolkitItem], encoder: SentenceEncoder) -> None:
        self.items = tuple(item for item in items if item.examples)
        self._encoder = encoder
        self._model = _classifiers.get(tuple(item.examples for item in self.items))

    def _logits(self, text: str) -> np.ndarray:
        model = self._model
        logits = self._encoder.encode(text) @ model.embedding_weights + model.bias
        cols = model.words.columns(text)
        if cols:
            logits += model.word_weights[cols].sum(0) * (_WORD_WEIGHT / np.sqrt(len(cols)))
        return logits

    def __bool__(self) -> bool:
        return bool(self.items)

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed ``texts`` in one batch now, so scoring them one by one hits the cache."""
        self._encoder.encode_many(texts)

    def scores(self, text: str) -> list[MomentScore]:
        """Every entry's score for ``text``, best first (the "no moment" class left out)."""
        if not self.items:
            return []
        probs = _softmax(self._logits(text))
        neutral, probs = float(probs[-1]), probs[:-1]
        order = np.argsort(-probs, kind="stable")
        return [MomentScore(self.items[i], float(probs[i]), neutral) for i in order]

    def closest(self, text: str, allowed: set[str]) -> MomentScore | None:
        """The highest-scoring entry among ``allowed`` entry ids (whether it fires or not)."""
        for scored in self.scores(text):
            if scored.item.entry_id in allowed:
                return scored
        return None


_unavailable_logged = False


@lru_cache(maxsize=64)
def moment_index(items: tuple[ToolkitItem, ...]) -> MomentIndex | None:
    """The shared index of a toolkit, or None when no entry has examples or no model."""
    if not any(item.examples for item in items):
        return None
    try:
        encoder = get_encoder()
    except EmbeddingUnavailable as exc:
        _log_unavailable(exc)
        return None
    return MomentIndex(items, encoder)


def _log_unavailable(exc: EmbeddingUnavailable) -> None:
    global _unavailable_logged
    if not _unavailable_logged:
        _unavailable_logged = True
        logger.warning(
            "embedding_model_unavailable", extra={"code": "embedding_unavailable", "why": str(exc)}
        )
