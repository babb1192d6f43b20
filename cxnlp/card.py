"""Model cards: the README.md written into every saved model directory."""

from __future__ import annotations

from typing import Any

from cxnlp.taxonomy import Taxonomy


def _metrics_table(held_out: dict[str, Any]) -> list[str]:
    lines = ["| group | label | precision | recall | F1 | support |", "|---|---|---|---|---|---|"]
    for group, g in held_out["groups"].items():
        for label, s in g["labels"].items():
            lines.append(f"| {group} | {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
        extra = f"accuracy {g['accuracy']:.3f}" if g.get("accuracy") is not None else f"micro-F1 {g['micro_f1']:.3f}"
        lines.append(f"| {group} | **macro-F1** | | | **{g['macro_f1']:.3f}** | {extra} |")
    return lines


def render_card(meta: dict[str, Any], config: dict[str, Any], taxonomy: Taxonomy,
                metrics: dict[str, Any] | None, notes: str = "") -> str:
    """Markdown model card from what the model directory records about itself."""
    training = meta.get("training", {})
    out = [
        "# cxnlp model card",
        "",
        (f"- encoder: `{config['encoder']}`; heads: linear (softmax for single-label groups, one-vs-rest with "
        "tuned thresholds for multi-label groups)"),
        f"- cxnlp version: {meta['cxnlp_version']}; model format: {meta['format_version']}; created: {meta.get('created')}",
        f"- training rows: {training.get('n_train')}; languages (detected): {training.get('languages')}",
        f"- training data sha256: `{training.get('data_hash')}`",
        "",
        "## Labels",
        "",
    ]
    for g in taxonomy:
        out.append(f"- **{g.name}** ({g.kind}-label): {', '.join(g.label_names)}")
    out += ["", "## Held-out evaluation", ""]
    if metrics and "held_out" in metrics:
        split = metrics.get("split", {})
        out.append(f"Trained on {split.get('n_train')} rows, scored on {split.get('n_eval')} held-out rows "
                   f"(fraction {split.get('eval_fraction')}, seed {split.get('seed')})."
                   + (" The saved model was then refitted on all rows." if split.get("refit_on_all_rows") else ""))
        out += [""] + _metrics_table(metrics["held_out"])
    else:
        out.append("No held-out evaluation was recorded (trained on all rows).")
    if notes:
        out += ["", notes.strip()]
    out += ["", "Load it with `cxnlp.load(PATH)` or `cxnlp classify --model PATH ...`.", ""]
    return "\n".join(out)
