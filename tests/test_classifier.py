import json

import numpy as np
import pytest

import cxnlp
from cxnlp import FeedbackClassifier, ModelFormatError, NotFittedError, Prediction


def test_predict_single_and_batch(fitted):
    one = fitted.predict("Kuljettaja oli todella tyly ja paketti myöhässä.")
    assert isinstance(one, Prediction)
    assert one.lang == "fi" and one.sentiment in {"positive", "neutral", "negative", "mixed"}
    assert isinstance(one.themes, tuple) and isinstance(one.drivers, tuple)
    assert set(one.scores) == set(fitted.label_names)
    many = fitted.predict(["Great app!", "", "Missä paketti?"], ids=["a", "b", "c"])
    assert [p.id for p in many] == ["a", "b", "c"]
    assert many[1].status == "empty" and many[1].sentiment is None and many[1].themes == () and many[1].scores == {}
    d = many[0].to_dict()
    assert d["id"] == "a" and isinstance(d["themes"], list) and json.dumps(d)


def test_predict_proba_shape_and_normalisation(fitted):
    P = fitted.predict_proba(["Hyvä palvelu", "awful", "   "])
    assert P.shape == (3, 11)
    assert np.allclose(P[:2, :4].sum(axis=1), 1.0)
    assert np.isnan(P[2]).all()


def test_bad_input_type_names_the_row(fitted):
    with pytest.raises(cxnlp.DataError, match=r"row 2, field 'text': expected a string, found int"):
        fitted.predict(["ok", 42])
    assert fitted.predict([None])[0].status == "empty"


def test_unfitted_raises():
    with pytest.raises(NotFittedError):
        FeedbackClassifier().predict("x")


def test_save_load_identical_predictions(fitted, saved_model, records):
    texts = [r["text"] for r in records[:60]] + ["", "👍"]
    loaded = cxnlp.load(saved_model)
    assert np.array_equal(np.nan_to_num(fitted.predict_proba(texts), nan=-1), np.nan_to_num(loaded.predict_proba(texts), nan=-1))
    assert [p.to_dict() for p in fitted.predict(texts)] == [p.to_dict() for p in loaded.predict(texts)]
    files = {p.name for p in saved_model.rglob("*") if p.is_file()}
    assert {"meta.json", "config.json", "taxonomy.json", "weights.npz", "idf.npz", "vocab.json", "README.md"} <= files
    assert not [p for p in saved_model.rglob("*") if p.suffix in {".pkl", ".pickle", ".joblib"}]


def test_overfits_a_small_set():
    """Train on a handful of texts; it must reproduce their labels (the learning path works end to end)."""
    rows = [
        {"text": "Kuljettaja huusi minulle ja oli tosi tyly", "sentiment": "negative", "themes": ["emotion"], "drivers": ["unfriendly_service"]},
        {"text": "The agent yelled at me and was so rude", "sentiment": "negative", "themes": ["emotion"], "drivers": ["unfriendly_service"]},
        {"text": "Nopea toimitus, kiitos!", "sentiment": "positive", "themes": ["efficiency"], "drivers": []},
        {"text": "Fast delivery, thanks!", "sentiment": "positive", "themes": ["efficiency"], "drivers": []},
        {"text": "Missä tilaukseni on?", "sentiment": "neutral", "themes": [], "drivers": []},
        {"text": "Where is my order?", "sentiment": "neutral", "themes": [], "drivers": []},
        {"text": "Ruoka hyvää mutta lasku täynnä piilomaksuja", "sentiment": "mixed", "themes": ["ease"], "drivers": ["lack_of_trust"]},
        {"text": "Food great but the bill was full of hidden fees", "sentiment": "mixed", "themes": ["ease"], "drivers": ["lack_of_trust"]},
    ] * 3
    clf = FeedbackClassifier(C=100.0, cv_folds=0, encoder_options={"min_df": 1}).fit(rows)
    for r in rows[:8]:
        p = clf.predict(r["text"])
        assert (p.sentiment, set(p.drivers)) == (r["sentiment"], set(r["drivers"])), r["text"]


def test_own_taxonomy_end_to_end(tmp_path):
    rows = [{"text": t, "urgency": u} for t, u in [
        ("Server down, customers cannot pay!!", "high"), ("Kassajärjestelmä kaatui, kukaan ei pääse maksamaan", "high"),
        ("Could you change my invoice address some day", "low"), ("Voisitteko joskus vaihtaa laskutusosoitteen", "low"),
    ] * 4]
    from cxnlp.train.data import as_training_data

    clf = FeedbackClassifier(cv_folds=0, encoder_options={"min_df": 1}).fit(as_training_data(rows, label_cols=["urgency"]))
    loaded = cxnlp.load(clf.save(tmp_path / "own"))
    assert loaded.taxonomy_.group_names == ["urgency"]
    assert loaded.predict("Payment system down, nobody can pay").urgency == "high"


def _corrupt(saved_model, tmp_path, mutate):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(saved_model, copy)
    mutate(copy)
    return copy


def test_missing_file_is_an_error(saved_model, tmp_path):
    copy = _corrupt(saved_model, tmp_path, lambda d: (d / "heads" / "weights.npz").unlink())
    with pytest.raises(ModelFormatError, match="missing"):
        cxnlp.load(copy)


def test_tampered_weights_are_an_error(saved_model, tmp_path):
    def flip(d):
        p = d / "heads" / "weights.npz"
        b = bytearray(p.read_bytes())
        b[len(b) // 2] ^= 0xFF
        p.write_bytes(bytes(b))
    with pytest.raises(ModelFormatError, match="checksum"):
        cxnlp.load(_corrupt(saved_model, tmp_path, flip))


def test_newer_format_is_an_error(saved_model, tmp_path):
    def bump(d):
        meta = json.loads((d / "meta.json").read_text())
        meta["format_version"] = 99
        (d / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="format 99"):
        cxnlp.load(_corrupt(saved_model, tmp_path, bump))


def test_pickled_arrays_are_refused(tmp_path):
    from cxnlp.artifacts import read_arrays

    p = tmp_path / "evil.npz"
    np.savez(p, x=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ModelFormatError, match="unsafe"):
        read_arrays(p)


def test_no_model_is_an_error(tmp_path):
    with pytest.raises(ModelFormatError, match="no model"):
        cxnlp.load(tmp_path / "nothing-here")


def test_labels_without_examples_warn_and_are_never_predicted():
    rows = [{"text": t, "sentiment": s, "themes": [], "drivers": []} for t, s in [
        ("hyvä", "positive"), ("huono", "negative"), ("ok kai", "neutral"), ("hyvä mutta huono", "mixed")] * 3]
    with pytest.warns(UserWarning, match="'staff_attitude' of group 'drivers' has 0 training examples"):
        clf = FeedbackClassifier(cv_folds=0, encoder_options={"min_df": 1}).fit(rows)
    assert clf.predict("hyvä").drivers == ()


def test_expected_calibration_error():
    from cxnlp.train.metrics import expected_calibration_error

    tax = cxnlp.default_taxonomy()
    scores = {"positive": 0.9, "neutral": 0.05, "negative": 0.03, "mixed": 0.02, "efficiency": 0.8, "ease": 0.1,
              "emotion": 0.5, "staff_attitude": 0.1, "unfriendly_service": 0.1, "lack_of_trust": 0.1,
              "lack_of_competence": 0.1}
    preds = [Prediction("fi", {}, scores)] * 10
    gold = {"sentiment": ["positive"] * 9 + ["negative"], "themes": [["efficiency"]] * 10, "drivers": [[]] * 10}
    ece = expected_calibration_error(tax, gold, preds)
    assert ece["sentiment"] == 0.0  # 90 % confident, 90 % right
    assert ece["themes"] == pytest.approx((0.2 + 0.1 + 0.5) / 3, abs=1e-3)
    assert ece["drivers"] == pytest.approx(0.1, abs=1e-3)


def test_class_weight_is_an_option_that_is_saved(records, tmp_path):
    # balanced weights raise the rare classes' probability over the data's priors
    texts = [r["text"] for r in records[:150]]
    plain = FeedbackClassifier(cv_folds=0).fit(records[:150])
    balanced = FeedbackClassifier(cv_folds=0, class_weight="balanced").fit(records[:150])
    names = plain.taxonomy_["sentiment"].label_names
    counts = {n: sum(r["sentiment"] == n for r in records[:150]) for n in names}
    rarest = plain.label_names.index(min(counts, key=counts.get))  # sentiment columns come first
    assert balanced.predict_proba(texts)[:, rarest].mean() > plain.predict_proba(texts)[:, rarest].mean()
    assert cxnlp.load(balanced.save(tmp_path / "m")).class_weight == "balanced"
    with pytest.raises(ValueError, match="class_weight"):
        FeedbackClassifier(cv_folds=0, class_weight="auto").fit(records[:50])
