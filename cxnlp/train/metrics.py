"""Evaluation: per-label precision/recall/F1, macro and micro F1, accuracy for single-label groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from cxnlp.results import Prediction
from cxnlp.taxonomy import LabelGroup, Taxonomy


@dataclass(frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class GroupReport:
    """Scores of one label group. ``macro_f1`` averages labels with support; ``accuracy`` is for single-label
    groups, ``micro_f1`` for multi-label groups."""

    group: str
    kind: str
    labels: tuple[LabelScore, ...]
    macro_f1: float
    micro_f1: float | None = None
    accuracy: float | None = None


@dataclass(frozen=True)
class EvaluationReport:
    n: int
    groups: tuple[GroupReport, ...]
    by_language: dict[str, EvaluationReport] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"n": self.n, "groups": {g.group: asdict(g) for g in self.groups}}
        for g in out["groups"].values():
            g["labels"] = {s["label"]: {k: v for k, v in s.items() if k != "label"} for s in g["labels"]}
        if self.by_language:
            out["by_language"] = {k: v.to_dict() for k, v in self.by_language.items()}
        return out

    def group(self, name: str) -> GroupReport:
        return next(g for g in self.groups if g.group == name)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _group_report(g: LabelGroup, gold: Sequence[Any], pred: Sequence[Any]) -> GroupReport:
    as_set = (lambda v: set(v or ())) if g.is_multi else (lambda v: {v} if v is not None else set())
    G, P = [as_set(v) for v in gold], [as_set(v) for v in pred]
    scores, TP, FP, FN = [], 0, 0, 0
    for lab in g.label_names:
        tp = sum(lab in a and lab in b for a, b in zip(G, P))
        fp = sum(lab not in a and lab in b for a, b in zip(G, P))
        fn = sum(lab in a and lab not in b for a, b in zip(G, P))
        scores.append(LabelScore(lab, *(round(x, 4) for x in _prf(tp, fp, fn)), support=tp + fn))
        TP, FP, FN = TP + tp, FP + fp, FN + fn
    supported = [s.f1 for s in scores if s.support > 0]
    macro = round(sum(supported) / len(supported), 4) if supported else 0.0
    if g.is_multi:
        return GroupReport(g.name, g.kind, tuple(scores), macro, micro_f1=round(_prf(TP, FP, FN)[2], 4))
    acc = sum(a == b for a, b in zip(G, P)) / max(len(G), 1)
    return GroupReport(g.name, g.kind, tuple(scores), macro, accuracy=round(acc, 4))


def evaluate_predictions(taxonomy: Taxonomy, gold: dict[str, Sequence[Any]], preds: Sequence[Prediction],
                         by_language: bool = True) -> EvaluationReport:
    """Compare predictions with gold labels (``gold[group][i]``), overall and per detected language."""
    groups = tuple(_group_report(g, gold[g.name], [p.labels.get(g.name) for p in preds]) for g in taxonomy)
    langs = None
    if by_language:
        langs = {}
        for lang in sorted({p.lang for p in preds if p.lang}):
            idx = [i for i, p in enumerate(preds) if p.lang == lang]
            sub_gold = {k: [v[i] for i in idx] for k, v in gold.items()}
            langs[lang] = evaluate_predictions(taxonomy, sub_gold, [preds[i] for i in idx], by_language=False)
    return EvaluationReport(len(preds), groups, langs)


def format_report(report: EvaluationReport) -> str:
    """A plain-text table: one line per label, then the group's averages."""
    lines = [f"{'group':<12} {'label':<22} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
    for g in report.groups:
        for s in g.labels:
            lines.append(f"{g.group:<12} {s.label:<22} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.support:>8}")
        extra = f"accuracy {g.accuracy:.3f}" if g.accuracy is not None else f"micro-F1 {g.micro_f1:.3f}"
        lines.append(f"{g.group:<12} {'= macro-F1 ' + format(g.macro_f1, '.3f'):<22} {extra}")
    lines.append(f"n = {report.n}")
    if report.by_language:
        parts = []
        for lang, r in report.by_language.items():
            parts.append(f"{lang} (n={r.n}): " + ", ".join(f"{g.group} macro-F1 {g.macro_f1:.3f}" for g in r.groups))
        lines.append("by detected language: " + "; ".join(parts))
    return "\n".join(lines)


def expected_calibration_error(taxonomy: Taxonomy, gold: dict[str, Sequence[Any]], preds: Sequence[Prediction],
                               bins: int = 10) -> dict[str, float]:
    """ECE per group: for single-label groups the top probability against accuracy; for multi-label groups
    every label's probability against whether the label is present. Empty predictions are skipped."""
    import numpy as np

    out = {}
    for g in taxonomy:
        conf, hit = [], []
        for value, p in zip(gold[g.name], preds):
            if p.is_empty:
                continue
            if g.is_multi:
                for lab in g.label_names:
                    conf.append(p.scores[lab])
                    hit.append(lab in (value or ()))
            else:
                best = max(g.label_names, key=lambda lab: p.scores[lab])
                conf.append(p.scores[best])
                hit.append(best == value)
        c, h = np.asarray(conf), np.asarray(hit, dtype=float)
        edges = np.minimum((c * bins).astype(int), bins - 1)
        out[g.name] = round(float(sum(abs(c[edges == b].mean() - h[edges == b].mean()) * (edges == b).sum()
                                      for b in range(bins) if (edges == b).any()) / max(len(c), 1)), 4)
    return out
