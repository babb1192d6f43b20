"""Linear heads, one per label group: softmax for single-label groups, one-vs-rest sigmoids with a tuned
decision threshold per label for multi-label groups."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.artifacts import check_shape, read_arrays, read_json, write_arrays, write_json
from cxnlp.errors import ModelFormatError
from cxnlp.taxonomy import LabelGroup, Taxonomy

THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
MIN_EXAMPLES = 5
CONSTANT_LOGIT = 30.0


@dataclass
class GroupHead:
    """Weights ``W`` (dim, k), bias ``b`` (k,) and, for multi-label groups, thresholds (k,)."""

    group: LabelGroup
    W: np.ndarray
    b: np.ndarray
    thresholds: np.ndarray

    def proba(self, X: Any) -> np.ndarray:
        z = np.asarray(X @ self.W, dtype=np.float64) + self.b
        if self.group.is_multi:
            return 1.0 / (1.0 + np.exp(-z))
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def decide(self, proba: np.ndarray) -> list[Any]:
        """Labels per row: a label name (single) or a tuple of names (multi)."""
        names = self.group.label_names
        if self.group.is_multi:
            hits = proba >= self.thresholds
            return [tuple(names[j] for j in np.flatnonzero(row)) for row in hits]
        return [names[j] for j in proba.argmax(axis=1)]


class LinearHeads:
    """All group heads of a model, in taxonomy order."""

    def __init__(self, heads: Mapping[str, GroupHead]):
        self.heads = dict(heads)

    def predict_proba(self, X: Any) -> dict[str, np.ndarray]:
        return {name: head.proba(X) for name, head in self.heads.items()}

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for name, h in self.heads.items():
            arrays.update({f"{name}.W": h.W, f"{name}.b": h.b, f"{name}.thresholds": h.thresholds})
        write_arrays(directory / "weights.npz", arrays)
        write_json(directory / "config.json", {
            "kind": "linear/1",
            "thresholds": {n: dict(zip(h.group.label_names, map(float, h.thresholds))) for n, h in self.heads.items()},
        })

    @classmethod
    def load(cls, directory: Path, taxonomy: Taxonomy, dim: int) -> LinearHeads:
        config = read_json(directory / "config.json", ["kind"])
        if config["kind"] != "linear/1":
            raise ModelFormatError(f"{directory}: head kind {config['kind']!r} is not supported; expected 'linear/1'")
        path = directory / "weights.npz"
        keys = [f"{g.name}.{part}" for g in taxonomy for part in ("W", "b", "thresholds")]
        arrays = read_arrays(path, keys)
        heads = {}
        for g in taxonomy:
            k = len(g.labels)
            for part, shape in (("W", (dim, k)), ("b", (k,)), ("thresholds", (k,))):
                check_shape(path, f"{g.name}.{part}", arrays[f"{g.name}.{part}"], shape)
            heads[g.name] = GroupHead(g, arrays[f"{g.name}.W"].astype(np.float32), arrays[f"{g.name}.b"].astype(np.float64),
                                      arrays[f"{g.name}.thresholds"].astype(np.float64))
        return cls(heads)


# -- fitting (scikit-learn is imported only here) ----------------------------------------------
def _support_warnings(group: LabelGroup, Y: np.ndarray) -> None:
    """Warn about labels too rare to learn."""
    counts = Y.sum(axis=0) if group.is_multi else np.bincount(Y, minlength=len(group.labels))
    for name, c in zip(group.label_names, counts):
        if c < MIN_EXAMPLES:
            warnings.warn(
                f"label {name!r} of group {group.name!r} has {int(c)} training examples"
                + ("; it will never be predicted" if c == 0 else "; its predictions will be unreliable")
                + ". Fix: add examples, or drop the label from your taxonomy.", stacklevel=4)


def _fit_binary(X: Any, y: np.ndarray, C: float, seed: int, class_weight: str | None) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():  # a label never (or always) present: a constant head
        return np.zeros(X.shape[1], np.float32), (CONSTANT_LOGIT if y[0] else -CONSTANT_LOGIT)
    m = LogisticRegression(C=C, class_weight=class_weight, solver="liblinear", max_iter=1000, random_state=seed)
    m.fit(X, y)
    return m.coef_[0].astype(np.float32), float(m.intercept_[0])


def _fit_one(group: LabelGroup, X: Any, Y: np.ndarray, C: float, seed: int,
             class_weight: str | None) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    k = len(group.labels)
    W, b = np.zeros((X.shape[1], k), np.float32), np.full(k, -CONSTANT_LOGIT)
    if group.is_multi:
        for j in range(k):
            W[:, j], b[j] = _fit_binary(X, Y[:, j], C, seed, class_weight)
        return W, b
    present = np.unique(Y)
    if len(present) == 1:
        b[present[0]] = CONSTANT_LOGIT
        return W, b
    m = LogisticRegression(C=C, class_weight=class_weight, max_iter=2000, random_state=seed)
    m.fit(X, Y)
    if len(present) == 2:  # scikit-learn fits one logit for two classes
        W[:, present[1]], b[present[0]], b[present[1]] = m.coef_[0], 0.0, m.intercept_[0]
    else:
        W[:, present], b[present] = m.coef_.T, m.intercept_
    return W, b


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The grid threshold with the best F1 on held-out probabilities (ties: closest to 0.5)."""
    pos = y.astype(bool)
    best, best_f1 = 0.5, -1.0
    for t in sorted(THRESHOLD_GRID, key=lambda t: abs(t - 0.5)):
        pred = p >= t
        tp = np.sum(pred & pos)
        f1 = 2 * tp / (pred.sum() + pos.sum()) if pred.sum() + pos.sum() else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(t), f1
    return best


def fit_heads(X: Any, targets: Mapping[str, np.ndarray], taxonomy: Taxonomy, *, C: float = 4.0,
              cv_folds: int = 5, seed: int = 0, class_weight: str | None = None) -> LinearHeads:
    """Fit one head per group; thresholds of multi-label groups come from ``cv_folds``-fold out-of-fold
    probabilities, so they are never tuned on the rows they are fitted on.

    ``class_weight=None`` keeps the training data's label priors (the tuned thresholds already handle
    rare multi-label labels); ``"balanced"`` reweights classes, which helps a single-label group whose
    rare class would otherwise never win."""
    if class_weight not in (None, "balanced"):
        raise ValueError(f"class_weight must be None or 'balanced', found {class_weight!r}")
    from sklearn.model_selection import KFold

    heads = {}
    for g in taxonomy:
        Y = targets[g.name]
        _support_warnings(g, Y)
        W, b = _fit_one(g, X, Y, C, seed, class_weight)
        thresholds = np.full(len(g.labels), 0.5)
        if g.is_multi and cv_folds >= 2 and X.shape[0] >= 4 * cv_folds:
            oof = np.zeros(Y.shape, dtype=np.float64)
            for tr, te in KFold(cv_folds, shuffle=True, random_state=seed).split(np.arange(X.shape[0])):
                Wf, bf = _fit_one(g, X[tr], Y[tr], C, seed, class_weight)
                oof[te] = GroupHead(g, Wf, bf, thresholds).proba(X[te])
            thresholds = np.array([best_threshold(oof[:, j], Y[:, j]) for j in range(Y.shape[1])])
        heads[g.name] = GroupHead(g, W, b, thresholds)
    return LinearHeads(heads)
