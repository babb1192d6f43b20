"""The bundled default model loads from the package and classifies."""

import pytest

import cxnlp
from cxnlp.persistence import bundled_models_dir, read_model_files


def test_default_model_loads_and_predicts():
    clf = cxnlp.load()
    assert clf.taxonomy_ == cxnlp.default_taxonomy()
    preds = clf.predict(["Jonotin 40 minuuttia ja virkailija oli tyly.", "Great app, paying took ten seconds!"])
    assert [p.lang for p in preds] == ["fi", "en"]
    assert all(p.status == "ok" for p in preds)


@pytest.mark.parametrize("name, encoder", [("default", "hybrid/1"), ("lexical", "lexical/1")])
def test_bundled_model_directories_are_valid_and_documented(name, encoder):
    directory = bundled_models_dir() / name
    meta, config, _ = read_model_files(directory)
    assert meta["cxnlp_version"] and config["encoder"] == encoder
    assert (directory / "metrics.json").is_file()
    card = (directory / "README.md").read_text(encoding="utf-8")
    assert "Training data" in card and "No real customer texts" in card and "dev set" in card


def test_fast_lexical_model_by_name():
    clf = cxnlp.load("lexical")
    assert clf.encoder_.name == "lexical/1"
    assert clf.predict("Kuski oli tyly").lang == "fi"
