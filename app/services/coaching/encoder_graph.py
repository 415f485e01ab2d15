"""The 6-layer MiniLM encoder as an ONNX graph, built in memory from the shipped weights.

onnxruntime (already installed with faster-whisper) runs the graph about twice as fast as
the same pass in numpy at our utterance lengths: the layers' 42 MB of float32 weights do
not fit the CPU cache, and its fused kernels read them once per pass. Nothing is
downloaded or written to disk: the graph is assembled from the safetensors arrays with
the ``onnx`` package's helpers at load (about 0.3 s) and handed to the runtime as bytes.

Inputs: ``x`` (batch, tokens, 384) — word + position + type embeddings after the first
layer norm — and ``mask`` (batch, 1, 1, tokens), 0 for real tokens and -1e9 for padding.
Output: the last hidden state (batch, tokens, 384). Weights are float32, as trained:
int8 weights were measured 2.4x faster again but moved embeddings too far (median cosine
0.96 to the float pass) to keep the classifier's figures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

LAYERS = 6
DIM = 384
HEADS = 12
_LN_EPS = 1e-12

Run = Callable[[np.ndarray, np.ndarray], np.ndarray]


class _Graph:
    """Collects nodes and initialisers; each method adds one step and returns its output."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self._helper, self._numpy = helper, numpy_helper
        self.nodes: list = []
        self.inits: list = []
        self._count = 0

    def const(self, value: np.ndarray | float | list[int], dtype: type = np.float32) -> str:
        name = self._name("c")
        self.inits.append(self._numpy.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        out = self._name(kind)
        self.nodes.append(self._helper.make_node(kind, list(inputs), [out], **attributes))
        return out

    def _name(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray) -> str:
        """``x @ weight.T + bias`` (weights as stored: out x in)."""
        return self.op("Add", self.op("MatMul", x, self.const(weight.T)), self.const(bias))

    def layer_norm(self, x: str, gain: np.ndarray, bias: np.ndarray) -> str:
        return self.op(
            "LayerNormalization", x, self.const(gain), self.const(bias), axis=-1, epsilon=_LN_EPS
        )

    def gelu(self, x: str) -> str:
        """The exact (erf) GELU that BERT was trained with."""
        scaled = self.op("Mul", x, self.const(1 / np.sqrt(2)))
        gate = self.op("Add", self.const(1.0), self.op("Erf", scaled))
        return self.op("Mul", self.op("Mul", x, self.const(0.5)), gate)


def _attention(g: _Graph, x: str, w: Callable[[str], np.ndarray]) -> str:
    heads = g.const([0, 0, HEADS, DIM // HEADS], np.int64)

    def project(name: str, perm: list[int]) -> str:
        out = g.linear(x, w(f"attention.self.{name}.weight"), w(f"attention.self.{name}.bias"))
        return g.op("Transpose", g.op("Reshape", out, heads), perm=perm)

    q = project("query", [0, 2, 1, 3])  # (batch, heads, tokens, 32)
    k = project("key", [0, 2, 3, 1])  # (batch, heads, 32, tokens)
    v = project("value", [0, 2, 1, 3])
    scores = g.op("Mul", g.op("MatMul", q, k), g.const(1 / np.sqrt(DIM // HEADS)))
    weights = g.op("Softmax", g.op("Add", scores, "mask"), axis=-1)
    attended = g.op("Transpose", g.op("MatMul", weights, v), perm=[0, 2, 1, 3])
    merged = g.op("Reshape", attended, g.const([0, 0, DIM], np.int64))
    return g.linear(merged, w("attention.output.dense.weight"), w("attention.output.dense.bias"))


def _layer(g: _Graph, x: str, weights: dict[str, np.ndarray], i: int) -> str:
    def w(name: str) -> np.ndarray:
        return weights[f"encoder.layer.{i}.{name}"]

    x = g.layer_norm(
        g.op("Add", x, _attention(g, x, w)),
        w("attention.output.LayerNorm.weight"),
        w("attention.output.LayerNorm.bias"),
    )
    hidden = g.gelu(g.linear(x, w("intermediate.dense.weight"), w("intermediate.dense.bias")))
    out = g.linear(hidden, w("output.dense.weight"), w("output.dense.bias"))
    residual = g.op("Add", x, out)
    return g.layer_norm(residual, w("output.LayerNorm.weight"), w("output.LayerNorm.bias"))


def model_bytes(weights: dict[str, np.ndarray]) -> bytes:
    """The serialised ONNX model of the encoder layers."""
    from onnx import TensorProto, helper

    g = _Graph()
    x = "x"
    for i in range(LAYERS):
        x = _layer(g, x, weights, i)
    graph = helper.make_graph(
        g.nodes,
        "minilm-layers",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", DIM]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", 1, 1, "tokens"]),
        ],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["batch", "tokens", DIM])],
        g.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    return model.SerializeToString()


def load(weights: dict[str, np.ndarray]) -> Run:
    """A thread-safe ``run(x, mask) -> hidden`` on one CPU thread per call."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # the encode pump runs one pass at a time per thread
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(
        model_bytes(weights), options, providers=["CPUExecutionProvider"]
    )
    output = session.get_outputs()[0].name

    def run(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return session.run([output], {"x": x, "mask": mask})[0]

    return run
