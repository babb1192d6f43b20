#!/usr/bin/env python3
"""Score models on the real-feedback dev set (../shared/eval/dev.jsonl) with its own scorer, in one table.

    python benchmarks/dev_scores.py [MODEL ...] [--dev PATH] [--json]

MODEL is a model directory or bundled name (default: the bundled default). The dev set stays outside
the repository; predictions are written to a temporary directory.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval"


def load_scorer(dev_dir: Path) -> Any:
    spec = importlib.util.spec_from_file_location("dev_score", dev_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_clf(clf: Any, dev_path: Path) -> dict[str, Any]:
    """The dev scorer's figures for a loaded classifier, plus expected calibration error per group."""
    from cxnlp.train.metrics import expected_calibration_error

    scorer = load_scorer(dev_path.parent)
    gold = scorer.read(dev_path)
    preds = clf.predict([g["text"] for g in gold], ids=[g["id"] for g in gold])
    res = scorer.score(gold, {str(p.id): p.to_dict() for p in preds})
    groups = {name: [g[name] for g in gold] for name in ("sentiment", "themes", "drivers")}
    res["ece"] = expected_calibration_error(clf.taxonomy_, groups, preds)
    return res


def score_model(model: str | None, dev_path: Path) -> dict[str, Any]:
    import cxnlp

    return score_clf(cxnlp.load(model), dev_path)


def row(name: str, res: dict[str, Any]) -> str:
    cells = []
    for lang in ("fi", "en", "all"):
        r = res[lang]
        cells += [r["sentiment"]["macro_f1"], r["themes"]["macro_f1"], r["drivers"]["macro_f1"]]
    return f"| {name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |"


HEADER = ("| model | fi sent | fi themes | fi drivers | en sent | en themes | en drivers | all sent | all themes | all drivers |\n"
          "|---|---|---|---|---|---|---|---|---|---|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=[None])
    parser.add_argument("--dev", default=str(DEV / "dev.jsonl"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {str(m or "default"): score_model(m, Path(args.dev)) for m in args.models}
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print("macro-F1 on the dev set (sentiment, themes, drivers)\n" + HEADER)
    for name, res in results.items():
        print(row(name, res))


if __name__ == "__main__":
    main()
