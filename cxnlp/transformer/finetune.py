"""Fine-tune a Hugging Face encoder with one head per label group.

One shared encoder, mean-pooled; a linear head per group — softmax (cross-entropy) for single-label
groups, sigmoid per label (binary cross-entropy) for multi-label groups, both weighted against label
imbalance. A validation split drives early stopping and, after training, the per-label thresholds.
The result is an ``HFEncoder`` holding the fine-tuned encoder plus ordinary ``LinearHeads``, so a
fine-tuned model saves, loads and predicts like any other cxnlp model.
"""

from __future__ import annotations

import copy
import math
import random
import sys
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

from cxnlp.encoders.hf import HFEncoder, import_torch_transformers, quiet_from_pretrained
from cxnlp.errors import DataError
from cxnlp.heads import GroupHead, LinearHeads, best_threshold
from cxnlp.train.data import TrainingData


@dataclass
class FineTuneConfig:
    base_model: str
    epochs: int = 3
    batch_size: int = 16
    learning_rate: float = 5e-5
    max_length: int = 256
    seed: int = 0
    device: str = "auto"
    mixed_precision: bool = True
    grad_accum: int = 1
    val_fraction: float = 0.1
    patience: int = 1
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    prefix: str = ""
    freeze_embeddings: bool = False
    progress: bool | None = None

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> FineTuneConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise DataError(f"unknown transformer options {unknown}; known: {sorted(known)}")
        if "base_model" not in options:
            raise DataError("the transformer backend needs a base model: --base-model NAME_OR_PATH")
        return cls(**options)


def _device(torch: Any, name: str) -> Any:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise DataError(f"device {name!r} requested but CUDA is not available; use --device cpu")
    return torch.device(name)


def _class_weights(data: TrainingData, targets: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """'Balanced' weights: inverse class frequency (single-label); negatives/positives, capped, (multi-label)."""
    out = {}
    for g in data.taxonomy:
        Y = targets[g.name]
        if g.is_multi:
            pos = Y.sum(axis=0)
            out[g.name] = np.clip((len(Y) - pos) / np.maximum(pos, 1), 1.0, 20.0)
        else:
            counts = np.bincount(Y, minlength=len(g.labels))
            out[g.name] = len(Y) / (len(g.labels) * np.maximum(counts, 1))
    return out


def _batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (little padding): sort within pools of 50 batches."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    pool = batch_size * 50
    batches = []
    for start in range(0, len(idx), pool):
        chunk = sorted(idx[start : start + pool], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _make_net(torch: Any, encoder: Any, group_sizes: dict[str, int]) -> Any:
    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.heads = torch.nn.ModuleDict(
                {g: torch.nn.Linear(encoder.config.hidden_size, k) for g, k in group_sizes.items()})

        def forward(self, input_ids: Any, attention_mask: Any) -> dict[str, Any]:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            return {g: head(pooled) for g, head in self.heads.items()}

    return Net()


def fine_tune(data: TrainingData, cfg: FineTuneConfig) -> tuple[HFEncoder, LinearHeads, dict[str, Any]]:
    """Fine-tune ``cfg.base_model`` on ``data``; returns the encoder, the heads and the training history."""
    torch, transformers = import_torch_transformers()
    from datasets import Dataset
    from tqdm.auto import tqdm

    rng = random.Random(cfg.seed)
    torch.manual_seed(cfg.seed)
    device = _device(torch, cfg.device)
    progress = sys.stderr.isatty() if cfg.progress is None else cfg.progress
    tok = transformers.AutoTokenizer.from_pretrained(cfg.base_model)
    encoder = quiet_from_pretrained(transformers, cfg.base_model)
    if cfg.freeze_embeddings:
        encoder.get_input_embeddings().weight.requires_grad_(False)
    targets = data.targets()
    n = len(data)
    order = list(range(n))
    rng.shuffle(order)
    n_val = max(1, round(n * cfg.val_fraction)) if cfg.val_fraction > 0 and n >= 10 else 0
    val_idx, train_idx = sorted(order[:n_val]), sorted(order[n_val:])

    columns = {"text": [cfg.prefix + t for t in data.texts]}
    def tokenize(batch: dict[str, list[str]]) -> dict[str, list[Any]]:
        enc = tok(batch["text"], truncation=True, max_length=cfg.max_length)
        return {"input_ids": enc["input_ids"], "length": [len(x) for x in enc["input_ids"]]}

    ds = Dataset.from_dict(columns).map(tokenize, batched=True, remove_columns=["text"])
    lengths = list(ds["length"])
    pad = tok.pad_token_id if tok.pad_token_id is not None else 0

    def collate(rows: list[int]) -> tuple[Any, Any]:
        width = max(lengths[i] for i in rows)
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, i in enumerate(rows):
            seq = ds[i]["input_ids"]
            ids[r, : len(seq)] = torch.tensor(seq)
            mask[r, : len(seq)] = 1
        return ids.to(device), mask.to(device)

    groups = {g.name: len(g.labels) for g in data.taxonomy}
    net = _make_net(torch, encoder, groups).to(device)
    weights = {k: torch.tensor(v, dtype=torch.float32, device=device) for k, v in _class_weights(data, targets).items()}
    y = {g.name: torch.tensor(targets[g.name], dtype=torch.float32 if g.is_multi else torch.long) for g in data.taxonomy}

    def loss_of(logits: dict[str, Any], rows: list[int]) -> Any:
        total = 0.0
        for g in data.taxonomy:
            t = y[g.name][rows].to(device)
            if g.is_multi:
                total = total + torch.nn.functional.binary_cross_entropy_with_logits(
                    logits[g.name].float(), t, pos_weight=weights[g.name])
            else:
                total = total + torch.nn.functional.cross_entropy(logits[g.name].float(), t, weight=weights[g.name])
        return total

    steps_per_epoch = math.ceil(len(train_idx) / (cfg.batch_size * cfg.grad_accum))
    total_steps = max(1, steps_per_epoch * cfg.epochs)
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    sched = transformers.get_linear_schedule_with_warmup(opt, int(total_steps * cfg.warmup_ratio), total_steps)
    amp = cfg.mixed_precision and device.type == "cuda"
    amp_dtype = torch.bfloat16 if amp and torch.cuda.is_bf16_supported() else torch.float16
    scaler = torch.amp.GradScaler("cuda", enabled=amp and amp_dtype == torch.float16)

    def predict_rows(rows: list[int]) -> dict[str, np.ndarray]:
        net.eval()
        out = {g: np.zeros((len(rows), k)) for g, k in groups.items()}
        with torch.inference_mode(), torch.autocast(device.type, dtype=amp_dtype, enabled=amp):
            for batch in _batches([lengths[i] for i in rows], cfg.batch_size * 2, random.Random(0)):
                logits = net(*collate([rows[i] for i in batch]))
                for g in data.taxonomy:
                    z = logits[g.name].float()
                    p = torch.sigmoid(z) if g.is_multi else torch.softmax(z, dim=-1)
                    out[g.name][batch] = p.cpu().numpy()
        return out

    def val_loss() -> float:
        if not val_idx:
            return float("nan")
        net.eval()
        total, count = 0.0, 0
        with torch.inference_mode(), torch.autocast(device.type, dtype=amp_dtype, enabled=amp):
            for start in range(0, len(val_idx), cfg.batch_size * 2):
                rows = val_idx[start : start + cfg.batch_size * 2]
                total += float(loss_of(net(*collate(rows)), rows)) * len(rows)
                count += len(rows)
        return total / count

    history: dict[str, Any] = {"config": {k: v for k, v in asdict(cfg).items() if k != "progress"}, "epochs": []}
    best_state, best_loss, bad_epochs = None, math.inf, 0
    for epoch in range(1, cfg.epochs + 1):
        net.train()
        batches = _batches([lengths[i] for i in train_idx], cfg.batch_size, rng)
        bar = tqdm(batches, desc=f"epoch {epoch}/{cfg.epochs}", unit="batch", disable=not progress, file=sys.stderr)
        running, seen = 0.0, 0
        for step, batch in enumerate(bar, 1):
            rows = [train_idx[i] for i in batch]
            with torch.autocast(device.type, dtype=amp_dtype, enabled=amp):
                loss = loss_of(net(*collate(rows)), rows)
            scaler.scale(loss / cfg.grad_accum).backward()
            if step % cfg.grad_accum == 0 or step == len(batches):
                scaler.unscale_(opt)
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                scaler.step(opt)
                scaler.update()
                opt.zero_grad(set_to_none=True)
                sched.step()
            running += float(loss.detach()) * len(rows)
            seen += len(rows)
            bar.set_postfix(loss=f"{running / seen:.4f}")
        vl = val_loss()
        history["epochs"].append({"epoch": epoch, "train_loss": running / max(seen, 1), "val_loss": vl})
        if progress:
            print(f"epoch {epoch}: train loss {running / max(seen, 1):.4f}, validation loss {vl:.4f}", file=sys.stderr)
        if not val_idx or vl < best_loss - 1e-4:
            best_loss, bad_epochs = vl, 0
            best_state = copy.deepcopy(net.state_dict()) if val_idx else None
        else:
            bad_epochs += 1
            if bad_epochs >= cfg.patience:
                history["stopped_early_after_epoch"] = epoch
                break
    if best_state is not None:
        net.load_state_dict(best_state)

    heads = {}
    val_probs = predict_rows(val_idx) if val_idx else None
    for g in data.taxonomy:
        lin = net.heads[g.name]
        W = lin.weight.detach().float().cpu().numpy().T.astype(np.float32)
        b = lin.bias.detach().float().cpu().numpy().astype(np.float64)
        thresholds = np.full(len(g.labels), 0.5)
        if g.is_multi and val_probs is not None:
            Yv = targets[g.name][val_idx]
            thresholds = np.array([best_threshold(val_probs[g.name][:, j], Yv[:, j]) for j in range(len(g.labels))])
        heads[g.name] = GroupHead(g, W, b, thresholds)
    net.encoder.to("cpu")
    hf = HFEncoder.from_objects(net.encoder.eval(), tok, source=cfg.base_model, prefix=cfg.prefix,
                                max_length=cfg.max_length, normalize=False, device="cpu")
    return hf, LinearHeads(heads), history
