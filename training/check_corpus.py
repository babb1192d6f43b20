#!/usr/bin/env python3
"""Checks of the training corpus against the targets of the corpus issue; prints its figures.

    python training/check_corpus.py [--corpus training/data/corpus.jsonl] [--dev ../shared/eval/dev.jsonl]

Exit status 1 when a hard check fails (invalid labels, dev-set overlap, size or balance targets).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+", re.UNICODE)
TARGETS = {"items": 4000, "per_lang": 1800, "theme": 450, "driver": 200, "positive": 0.20, "neutral": 0.10,
           "mixed": 0.10, "multi_theme": 0.25, "domains": 12, "dup_pairs": 0.01, "opening": 0.01}


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def near_duplicates(texts: list[str], threshold: float = 0.5) -> list[tuple[int, int, float]]:
    """Pairs whose word-5-gram sets have Jaccard > threshold; candidates come from a shared 5-gram."""
    grams = [ngrams(t, 5) for t in texts]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, g in enumerate(grams):
        for x in g:
            index[x].append(i)
    candidates = {pair for ids in index.values() if len(ids) < 200 for pair in combinations(ids, 2)}
    out = []
    for i, j in candidates:
        jac = len(grams[i] & grams[j]) / len(grams[i] | grams[j])
        if jac > threshold:
            out.append((i, j, jac))
    return sorted(out)


def dev_overlap(texts: list[str], dev_path: Path) -> list[tuple[int, str]]:
    """Corpus items sharing any 8-word sequence with the dev set."""
    dev = [json.loads(line)["text"] for line in dev_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev_grams = set().union(*(ngrams(t, 8) for t in dev))
    return [(i, t) for i, t in enumerate(texts) if ngrams(t, 8) & dev_grams]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT / "training" / "data" / "corpus.jsonl"))
    parser.add_argument("--dev", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    args = parser.parse_args()

    items = [json.loads(line) for line in Path(args.corpus).read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [it["text"] for it in items]
    failures: list[str] = []

    def check(ok: bool, line: str) -> None:
        print(("  ok   " if ok else "  FAIL ") + line)
        if not ok:
            failures.append(line)

    print(f"corpus: {args.corpus}")
    by_lang = defaultdict(list)
    for it in items:
        by_lang[it["lang"]].append(it)
    check(len(items) >= TARGETS["items"], f"items: {len(items)} (target >= {TARGETS['items']})")
    for lang, its in sorted(by_lang.items()):
        n = len(its)
        print(f"\n[{lang}] n={n}")
        check(n >= TARGETS["per_lang"], f"items: {n} (target >= {TARGETS['per_lang']})")
        sent = Counter(it["sentiment"] for it in its)
        print("  sentiment: " + ", ".join(f"{k} {v} ({v / n:.0%})" for k, v in sent.most_common()))
        for lab in ("positive", "neutral", "mixed"):
            check(sent[lab] / n >= TARGETS[lab], f"{lab}: {sent[lab] / n:.1%} (target >= {TARGETS[lab]:.0%})")
        themes = Counter(x for it in its for x in it["themes"])
        drivers = Counter(x for it in its for x in it["drivers"])
        for lab in ("efficiency", "ease", "emotion"):
            check(themes[lab] >= TARGETS["theme"], f"theme {lab}: {themes[lab]} (target >= {TARGETS['theme']})")
        for lab in ("staff_attitude", "unfriendly_service", "lack_of_trust", "lack_of_competence"):
            check(drivers[lab] >= TARGETS["driver"], f"driver {lab}: {drivers[lab]} (target >= {TARGETS['driver']})")
        multi = sum(len(it["themes"]) >= 2 for it in its) / n
        check(multi >= TARGETS["multi_theme"], f"two or more themes: {multi:.1%} (target >= {TARGETS['multi_theme']:.0%})")
        neg = [it for it in its if it["sentiment"] == "negative"]
        print(f"  negative without a driver: {sum(not it['drivers'] for it in neg)} of {len(neg)}")
        print(f"  no theme: {sum(not it['themes'] for it in its)}")
        domains = Counter(it.get("domain") for it in its)
        check(len(domains) >= TARGETS["domains"], f"domains: {len(domains)} (target >= {TARGETS['domains']})")
        print("  domains: " + ", ".join(f"{k} {v}" for k, v in sorted(domains.items())))
        print("  channels: " + ", ".join(f"{k} {v}" for k, v in Counter(it.get("channel") for it in its).most_common()))
        lengths = [len(t.split()) for t in (it["text"] for it in its)]
        med = statistics.median(lengths)
        check(15 <= med <= 35, f"length in words: min {min(lengths)}, median {med}, max {max(lengths)} (median 15-35)")
        print(f"  1-3 words: {sum(x <= 3 for x in lengths)}; over 80 words: {sum(x > 80 for x in lengths)}")
        parallel = sum(bool(it.get("parallel_of")) for it in its)
        check(parallel / n <= 0.15, f"parallel translations: {parallel} ({parallel / n:.1%}, at most 15%)")

    print("\n[all]")
    dups = near_duplicates(texts)
    check(len(dups) / len(items) < TARGETS["dup_pairs"],
          f"near-duplicate pairs (word-5-gram Jaccard > 0.5): {len(dups)} ({len(dups) / len(items):.2%} of items, target < 1%)")
    for i, j, jac in dups[:10]:
        print(f"      {items[i]['id']} ~ {items[j]['id']} ({jac:.2f})")
    openings = Counter(" ".join(words(t)[:3]) for t in texts if len(words(t)) >= 3)
    top, top_n = openings.most_common(1)[0]
    check(top_n / len(items) <= TARGETS["opening"],
          f"most common opening three words: {top!r} in {top_n} items ({top_n / len(items):.2%}, target <= 1%)")
    dev_path = Path(args.dev)
    if dev_path.is_file():
        hits = dev_overlap(texts, dev_path)
        check(not hits, f"items sharing an 8-word sequence with the dev set: {len(hits)} (target 0)")
        for i, _ in hits[:10]:
            print(f"      {items[i]['id']}")
    else:
        print(f"  skip dev-set overlap: {dev_path} not found")
    print(f"\n{len(failures)} check(s) failed" if failures else "\nall checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
