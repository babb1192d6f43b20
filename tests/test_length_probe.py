"""The length probe (benchmarks/data): valid labelled data, independent of the training corpus, and a
bundled default that judges short and long texts by what they say."""

from __future__ import annotations

import importlib.util
import json

import pytest

from cxnlp.train.data import load_training_data
from tests.conftest import CORPUS, ROOT

PROBE_DIR = ROOT / "benchmarks" / "data"


def _script(path: str):
    spec = importlib.util.spec_from_file_location(path.replace("/", "_")[:-3], ROOT / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _probe_module():
    return _script("benchmarks/length_probe.py")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_probe_files_are_valid_labelled_data(lang):
    path = PROBE_DIR / f"length_probe_{lang}.jsonl"
    data = load_training_data(path)  # validates every label against the default taxonomy
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(data) == len(rows) == 120
    assert {r["lang"] for r in rows} == {lang}
    for length in ("short", "long"):
        assert sum(r["length"] == length for r in rows) == 60
    for r in rows:
        n = len(r["text"].split())
        assert (n <= 10) if r["length"] == "short" else (n >= 25), r["id"]


def test_probe_shares_no_text_with_the_training_corpus():
    checks = _script("training/check_corpus.py")  # the corpus's own dev-set overlap check, pointed at the probe
    corpus = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    seen = {" ".join(checks.words(t)) for t in corpus}
    assert [r["id"] for r in _probe_module().read_probe() if " ".join(checks.words(r["text"])) in seen] == []
    for lang in ("fi", "en"):
        assert checks.dev_overlap(corpus, PROBE_DIR / f"length_probe_{lang}.jsonl") == []


def test_default_model_does_not_judge_sentiment_by_length():
    cells = _probe_module().score(None, _probe_module().read_probe())
    assert set(cells) == {"fi/short", "fi/long", "en/short", "en/long"}
    for key, c in cells.items():
        assert c["n"] == 60
        # the 0.1 corpus taught "short = positive": short negatives and long positives were the casualties
        assert c["sentiment"] >= 0.85, (key, c)
        assert c.get("recall_negative", c.get("recall_positive")) >= 0.85, (key, c)
