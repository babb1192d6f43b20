"""`cxnlp evaluate`: score a model on labelled data."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from cxnlp.cli import user_errors
from cxnlp.io import FORMATS

if TYPE_CHECKING:
    from cxnlp.taxonomy import Taxonomy


@click.command()
@click.argument("data")
@click.option("-m", "--model", default=None, help="Model directory or bundled name [default: the bundled model].")
@click.option("--text-col", default="text", show_default=True, help="Column holding the text.")
@click.option("--input-format", type=click.Choice(FORMATS), default=None, help="Override the format from the extension.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@user_errors
def evaluate(data: str, model: str | None, text_col: str, input_format: str | None, as_json: bool) -> None:
    """Score a model on DATA labelled with the model's label groups (all or some of them)."""
    from cxnlp.classifier import load
    from cxnlp.train.data import load_training_data
    from cxnlp.train.metrics import format_report
    from cxnlp.train.run import evaluate as run_evaluate

    clf = load(model)
    with_groups = _groups_in(data, input_format, clf.taxonomy_)
    dataset = load_training_data(data, text_col=text_col, taxonomy=with_groups, input_format=input_format)
    report = run_evaluate(clf, dataset)
    click.echo(json.dumps(report.to_dict(), indent=1) if as_json else format_report(report))


def _groups_in(data: str, input_format: str | None, taxonomy: Taxonomy) -> Taxonomy:
    """The model's taxonomy restricted to the groups DATA has columns for."""
    from cxnlp.errors import DataError
    from cxnlp.io import detect_format, iter_records
    from cxnlp.taxonomy import Taxonomy

    first = next(iter_records(data, detect_format(data, input_format)), (0, {}))[1]
    groups = tuple(g for g in taxonomy if g.name in first)
    if not groups:
        raise DataError(f"no label columns for this model: expected some of {taxonomy.group_names}, "
                        f"found columns {sorted(first)}", source=data)
    return Taxonomy(groups, taxonomy.name, taxonomy.version)
