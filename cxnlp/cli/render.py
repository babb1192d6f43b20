"""How results look on a terminal; JSON output goes through ``Prediction.to_dict``."""

from __future__ import annotations

from cxnlp.results import Prediction


def prediction_line(text: str, pred: Prediction, width: int = 60) -> str:
    """One readable block per text: the text, then each group's decision with its best scores."""
    shown = text if len(text) <= width else text[: width - 1] + "…"
    if pred.is_empty:
        return f"{shown!r}\n  (empty: nothing to classify)"
    lines = [f"{shown!r}  [{pred.lang}]"]
    for group, value in pred.labels.items():
        if isinstance(value, tuple):
            decided = ", ".join(f"{v} ({pred.scores[v]:.2f})" for v in value) or "—"
        else:
            decided = f"{value} ({pred.scores[value]:.2f})"
        lines.append(f"  {group:<10} {decided}")
    return "\n".join(lines)
