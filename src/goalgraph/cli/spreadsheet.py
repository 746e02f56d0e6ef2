"""Spreadsheet commands: import spreadsheets to RDF, write the template, export a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from goalgraph.cli import app, err_console


@app.command("import")
def import_(
    sources: Annotated[
        list[Path],
        typer.Argument(help="XLSX workbooks, CSV files or folders of CSV files, YAML files."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Turtle file to write (default: standard output)."),
    ] = None,
    kommun: Annotated[
        str | None,
        typer.Option("--kommun", help="Kommun code for sources without a Metadata sheet."),
    ] = None,
) -> None:
    """Convert spreadsheets in the goalgraph import format to RDF (Turtle).

    Every problem of every file is reported at once; nothing is written then.
    """
    from goalgraph.destinations import check_outputs
    from goalgraph.i18n import message
    from goalgraph.spreadsheet import import_files

    if output is not None:
        check_outputs([output], inputs=sources)
    graph = import_files(*sources, kommun=kommun, vocabulary=False)
    text = graph.serialize(destination=output)
    if output is None:
        typer.echo(text, nl=False)
    else:
        err_console.print(
            message(
                "spreadsheet.imported",
                sources=", ".join(map(str, sources)),
                triples=len(graph),
                output=output,
            ),
            highlight=False,
        )


@app.command()
def template(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Workbook to write, e.g. mall.xlsx.")
    ] = None,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", help="Write the template as a folder of CSV files instead."),
    ] = None,
) -> None:
    """Write an empty import template whose header cells explain each column."""
    from goalgraph.destinations import check_outputs
    from goalgraph.i18n import message
    from goalgraph.spreadsheet import write_template

    if (output is None) == (csv is None):
        raise typer.BadParameter("give either -o FILE.xlsx or --csv DIR", param_hint="-o/--csv")
    target = csv if csv is not None else output
    assert target is not None
    check_outputs([output] if output is not None else [], inputs=[], folders=[csv] if csv else [])
    write_template(target, csv=csv is not None)
    err_console.print(message("spreadsheet.template_written", output=target), highlight=False)


@app.command()
def export(
    sources: Annotated[
        list[Path],
        typer.Argument(help="RDF files or folders, or spreadsheet import files, to read."),
    ],
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Workbook to write.")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Folder of CSV files to write.")] = None,
    yaml: Annotated[Path | None, typer.Option("--yaml", help="YAML file to write.")] = None,
    kommun: Annotated[
        str | None,
        typer.Option("--kommun", help="Kommun code to export when the graph holds several."),
    ] = None,
) -> None:
    """Write a graph back to the import format; importing the result gives the same graph.

    When every source is a spreadsheet and --xlsx is given, the authored sheets are kept
    as they are (checked by importing them first) and the read-only grid is added.
    """
    from goalgraph.i18n import message
    from goalgraph.loading import load
    from goalgraph.spreadsheet import (
        Triple,
        convert_workbook,
        export_csv,
        export_workbook,
        export_yaml,
        is_spreadsheet_source,
    )

    targets = [t for t in (xlsx, csv, yaml) if t is not None]
    if len(targets) != 1:
        raise typer.BadParameter(
            "give one of --xlsx FILE, --csv DIR or --yaml FILE", param_hint="--xlsx/--csv/--yaml"
        )
    from goalgraph.destinations import check_outputs

    check_outputs(
        [t for t in (xlsx, yaml) if t is not None],
        inputs=sources,
        folders=[csv] if csv is not None else [],
    )
    leftover: list[Triple] = []
    if xlsx is not None and all(is_spreadsheet_source(s) for s in sources):
        convert_workbook(*sources, path=xlsx, kommun=kommun)
    else:
        graph = load(*sources)
        if xlsx is not None:
            leftover = export_workbook(graph, xlsx, kommun=kommun)
        elif csv is not None:
            leftover = export_csv(graph, csv, kommun=kommun)
        else:
            leftover = export_yaml(graph, targets[0], kommun=kommun)
    if leftover:
        err_console.print(
            message(
                "spreadsheet.unexported",
                count=len(leftover),
                example=" ".join(map(str, leftover[0])),
            ),
            highlight=False,
        )
    err_console.print(message("spreadsheet.exported", output=targets[0]), highlight=False)
