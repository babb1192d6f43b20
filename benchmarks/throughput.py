#!/usr/bin/env python3
"""Classify throughput and memory of `cxnlp classify` on a generated file.

    python benchmarks/throughput.py --rows 10000            # texts/s on a 10,000-row JSONL file
    python benchmarks/throughput.py --rows 1000000 --model default   # bounded memory on 1M rows

Rows are the project's corpus texts, cycled. Prints rows/s and the peak resident memory of the run.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    import cxnlp
    from cxnlp.batch import classify_file

    corpus = (ROOT / "training" / "data" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in corpus]
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            f.writelines(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(islice(cycle(texts), args.rows)))
        clf = cxnlp.load(args.model)
        clf.predict(texts[:50])  # warm-up: tokenizer and caches
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        summary = classify_file(clf, src, out)
        seconds = time.perf_counter() - start
        with open(out, encoding="utf-8") as f:
            n_out = sum(1 for _ in f)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows={summary.rows} out_rows={n_out} seconds={seconds:.1f} rows_per_s={summary.rows / seconds:.0f} "
          f"peak_rss_mb={peak:.0f} (before run {rss_before:.0f})")


if __name__ == "__main__":
    main()
