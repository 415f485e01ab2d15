"""Moments recognised by meaning: an utterance compared with every entry's examples.

A :class:`MomentIndex` is a small classifier trained, once per toolkit, on the sentence
embeddings of every entry's examples plus a shipped set of ordinary call talk (the "no
moment" class, ``app/data/neutral_examples.txt``). The items are frozen, so the tuple of
items is the cache key: a changed example makes a new index. Scoring an utterance is one
encoder pass plus one small matrix product; the best entry fires when its confidence
reaches its threshold. Entries whose negative phrase is in the utterance are skipped.
A plain nearest-example rule was measured first and kept far more neutral lines
(docs/adr/0002-moment-detection.md).
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

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.35
MIN_WORDS = 2  # "yeah", "okay" and other one-word turns never fire by meaning
NEUTRAL_FILE = Path(__file__).resolve().parents[2] / "data" / "neutral_examples.txt"
# Softmax regression on unit embeddings: logits are scaled so that cosine-sized
# differences matter; a little L2 keeps entries with few examples from overfitting.
_SCALE = 10.0
_L2 = 1e-3
_EPOCHS = 300
_LEARNING_RATE = 0.5


@dataclass(frozen=True)
class MomentScore:
    item: ToolkitItem
    score: float  # the classifier's confidence (0-1) that the utterance is this moment

    @property
    def fires(self) -> bool:
        return self.score >= threshold_of(self.item)


def threshold_of(item: ToolkitItem) -> float:
    return item.threshold if item.threshold is not None else DEFAULT_THRESHOLD


@lru_cache(maxsize=1)
def neutral_examples() -> tuple[str, ...]:
    """Ordinary call talk shipped with the app: the "no moment" class."""
    lines = NEUTRAL_FILE.read_text().splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _train(x: np.ndarray, labels: np.ndarray, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch gradient descent (deterministic)."""
    x = x * _SCALE
    weights = np.zeros((x.shape[1], classes), dtype=np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    target = np.eye(classes, dtype=np.float32)[labels]
    for _ in range(_EPOCHS):
        probs = _softmax(x @ weights + bias)
        grad = (probs - target) / len(x)
        weights -= _LEARNING_RATE * (x.T @ grad + _L2 * weights)
        bias -= _LEARNING_RATE * grad.sum(0)
    return weights * _SCALE, bias


def _softmax(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)


class MomentIndex:
    """A classifier over a toolkit's entries with examples, plus a "no moment" class."""

    def __init__(self, items: Sequence[ToolkitItem], encoder: SentenceEncoder) -> None:
        self.items = tuple(item for item in items if item.examples)
        self._encoder = encoder
        texts = [text for item in self.items for text in item.examples]
        labels = [pos for pos, item in enumerate(self.items) for _ in item.examples]
        neutral = neutral_examples()
        x = encoder.encode_many([*texts, *neutral])
        y = np.asarray([*labels, *([len(self.items)] * len(neutral))], dtype=np.intp)
        self._weights, self._bias = _train(x, y, len(self.items) + 1)

    def __bool__(self) -> bool:
        return bool(self.items)

    def scores(self, text: str) -> list[MomentScore]:
        """Every entry's score for ``text``, best first (the "no moment" class left out)."""
        if not self.items:
            return []
        probs = _softmax(self._encoder.encode(text) @ self._weights + self._bias)[:-1]
        order = np.argsort(-probs, kind="stable")
        return [MomentScore(self.items[i], float(probs[i])) for i in order]

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
