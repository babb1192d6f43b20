"""Shared fixtures: one small model per test session, trained on a slice of the project's corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "training" / "data" / "corpus.jsonl"


def corpus_records(per_lang: int = 150) -> list[dict]:
    """The first ``per_lang`` items of each language from the bundled corpus (deterministic)."""
    out, seen = [], {"fi": 0, "en": 0}
    with open(CORPUS, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if seen[rec["lang"]] < per_lang:
                seen[rec["lang"]] += 1
                out.append(rec)
    return out


@pytest.fixture(scope="session")
def records() -> list[dict]:
    return corpus_records()


@pytest.fixture(scope="session")
def fitted(records):
    from cxnlp import FeedbackClassifier

    return FeedbackClassifier(cv_folds=3).fit(records)


@pytest.fixture(scope="session")
def saved_model(fitted, tmp_path_factory) -> Path:
    return fitted.save(tmp_path_factory.mktemp("model") / "m")


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path
