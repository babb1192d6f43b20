#!/usr/bin/env python3
"""Build training/data/corpus.jsonl: merge the slices as written (training/data/raw/*.jsonl), then apply
the label-review decisions (training/data/review/*.jsonl), validating every item.

    python training/build_corpus.py

A review line is {"id": ..., "decision": "keep"|"fix", "sentiment": ..., "themes": [...], "drivers": [...],
"note": "..."}; for "fix" the three label fields replace the item's labels. Prints how many changed.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from cxnlp.taxonomy import Taxonomy, default_taxonomy
from cxnlp.train.data import records_to_training_data

DATA = Path(__file__).resolve().parent / "data"
FIELDS = ("id", "lang", "text", "sentiment", "themes", "drivers", "domain", "channel")
GROUPS = ("sentiment", "themes", "drivers")


def read_jsonl(paths: list[Path]) -> list[dict[str, Any]]:
    return [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def _canon(taxonomy: Taxonomy, group: str, value: Any) -> Any:
    return sorted(value) if taxonomy[group].is_multi else value


def apply_reviews(records: list[dict[str, Any]], decisions: dict[str, dict[str, Any]], taxonomy: Taxonomy) -> Counter:
    """Replace labels of items reviewed as "fix"; count changed items and changed groups."""
    changed: Counter[str] = Counter()
    for item in records:
        d = decisions.get(item["id"])
        if not d or d.get("decision") != "fix":
            continue
        diff = [g for g in GROUPS if _canon(taxonomy, g, d[g]) != _canon(taxonomy, g, item[g])]
        if diff:
            changed["items"] += 1
            changed.update(diff)
            item.update({g: d[g] for g in GROUPS})
    return changed


def main() -> None:
    taxonomy = default_taxonomy()
    records = read_jsonl(sorted((DATA / "raw").glob("*.jsonl")))
    dupes = [i for i, c in Counter(r["id"] for r in records).items() if c > 1]
    if dupes:
        raise SystemExit(f"duplicate ids: {sorted(dupes)[:10]}")
    decisions = {d["id"]: d for d in read_jsonl(sorted((DATA / "review").glob("*.jsonl")))}
    unknown = set(decisions) - {r["id"] for r in records}
    if unknown:
        raise SystemExit(f"review decisions for unknown ids: {sorted(unknown)[:10]}")
    changed = apply_reviews(records, decisions, taxonomy)
    records_to_training_data(records, id_col="id", taxonomy=taxonomy)  # raises on any invalid item
    records.sort(key=lambda r: (r["lang"], r["id"]))
    with open(DATA / "corpus.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps({k: r[k] for k in FIELDS if k in r}, ensure_ascii=False) + "\n" for r in records)
    print(f"wrote {len(records)} items to training/data/corpus.jsonl; reviewed {len(decisions)}, "
          f"changed {changed['items']} ({', '.join(f'{g} {changed[g]}' for g in GROUPS)})")


if __name__ == "__main__":
    main()
