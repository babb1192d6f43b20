#!/usr/bin/env python3
"""Reproduce the bundled default model (models/default) from the project's corpus.

    python training/build_corpus.py      # merge corpus slices into training/data/corpus.jsonl
    python training/train_default.py     # evaluate on a held-out 20 %, refit on all, write models/default

The held-out split is of the project's own (synthetic) corpus: it measures fit to that corpus, not
accuracy on real customer text. Real-text scores come from ../shared/eval (see README).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cxnlp.train.data import load_training_data
from cxnlp.train.metrics import format_report
from cxnlp.train.run import train

ROOT = Path(__file__).resolve().parent.parent
NOTES = """## Training data

Trained on `training/data/corpus.jsonl`: Finnish and English customer-feedback texts written for
cxnlp by the project (LLM-assisted authoring, labelled per the cxnlp label guide v1.1), across
12 service domains and 6 channels. No real customer texts are included. The held-out scores above are
on the same synthetic corpus and overstate accuracy on real feedback; see the README for scores on
real texts. Datasheet: `training/data/README.md` in the source repository.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT / "training" / "data" / "corpus.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "models" / "default"))
    parser.add_argument("--eval-split", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    data = load_training_data(args.data, id_col="id")
    _, report = train(data, args.out, eval_split=args.eval_split, seed=args.seed, refit_full=True)
    if report is not None:
        print(format_report(report))
    card = Path(args.out) / "README.md"
    card.write_text(card.read_text(encoding="utf-8") + "\n" + NOTES, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
