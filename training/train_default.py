#!/usr/bin/env python3
"""Reproduce the bundled default model (models/default) from the project's corpus.

    python training/build_corpus.py      # merge corpus slices into training/data/corpus.jsonl
    python training/train_default.py     # evaluate on a held-out 20 %, refit on all, write models/default

The held-out split is of the project's own (synthetic) corpus: it measures fit to that corpus, not
accuracy on real customer text. Real-text scores come from ../shared/eval (see README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cxnlp.cli.train import _encoder_options, _layers
from cxnlp.encoders.e5 import RUNTIMES
from cxnlp.train.data import load_training_data
from cxnlp.train.metrics import format_report
from cxnlp.train.run import train

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
NOTES = """## Training data

Trained on `training/data/corpus.jsonl`: Finnish and English customer-feedback texts written for
cxnlp by the project (LLM-assisted authoring, labelled per the cxnlp label guide v1.1), across
12 service domains and 9 channels. No real customer texts are included. The held-out scores above are
on the same synthetic corpus and overstate accuracy on real feedback; see the README for scores on
real texts. Datasheet: `training/data/README.md` in the source repository.
"""


def dev_section(model_dir: Path) -> str:
    """Scores on the real-feedback dev set (outside the repository), when it is there."""
    if not DEV.is_file():
        return "\n(The dev set was not available when this model was trained: no real-text scores.)\n"
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from dev_scores import score_model

    res = score_model(str(model_dir), DEV)
    rows = ["| language | n | sentiment macro-F1 | themes macro-F1 | drivers macro-F1 |", "|---|---|---|---|---|"]
    for lang in ("fi", "en"):
        r = res[lang]
        rows.append(f"| {lang} | {r['n']} | {r['sentiment']['macro_f1']:.3f} | {r['themes']['macro_f1']:.3f} | "
                    f"{r['drivers']['macro_f1']:.3f} |")
    ece = ", ".join(f"{g} {v:.3f}" for g, v in res["ece"].items())
    return ("\n## Scores on real feedback (dev set)\n\nA labelled dev set of 350 real Finnish and English texts "
            "(forum posts, tweets, reviews; kept outside the repository, never trained on), scored with its own "
            "scorer:\n\n" + "\n".join(rows) + f"\n\nExpected calibration error: {ece}.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT / "training" / "data" / "corpus.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "models" / "default"))
    parser.add_argument("--eval-split", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--encoder", default="hybrid", help="chosen by benchmarks/compare.py (see benchmarks/RESULTS.md)")
    parser.add_argument("--e5-runtime", default="onnx-fp32", choices=RUNTIMES,
                        help="e5 engine of e5/hybrid encoders, chosen by benchmarks/compare.py")
    parser.add_argument("--e5-layers", default="6,12", help="comma-separated e5 layers to pool (12 = last)")
    args = parser.parse_args()

    data = load_training_data(args.data, id_col="id")
    encoder, options = _encoder_options("linear", args.encoder, None, "", e5_runtime=args.e5_runtime,
                                        e5_layers=_layers(args.e5_layers))
    _, report = train(data, args.out, eval_split=args.eval_split, seed=args.seed, refit_full=True, encoder=encoder,
                      encoder_options=options)
    if report is not None:
        print(format_report(report))
    card = Path(args.out) / "README.md"
    card.write_text(card.read_text(encoding="utf-8") + "\n" + NOTES + dev_section(Path(args.out)), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
