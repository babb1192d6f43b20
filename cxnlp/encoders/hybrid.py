"""Hybrid encoder: lexical TF-IDF features stacked with e5 embeddings, one linear head over both.

The lexical block carries exact words and Finnish word forms; the e5 block carries meaning across
paraphrase and language. ``dense_weight`` scales the e5 block against the two unit-norm lexical blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.artifacts import read_component_config, write_json
from cxnlp.encoders.e5 import E5Encoder
from cxnlp.encoders.lexical import LexicalEncoder


class HybridEncoder:
    name = "hybrid/1"

    def __init__(self, dense_weight: float = 2.0, lexical: dict[str, Any] | None = None, e5: dict[str, Any] | None = None):
        self.dense_weight = float(dense_weight)
        self.lexical = LexicalEncoder(**(lexical or {}))
        self.e5 = E5Encoder(**(e5 or {}))

    @property
    def dim(self) -> int:
        return self.lexical.dim + self.e5.dim

    def fit(self, texts: Sequence[str], langs: Sequence[str]) -> HybridEncoder:
        self.lexical.fit(texts, langs)
        return self

    def transform(self, texts: Sequence[str], langs: Sequence[str]) -> Any:
        from scipy.sparse import csr_matrix, hstack

        dense = self.e5.transform(texts, langs) * np.float32(self.dense_weight)
        return hstack([self.lexical.transform(texts, langs), csr_matrix(dense)], format="csr", dtype=np.float32)

    def get_config(self) -> dict[str, Any]:
        return {"dense_weight": self.dense_weight, "lexical": self.lexical.get_config(), "e5": self.e5.get_config()}

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        write_json(directory / "config.json", {"name": self.name, "dense_weight": self.dense_weight})
        self.lexical.save(directory / "lexical")
        self.e5.save(directory / "e5")

    @classmethod
    def load(cls, directory: Path) -> HybridEncoder:
        config = read_component_config(directory, cls.name, ["dense_weight"])
        enc = cls(dense_weight=config["dense_weight"])
        enc.lexical = LexicalEncoder.load(directory / "lexical")
        enc.e5 = E5Encoder.load(directory / "e5")
        return enc
