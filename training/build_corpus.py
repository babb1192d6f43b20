#!/usr/bin/env python3
"""Merge the corpus slices written for the project (training/data/raw/*.jsonl) into training/data/corpus.jsonl.

Every item is validated against the default taxonomy (the same validation `cxnlp train` applies);
items are ordered by language, then id. Usage: python training/build_corpus.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from cxnlp.train.data import records_to_training_data

HERE = Path(__file__).resolve().parent
RAW = HERE / "data" / "raw"
OUT = HERE / "data" / "corpus.jsonl"
FIELDS = ("id", "lang", "text", "sentiment", "themes", "drivers", "domain", "channel")


def main() -> None:
    records = []
    for path in sorted(RAW.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line))
    records_to_training_data(records, id_col="id")  # raises on any invalid row
    dupes = [i for i, c in Counter(r["id"] for r in records).items() if c > 1]
    if dupes:
        raise SystemExit(f"duplicate ids: {sorted(dupes)[:10]}")
    records.sort(key=lambda r: (r["lang"], r["id"]))
    with open(OUT, "w", encoding="utf-8") as f:
        f.writelines(json.dumps({k: r[k] for k in FIELDS if k in r}, ensure_ascii=False) + "\n" for r in records)
    print(f"wrote {len(records)} items to {OUT.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
