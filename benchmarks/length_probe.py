#!/usr/bin/env python3
"""Does a model judge a text by what it says or by how long it is? Scores models on the length probe.

    python benchmarks/length_probe.py [MODEL ...] [--json]

MODEL is a model directory or bundled name (default: the bundled default and lexical models). The probe
(`benchmarks/data/length_probe_{fi,en}.jsonl`) is a small labelled test set written for this project by
writers who never saw the training corpus: half short texts (1-10 words), half long ones (30-100 words),
with sentiment spread so that length does not predict it. It is never trained on. Prints macro-F1 per
language, length and group, and two figures for the length confound: recall of negative among short
texts and of positive among long texts.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "benchmarks" / "data"
LANGS = ("fi", "en")
LENGTHS = ("short", "long")


def read_probe() -> list[dict[str, Any]]:
    rows = []
    for lang in LANGS:
        with open(PROBE / f"length_probe_{lang}.jsonl", encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def recall(rows: list[dict[str, Any]], preds: list[Any], label: str) -> float:
    hits = [p.sentiment == label for r, p in zip(rows, preds) if r["sentiment"] == label]
    return sum(hits) / len(hits) if hits else float("nan")


def score(model: str | None, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Macro-F1 per (language, length) and group, and the two confound recalls, for one model."""
    import cxnlp
    from cxnlp.train.metrics import evaluate_predictions

    clf = cxnlp.load(model)
    preds = clf.predict([r["text"] for r in rows], ids=[r["id"] for r in rows])
    groups = clf.taxonomy_.group_names
    out: dict[str, Any] = {}
    for lang in LANGS:
        for length in LENGTHS:
            idx = [i for i, r in enumerate(rows) if r["lang"] == lang and r["length"] == length]
            sub, sub_preds = [rows[i] for i in idx], [preds[i] for i in idx]
            report = evaluate_predictions(clf.taxonomy_, {g: [r[g] for r in sub] for g in groups}, sub_preds,
                                          by_language=False)
            cell = {g: report.group(g).macro_f1 for g in groups}
            cell["n"] = len(sub)
            cell["recall_negative" if length == "short" else "recall_positive"] = recall(
                sub, sub_preds, "negative" if length == "short" else "positive")
            out[f"{lang}/{length}"] = cell
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=[None, "lexical"])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    rows = read_probe()
    results = {str(m or "default"): score(m, rows) for m in args.models}
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print(f"length probe: {len(rows)} texts "
          + ", ".join(f"{k} {v['n']}" for k, v in next(iter(results.values())).items()))
    print("| model | cell | sentiment | themes | drivers | confound recall |")
    print("|---|---|---|---|---|---|")
    for name, cells in results.items():
        for key, c in cells.items():
            conf = (f"negative {c['recall_negative']:.2f}" if "recall_negative" in c
                    else f"positive {c['recall_positive']:.2f}")
            print(f"| {name} | {key} | {c['sentiment']:.3f} | {c['themes']:.3f} | {c['drivers']:.3f} | {conf} |")


if __name__ == "__main__":
    main()
