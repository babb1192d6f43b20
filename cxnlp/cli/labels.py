"""`cxnlp labels`: show the taxonomy a model predicts."""

from __future__ import annotations

import json

import click

from cxnlp.cli import user_errors


@click.command()
@click.option("--model", "model", default=None, help="Model directory or bundled name (default: the bundled taxonomy).")
@click.option("--json", "as_json", is_flag=True, help="Print the taxonomy as JSON.")
@user_errors
def labels(model: str | None, as_json: bool) -> None:
    """List label groups and labels with Finnish and English names and descriptions."""
    from cxnlp.taxonomy import default_taxonomy

    if model is None:
        taxonomy = default_taxonomy()
    else:
        from cxnlp.persistence import read_model_files, resolve_model_path

        _, _, taxonomy = read_model_files(resolve_model_path(model))
    if as_json:
        click.echo(json.dumps(taxonomy.to_dict(), ensure_ascii=False, indent=1))
        return
    click.echo(f"taxonomy {taxonomy.name} v{taxonomy.version}")
    for g in taxonomy:
        names = " / ".join(dict.fromkeys(v for v in (g.names.get("en"), g.names.get("fi")) if v))
        click.echo(f"\n{g.name} ({g.kind}-label){': ' + names if names else ''}")
        if g.description:
            click.echo(f"  {g.description}")
        for lab in g.labels:
            fi = lab.names.get("fi")
            click.echo(f"  - {lab.name}{f' ({fi})' if fi else ''}{': ' + lab.description if lab.description else ''}")
