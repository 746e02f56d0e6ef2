"""The ``goalgraph vocabulary`` command: the generated term list of the ontology."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from goalgraph.cli import app


@app.command()
def vocabulary(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write (default: standard output)."),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="markdown (as docs/vocabulary.md) or html.")
    ] = "markdown",
) -> None:
    """List every class and property of the ontology with sv/en labels and definitions."""
    from goalgraph.graph import write_atomically
    from goalgraph.i18n import message
    from goalgraph.vocabulary import FORMATS, render, terms

    if format not in FORMATS:
        raise typer.BadParameter(
            message("vocabulary.unknown_format", format=format), param_hint="--format"
        )
    if output is not None:
        from goalgraph.destinations import check_outputs

        check_outputs([output], inputs=[])
    rows = terms()
    text = render(rows, format=format)  # type: ignore[arg-type]
    if output is None:
        typer.echo(text, nl=False)
        return
    write_atomically(output, text)
    typer.echo(message("vocabulary.written", count=len(rows), path=output), err=True)
