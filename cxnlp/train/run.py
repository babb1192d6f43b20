"""Train-and-evaluate workflows shared by the CLI, the Python API and ``training/`` scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.classifier import FeedbackClassifier
from cxnlp.errors import DataError
from cxnlp.train.data import TrainingData
from cxnlp.train.metrics import EvaluationReport, evaluate_predictions


def split(data: TrainingData, eval_fraction: float, seed: int) -> tuple[TrainingData, TrainingData]:
    """Held-out split, stratified on the first single-label group when every class has 2+ rows."""
    from sklearn.model_selection import train_test_split

    if not 0.0 < eval_fraction < 1.0:
        raise DataError(f"--eval-split must be between 0 and 1 (exclusive), found {eval_fraction}")
    n = len(data)
    n_eval = round(n * eval_fraction)
    if n_eval < 1 or n - n_eval < 2:
        raise DataError(f"{n} rows are too few for an eval split of {eval_fraction}")
    strat = None
    single = [g for g in data.taxonomy if not g.is_multi]
    if single:
        y = np.array(data.labels[single[0].name])
        _, counts = np.unique(y, return_counts=True)
        if counts.min() >= 2 and n_eval >= len(counts):
            strat = y
    tr, te = train_test_split(np.arange(n), test_size=n_eval, random_state=seed, stratify=strat)
    return data.subset(sorted(tr)), data.subset(sorted(te))


def evaluate(clf: FeedbackClassifier, data: TrainingData) -> EvaluationReport:
    """Score a fitted classifier on labelled data (its taxonomy must cover the data's groups)."""
    missing = [g for g in data.taxonomy.group_names if g not in clf.taxonomy_.group_names]
    if missing:
        raise DataError(f"the model does not predict groups {missing}; it predicts {clf.taxonomy_.group_names}")
    preds = clf.predict(data.texts)
    return evaluate_predictions(data.taxonomy, data.labels, preds)


def train(data: TrainingData, out: str | Path | None, *, eval_split: float = 0.2, seed: int = 0,
          refit_full: bool = False, **classifier_options: Any) -> tuple[FeedbackClassifier, EvaluationReport | None]:
    """Fit on a training split, evaluate on the held-out split, save to ``out`` with metrics and a model card.

    ``eval_split=0`` fits on all rows and reports no metrics. ``refit_full`` evaluates on the split, then
    refits on all rows for the saved model (its metrics describe the split fit, and say so).
    """
    if eval_split:
        train_data, eval_data = split(data, eval_split, seed)
    else:
        train_data, eval_data = data, None
    clf = FeedbackClassifier(taxonomy=data.taxonomy, seed=seed, **classifier_options).fit(train_data)
    report = evaluate(clf, eval_data) if eval_data is not None else None
    if report is not None:
        metrics = {"split": {"eval_fraction": eval_split, "seed": seed, "n_train": len(train_data),
                             "n_eval": len(eval_data), "refit_on_all_rows": refit_full}, "held_out": report.to_dict()}
        if refit_full:
            clf = FeedbackClassifier(taxonomy=data.taxonomy, seed=seed, **classifier_options).fit(data)
        clf.metrics_ = metrics
    if out is not None:
        clf.save(out)
    return clf, report
