"""Lexical encoder: TF-IDF over word 1-2-grams and character 2-5-grams inside words.

Character n-grams carry Finnish inflection ("jonossa", "jonotin", "jonottaa" share "jono"); word
bigrams carry negation ("ei ollut", "not rude"). Vocabulary and IDF are stored as JSON and ``.npz``.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.artifacts import check_shape, read_arrays, read_component_config, read_json, write_arrays, write_json
from cxnlp.errors import ModelFormatError, NotFittedError
from cxnlp.preprocessing import TOKENIZER_VERSION, tokenize

_CACHE_SIZE = 200_000


def _word_features(tokens: list[str]) -> list[str]:
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def _tfidf(rows: list[list[int]], idf: np.ndarray) -> Any:
    """CSR matrix of sublinear TF x IDF from per-row feature ids, rows L2-normalised."""
    from scipy.sparse import csr_matrix

    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    ids = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(lengths.sum()))
    X = csr_matrix((np.ones(len(ids), np.float32), (np.repeat(np.arange(len(rows)), lengths), ids)),
                   shape=(len(rows), len(idf)))
    X.sum_duplicates()
    X.data = ((1.0 + np.log(X.data)) * idf[X.indices]).astype(np.float32)
    row_of = np.repeat(np.arange(len(rows)), np.diff(X.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=X.data.astype(np.float64) ** 2, minlength=len(rows)))
    X.data /= norms[row_of].astype(np.float32)
    return X


def _char_features(tokens: list[str], lo: int, hi: int) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        s = f" {tok} "
        for n in range(lo, min(hi, len(s)) + 1):
            out.extend(s[i : i + n] for i in range(len(s) - n + 1))
    return out


class LexicalEncoder:
    """Sparse TF-IDF features; ``fit`` learns the vocabulary and IDF from training texts."""

    name = "lexical/1"

    def __init__(self, char_ngrams: tuple[int, int] = (2, 5), min_df: int = 2,
                 max_word_features: int = 50_000, max_char_features: int = 150_000):
        self.char_ngrams = (int(char_ngrams[0]), int(char_ngrams[1]))
        self.min_df = int(min_df)
        self.max_word_features = int(max_word_features)
        self.max_char_features = int(max_char_features)
        self.vocab_: dict[str, list[str]] | None = None
        self.idf_: dict[str, np.ndarray] | None = None
        self._index: dict[str, dict[str, int]] = {}
        self._char_cache: dict[str, list[int]] = {}

    # -- features -------------------------------------------------------------------------------
    def _tokens(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
        return [[t.lower() for t in toks] for toks in tokenize(list(texts))]

    def _blocks(self, texts: Sequence[str], langs: Sequence[str]) -> dict[str, list[list[str]]]:
        tokens = self._tokens(texts, langs)
        lo, hi = self.char_ngrams
        return {"word": [_word_features(t) for t in tokens], "char": [_char_features(t, lo, hi) for t in tokens]}

    def fit(self, texts: Sequence[str], langs: Sequence[str]) -> LexicalEncoder:
        n = len(texts)
        if n == 0:
            raise ValueError("cannot fit the lexical encoder on zero texts")
        limits = {"word": self.max_word_features, "char": self.max_char_features}
        self.vocab_, self.idf_ = {}, {}
        for block, docs in self._blocks(texts, langs).items():
            df = Counter(f for doc in docs for f in set(doc))
            kept = [f for f, c in df.items() if c >= self.min_df]
            kept.sort(key=lambda f: (-df[f], f))
            kept = sorted(kept[: limits[block]])
            self.vocab_[block] = kept
            self.idf_[block] = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept], dtype=np.float32)
        self._build_index()
        return self

    def _build_index(self) -> None:
        assert self.vocab_ is not None
        self._index = {b: {f: i for i, f in enumerate(v)} for b, v in self.vocab_.items()}
        self._char_cache = {}

    @property
    def dim(self) -> int:
        if self.vocab_ is None:
            raise NotFittedError("LexicalEncoder is not fitted; call fit() first")
        return sum(len(v) for v in self.vocab_.values())

    def transform(self, texts: Sequence[str], langs: Sequence[str]) -> Any:
        """CSR matrix (n_texts, dim): sublinear TF x IDF, each block L2-normalised."""
        from scipy.sparse import hstack

        if self.vocab_ is None or self.idf_ is None:
            raise NotFittedError("LexicalEncoder is not fitted; call fit() first")
        tokens = self._tokens(texts, langs)
        word_index = self._index["word"]
        word_ids = [[i for i in map(word_index.get, _word_features(t)) if i is not None] for t in tokens]
        char_ids = [[i for tok in t for i in self._char_ids(tok)] for t in tokens]
        parts = [_tfidf(word_ids, self.idf_["word"]), _tfidf(char_ids, self.idf_["char"])]
        return hstack(parts, format="csr", dtype=np.float32)

    def _char_ids(self, token: str) -> list[int]:
        """Vocabulary ids of one token's character n-grams, cached: feedback repeats its words a lot."""
        ids = self._char_cache.get(token)
        if ids is None:
            if len(self._char_cache) > _CACHE_SIZE:
                self._char_cache.clear()
            index = self._index["char"]
            lo, hi = self.char_ngrams
            ids = self._char_cache[token] = [i for i in map(index.get, _char_features([token], lo, hi)) if i is not None]
        return ids

    # -- persistence ---------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"char_ngrams": list(self.char_ngrams), "min_df": self.min_df,
                "max_word_features": self.max_word_features, "max_char_features": self.max_char_features}

    def save(self, directory: Path) -> None:
        if self.vocab_ is None or self.idf_ is None:
            raise NotFittedError("LexicalEncoder is not fitted; nothing to save")
        directory.mkdir(parents=True, exist_ok=True)
        write_json(directory / "config.json", {"name": self.name, **self.get_config(), "tokenizer": TOKENIZER_VERSION})
        write_json(directory / "vocab.json", self.vocab_)
        write_arrays(directory / "idf.npz", {f"idf_{b}": v for b, v in self.idf_.items()})

    @classmethod
    def load(cls, directory: Path) -> LexicalEncoder:
        config = read_component_config(directory, cls.name, ["char_ngrams", "min_df"])
        if config.pop("tokenizer", None) != TOKENIZER_VERSION:  # its vocabulary was built from other tokens
            raise ModelFormatError(f"{directory / 'config.json'}: saved with a tokenizer other than {TOKENIZER_VERSION!r} "
                                   "(cxnlp < 0.2 used spaCy's); retrain the model with this cxnlp")
        enc = cls(**{k: v for k, v in config.items() if k != "name"})
        vocab = read_json(directory / "vocab.json", ["word", "char"])
        arrays = read_arrays(directory / "idf.npz", ["idf_word", "idf_char"])
        for block in ("word", "char"):
            if not isinstance(vocab[block], list) or not all(isinstance(f, str) for f in vocab[block]):
                raise ModelFormatError(f"{directory / 'vocab.json'}: {block!r} must be a list of strings")
            check_shape(directory / "idf.npz", f"idf_{block}", arrays[f"idf_{block}"], (len(vocab[block]),))
        enc.vocab_ = {"word": vocab["word"], "char": vocab["char"]}
        enc.idf_ = {b: arrays[f"idf_{b}"].astype(np.float32) for b in ("word", "char")}
        enc._build_index()
        return enc
