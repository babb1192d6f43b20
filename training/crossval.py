#!/usr/bin/env python3
"""Cross-validated scores of the default recipe on the project's corpus, per language and group.

    python training/crossval.py [--folds 5] [--json]

Every item is predicted by a model that never saw it. Compare with the dev-set scores of real
feedback: the distance between the two says how well the corpus generalises.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from cxnlp.classifier import FeedbackClassifier
from cxnlp.results import Prediction
from cxnlp.train.data import TrainingData, load_training_data
from cxnlp.train.metrics import evaluate_predictions

ROOT = Path(__file__).resolve().parent.parent


def out_of_fold_predictions(data: TrainingData, folds: int = 5, seed: int = 0, **options) -> list[Prediction]:
    from sklearn.model_selection import KFold

    preds: list[Prediction | None] = [None] * len(data)
    splits = KFold(folds, shuffle=True, random_state=seed).split(np.arange(len(data)))
    for k, (tr, te) in enumerate(splits, 1):
        clf = FeedbackClassifier(taxonomy=data.taxonomy, seed=seed, **options).fit(data.subset(tr))
        for i, p in zip(te, clf.predict([data.texts[i] for i in te])):
            preds[i] = p
        print(f"fold {k}/{folds} done", flush=True)
    return preds  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT / "training" / "data" / "corpus.jsonl"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    data = load_training_data(args.corpus, id_col="id")
    langs = [json.loads(line)["lang"] for line in Path(args.corpus).read_text(encoding="utf-8").splitlines()]
    preds = out_of_fold_predictions(data, args.folds, args.seed)
    out = {}
    for lang in ("fi", "en", "all"):
        idx = [i for i, g in enumerate(langs) if lang == "all" or g == lang]
        gold = {g: [v[i] for i in idx] for g, v in data.labels.items()}
        rep = evaluate_predictions(data.taxonomy, gold, [preds[i] for i in idx], by_language=False)
        out[lang] = {g.group: {"macro_f1": g.macro_f1, **({"accuracy": g.accuracy} if g.accuracy is not None else
                                                          {"micro_f1": g.micro_f1})} for g in rep.groups}
        out[lang]["n"] = len(idx)
    if args.json:
        print(json.dumps(out, indent=1))
        return
    for lang, r in out.items():
        print(f"[{lang}] n={r['n']}  sentiment acc={r['sentiment']['accuracy']:.3f} macroF1={r['sentiment']['macro_f1']:.3f}"
              f"  themes macroF1={r['themes']['macro_f1']:.3f}  drivers macroF1={r['drivers']['macro_f1']:.3f}")


if __name__ == "__main__":
    main()
