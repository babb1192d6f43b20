"""Any Hugging Face transformers encoder, mean-pooled, as a frozen feature extractor.

``HFEncoder("intfloat/multilingual-e5-small", prefix="query: ")`` works for a user whose machine
reaches the hub; a local directory works offline. Saving copies the encoder's weights (safetensors)
and tokenizer into the model directory, so a saved cxnlp model never needs the hub again. Texts longer
than ``max_length`` tokens are split into windows whose mean-pooled vectors are averaged by length.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.artifacts import read_component_config, write_json
from cxnlp.errors import MissingDependencyError, ModelFormatError


def import_torch_transformers() -> tuple[Any, Any]:
    """torch and transformers, or a friendly error naming the extra to install."""
    try:
        import torch
        import transformers
    except ImportError as e:
        raise MissingDependencyError(e.name or "torch", "transformer") from None
    return torch, transformers


def quiet_from_pretrained(transformers: Any, name: str, **kwargs: Any) -> Any:
    """``AutoModel.from_pretrained`` without its load report and progress bar (a missing, unused pooler
    is reported as an error-looking table); real errors still raise."""
    log = transformers.utils.logging
    level = log.get_verbosity()
    bars = log.is_progress_bar_enabled()
    log.set_verbosity_error()
    log.disable_progress_bar()
    try:
        return transformers.AutoModel.from_pretrained(name, **kwargs)
    finally:
        log.set_verbosity(level)
        if bars:
            log.enable_progress_bar()


class HFEncoder:
    name = "hf/1"

    def __init__(self, model: str, prefix: str = "", max_length: int = 512, batch_size: int = 32,
                 normalize: bool = True, device: str = "cpu"):
        self.model = str(model)
        self.prefix = prefix
        self.max_length = int(max_length)
        self.batch_size = int(batch_size)
        self.normalize = bool(normalize)
        self.device = device
        self._tok: Any = None
        self._net: Any = None
        self.from_saved = False

    @classmethod
    def from_objects(cls, net: Any, tokenizer: Any, *, source: str, **options: Any) -> HFEncoder:
        """Wrap an in-memory model and tokenizer (e.g. just fine-tuned); ``source`` names where it came from."""
        enc = cls(source, **options)
        enc._net, enc._tok = net.eval(), tokenizer
        return enc

    def _load(self) -> None:
        if self._net is None:
            _torch, transformers = import_torch_transformers()
            self._tok = transformers.AutoTokenizer.from_pretrained(self.model)
            # a saved cxnlp model holds safetensors only: never fall back to pickled weights there
            safe = True if self.from_saved else None
            self._net = quiet_from_pretrained(transformers, self.model, use_safetensors=safe).to(self.device).eval()

    @property
    def window_length(self) -> int:
        """``max_length`` capped by what the model can take (its position embeddings, its tokenizer's limit)."""
        if not hasattr(self, "_window"):
            self._load()
            limits = [self.max_length]
            positions = getattr(self._net.config, "max_position_embeddings", None)
            if positions:  # RoBERTa-style models start positions after the padding index
                limits.append(positions - (2 if "roberta" in self._net.config.model_type else 0))
            if 0 < getattr(self._tok, "model_max_length", 0) < 1_000_000:
                limits.append(self._tok.model_max_length)
            self._window = min(limits)
        return self._window

    @property
    def dim(self) -> int:
        self._load()
        return int(self._net.config.hidden_size)

    def fit(self, texts: Sequence[str], langs: Sequence[str]) -> HFEncoder:
        self._load()
        return self

    def _specials(self) -> tuple[list[int], list[int]]:
        """The special tokens a tokenizer puts before and after a single text (e.g. [CLS] ... [SEP])."""
        if not hasattr(self, "_around"):
            bare = self._tok("x", add_special_tokens=False)["input_ids"]
            full = self._tok("x")["input_ids"]
            at = next(i for i in range(len(full) - len(bare) + 1) if full[i : i + len(bare)] == bare)
            self._around = (full[:at], full[at + len(bare) :])
        return self._around

    def _windows(self, text: str) -> list[list[int]]:
        """Token ids of ``text`` in windows of at most ``max_length`` tokens, special tokens included."""
        ids = self._tok(self.prefix + text, add_special_tokens=False)["input_ids"]
        head, tail = self._specials()
        room = self.window_length - len(head) - len(tail)
        return [head + ids[i : i + room] + tail for i in range(0, max(len(ids), 1), room)]

    def transform(self, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        torch, _ = import_torch_transformers()
        self._load()
        windows, owner = [], []
        for i, text in enumerate(texts):
            for w in self._windows(text):
                windows.append(w)
                owner.append(i)
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        counts = np.zeros(len(texts))
        order = np.argsort([len(w) for w in windows])  # batch by length: little padding
        pad = self._tok.pad_token_id or 0
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                width = max(len(windows[j]) for j in idx)
                ids = torch.full((len(idx), width), pad, dtype=torch.long)
                mask = torch.zeros((len(idx), width), dtype=torch.long)
                for r, j in enumerate(idx):
                    ids[r, : len(windows[j])] = torch.tensor(windows[j])
                    mask[r, : len(windows[j])] = 1
                hidden = self._net(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).last_hidden_state
                m = mask.to(hidden.device).unsqueeze(-1).to(hidden.dtype)
                pooled_sum = (hidden * m).sum(1).float().cpu().numpy()
                for r, j in enumerate(idx):
                    sums[owner[j]] += pooled_sum[r]
                    counts[owner[j]] += len(windows[j])
        out = sums / np.maximum(counts, 1)[:, None]
        if self.normalize:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model, "prefix": self.prefix, "max_length": self.max_length,
                "batch_size": self.batch_size, "normalize": self.normalize}

    def save(self, directory: Path) -> None:
        self._load()
        directory.mkdir(parents=True, exist_ok=True)
        self._net.save_pretrained(directory / "model", safe_serialization=True)
        self._tok.save_pretrained(directory / "model")
        write_json(directory / "config.json", {"name": self.name, **self.get_config(), "source": self.model})

    @classmethod
    def load(cls, directory: Path) -> HFEncoder:
        config = read_component_config(directory, cls.name, ["prefix", "max_length"])
        if not (directory / "model" / "config.json").is_file():
            raise ModelFormatError(f"{directory}: the encoder's weights (model/) are missing")
        enc = cls(str(directory / "model"), prefix=config["prefix"], max_length=config["max_length"],
                  batch_size=config.get("batch_size", 32), normalize=config.get("normalize", True))
        enc.from_saved = True
        return enc
