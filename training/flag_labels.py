#!/usr/bin/env python3
"""Flag corpus items whose gold labels disagree with a confident cross-validated prediction.

    python training/flag_labels.py --out flagged.jsonl [--folds 5] [--confidence 0.85]

Each item is predicted by a model that never saw it (k-fold). An item is flagged when, for some group,
a single-label prediction other than gold has probability >= confidence, or a multi-label gold label
has probability <= 1 - confidence, or a non-gold label has probability >= confidence. Flagged items
go to review (training/apply_review.py applies the corrections).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from crossval import out_of_fold_predictions

from cxnlp.results import Prediction
from cxnlp.train.data import TrainingData, load_training_data

ROOT = Path(__file__).resolve().parent.parent


def flags_for(data: TrainingData, pred: Prediction, i: int, confidence: float) -> list[str]:
    reasons = []
    for g in data.taxonomy:
        p, gold = np.array([pred.scores[lab] for lab in g.label_names]), data.labels[g.name][i]
        if not g.is_multi:
            j = int(p.argmax())
            if g.label_names[j] != gold and p[j] >= confidence:
                reasons.append(f"{g.name}: gold {gold}, model {g.label_names[j]} ({p[j]:.2f})")
            continue
        for j, lab in enumerate(g.label_names):
            if lab in gold and p[j] <= 1 - confidence:
                reasons.append(f"{g.name}: gold has {lab}, model {p[j]:.2f}")
            elif lab not in gold and p[j] >= confidence:
                reasons.append(f"{g.name}: gold lacks {lab}, model {p[j]:.2f}")
    return reasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT / "training" / "data" / "corpus.jsonl"))
    parser.add_argument("--out", required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--confidence", type=float, default=0.85)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    data = load_training_data(args.corpus, id_col="id")
    preds = out_of_fold_predictions(data, args.folds, args.seed, cv_folds=3)
    records = {json.loads(line)["id"]: json.loads(line) for line in Path(args.corpus).read_text(encoding="utf-8").splitlines()}
    n = 0
    with open(args.out, "w", encoding="utf-8") as f:
        for i, item_id in enumerate(data.ids):
            reasons = flags_for(data, preds[i], i, args.confidence)
            if reasons:
                n += 1
                f.write(json.dumps({**records[item_id], "flags": reasons}, ensure_ascii=False) + "\n")
    print(f"flagged {n} of {len(data)} items ({n / len(data):.1%}) -> {args.out}")


if __name__ == "__main__":
    main()
