"""The bundled default model loads from the package and classifies."""

import cxnlp
from cxnlp.persistence import bundled_models_dir, read_model_files


def test_default_model_loads_and_predicts():
    clf = cxnlp.load()
    assert clf.taxonomy_ == cxnlp.default_taxonomy()
    preds = clf.predict(["Jonotin 40 minuuttia ja virkailija oli tyly.", "Great app, paying took ten seconds!"])
    assert [p.lang for p in preds] == ["fi", "en"]
    assert all(p.status == "ok" for p in preds)


def test_default_model_directory_is_valid_and_documented():
    directory = bundled_models_dir() / "default"
    meta, config, _ = read_model_files(directory)
    assert meta["cxnlp_version"] and config["encoder"] == "lexical/1"
    assert (directory / "metrics.json").is_file()
    card = (directory / "README.md").read_text(encoding="utf-8")
    assert "Training data" in card and "No real customer texts" in card
