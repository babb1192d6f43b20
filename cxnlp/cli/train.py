"""`cxnlp train`: fit a model on labelled data, report held-out scores, save the model directory."""

from __future__ import annotations

import json

import click

from cxnlp.cli import user_errors
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
@click.option("--encoder", default="lexical", show_default=True, help="Feature encoder.")
@click.option("--C", "C", default=4.0, show_default=True, type=float, help="Inverse regularisation strength of the heads.")
@click.option("--input-format", type=click.Choice(FORMATS), default=None, help="Override the format from the extension.")
@click.option("--json", "as_json", is_flag=True, help="Print held-out metrics as JSON.")
@user_errors
def train(data: str, out: str, eval_split: float, refit_full: bool, seed: int, text_col: str, label_cols: tuple[str, ...],
          taxonomy_path: str | None, encoder: str, C: float, input_format: str | None, as_json: bool) -> None:
    """Train a model on DATA (CSV/TSV/JSONL/Parquet with a text column and label columns).

    Multi-label columns hold JSON lists or ';'-separated labels. Writes the model, metrics.json and a
    model card README.md to --out.
    """
    from cxnlp.taxonomy import Taxonomy
    from cxnlp.train.data import load_training_data
    from cxnlp.train.metrics import format_report
    from cxnlp.train.run import train as run_train

    taxonomy = Taxonomy.from_json(taxonomy_path) if taxonomy_path else None
    dataset = load_training_data(data, text_col=text_col, taxonomy=taxonomy, label_cols=label_cols or None,
                                 input_format=input_format)
    click.echo(f"training on {len(dataset)} rows, groups {dataset.taxonomy.group_names}", err=True)
    _clf, report = run_train(dataset, out, eval_split=eval_split, seed=seed, refit_full=refit_full,
                               encoder=encoder, C=C)
    if report is not None:
        click.echo(json.dumps(report.to_dict(), indent=1) if as_json else format_report(report))
    click.echo(f"model saved to {out}", err=True)
