"""`cxnlp classify`: texts from the command line, or a whole file streamed in chunks."""

from __future__ import annotations

import json
import sys

import click

from cxnlp.cli import user_errors
from cxnlp.io import FORMATS


@click.command()
@click.argument("texts", nargs=-1)
@click.option("-i", "--input", "input_path", default=None,
              help="File to classify: .csv/.tsv/.jsonl/.parquet/.txt (one text per line), or - for stdin.")
@click.option("-o", "--output", "output_path", default="-", show_default=True,
              help="Where results go: .jsonl/.csv/.tsv/.parquet, or - for stdout (JSONL).")
@click.option("-m", "--model", default=None, help="Model directory or bundled model name [default: the bundled model].")
@click.option("--text-col", default="text", show_default=True, help="Column holding the text.")
@click.option("--id-col", default=None, help="Column holding row ids [default: 'id' if present, else the row number].")
@click.option("--input-format", type=click.Choice(FORMATS), default=None, help="Override the format from the extension.")
@click.option("--output-format", type=click.Choice([f for f in FORMATS if f != "txt"]), default=None,
              help="Override the format from the extension.")
@click.option("--json", "as_json", is_flag=True, help="For TEXTS: print JSON lines instead of a readable summary.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary on stderr.")
@user_errors
def classify(texts: tuple[str, ...], input_path: str | None, output_path: str, model: str | None, text_col: str,
             id_col: str | None, input_format: str | None, output_format: str | None, as_json: bool, quiet: bool) -> None:
    """Classify TEXTS given as arguments, or every row of --input.

    \b
    Examples:
      cxnlp classify "Jonotin 40 minuuttia ja virkailija oli tyly."
      cxnlp classify --input feedback.csv --output results.csv --id-col ticket_id
      cat comments.txt | cxnlp classify --input - > results.jsonl

    Every input row comes out, in order, with `id`, the input's columns, and `lang`, `status`,
    `sentiment`, `themes`, `drivers`, `scores`. Empty texts get status "empty" and no labels.
    """
    from cxnlp.classifier import load

    if texts and input_path:
        raise click.UsageError("give texts as arguments or --input FILE, not both")
    if not texts and input_path is None:
        if sys.stdin.isatty():
            raise click.UsageError("nothing to classify: give texts as arguments or --input FILE (- for stdin)")
        input_path = "-"
    clf = load(model)
    if texts:
        preds = clf.predict(list(texts), ids=list(range(1, len(texts) + 1)))
        for text, pred in zip(texts, preds):
            if as_json:
                click.echo(json.dumps(pred.to_dict(), ensure_ascii=False))
            else:
                from cxnlp.cli.render import prediction_line

                click.echo(prediction_line(text, pred))
        return
    from cxnlp.batch import classify_file

    def warn_replaced(cols: list[str]) -> None:
        if not quiet:
            click.echo(f"note: input columns {cols} are replaced by predictions in the output", err=True)

    summary = classify_file(clf, input_path, output_path, text_col=text_col, id_col=id_col, input_format=input_format,
                            output_format=output_format, progress=not quiet and sys.stderr.isatty(),
                            on_replace=warn_replaced)
    if not quiet:
        click.echo(f"classified {summary.rows} rows ({summary.empty} empty) in {summary.seconds:.1f} s "
                   f"({summary.rows_per_second:.0f} rows/s)", err=True)
