"""``goalgraph report``: one self-contained HTML page (and a workbook) a kommun can publish."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from goalgraph.cli import app, err_console
from goalgraph.cli.sources import EndpointOption, StoreOption, graph_from


@app.command()
def report(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The HTML file to write, e.g. rapport.html.")
    ],
    sources: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders with goal data (Turtle, JSON-LD, spreadsheets); "
            "not with --store or --endpoint."
        ),
    ] = None,
    kommun: Annotated[
        str | None, typer.Option("--kommun", help="Only this kommun (code, e.g. 0685).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the report: sv (default) or en.")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Judge follow-up values up to this year (default: all)."),
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", help="Also write the same content as an Excel workbook."),
    ] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Write a report: overview, goal tree with traceability, delstrategi grid, coverage,
    indicator charts and findings, as one HTML file that loads nothing when viewed (and
    prints on A4), optionally also as an Excel workbook.
    """
    from goalgraph.destinations import check_outputs
    from goalgraph.i18n import message
    from goalgraph.report.output import write_report

    if lang is not None and lang not in ("sv", "en"):
        raise typer.BadParameter("use sv or en", param_hint="--lang")
    targets = [output, *([xlsx] if xlsx is not None else [])]
    inputs = [*(sources or []), *([store] if store else [])]
    check_outputs(targets, inputs=inputs, lang=lang)
    graph = graph_from(sources, store=store, endpoint=endpoint)
    result = write_report(
        graph, output, xlsx=xlsx, kommun=kommun, year=year, lang=lang, inputs=inputs
    )
    for target in targets:
        err_console.print(message("report.written", result.lang, path=target), highlight=False)
