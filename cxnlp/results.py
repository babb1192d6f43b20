"""Typed results of classification."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STATUS_OK = "ok"
STATUS_EMPTY = "empty"


@dataclass(frozen=True)
class Prediction:
    """The classification of one text.

    ``labels`` maps each label group to its decision: a label name for single-label groups (``None``
    for an empty text), a tuple of names for multi-label groups. Groups are also attributes:
    ``pred.sentiment``, ``pred.themes``, ``pred.drivers`` for the default taxonomy. ``scores`` maps
    every label to its probability. ``status`` is ``"empty"`` when the text had nothing to classify.
    """

    lang: str | None
    labels: Mapping[str, Any]
    scores: Mapping[str, float]
    status: str = STATUS_OK
    id: Any = field(default=None, compare=False)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "labels":
            raise AttributeError(name)
        try:
            return self.labels[name]
        except KeyError:
            raise AttributeError(f"Prediction has no label group {name!r}; groups: {list(self.labels)}") from None

    @property
    def is_empty(self) -> bool:
        return self.status == STATUS_EMPTY

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``lang``, ``status``, one key per group (lists for multi-label), ``scores``."""
        out: dict[str, Any] = {} if self.id is None else {"id": self.id}
        out["lang"] = self.lang
        out["status"] = self.status
        for group, value in self.labels.items():
            out[group] = list(value) if isinstance(value, tuple) else value
        out["scores"] = {k: round(float(v), 4) for k, v in self.scores.items()}
        return out
