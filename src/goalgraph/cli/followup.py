"""Follow-up commands: status (progress, roll-up, forecasts) and compare (kommuner side by side).

Each command loads the files or folders given as trailing PATH arguments,
calls one library function of :mod:`goalgraph.followup` and prints its
result as text for an analyst (default), JSON or CSV (``csv-excel`` for
Swedish Excel).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from goalgraph.cli import app
from goalgraph.cli.output import CSV_FORMATS, echo_csv
from goalgraph.cli.sources import EndpointOption, ReadSources, StoreOption, graph_from

if TYPE_CHECKING:
    import pyoxigraph as ox

FORMATS = ("text", "json", *CSV_FORMATS)
TABLES = ("indicators", "goals", "forecasts", "findings", "observations")
FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", help="text (default), json, csv or csv-excel (';', BOM: for Excel)."
    ),
]
YearOption = Annotated[
    int | None, typer.Option("--year", help="Judge values up to this year (default: all).")
]


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise typer.BadParameter("use " + ", ".join(FORMATS), param_hint="--format")


@app.command()
def status(
    sources: ReadSources = None,
    kommun: Annotated[
        str | None, typer.Option("--kommun", help="Only this kommun (code, e.g. 0685).")
    ] = None,
    year: YearOption = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="A reporting point (id, e.g. DR-2019-08, or IRI): its forecasts."
        ),
    ] = None,
    rule: Annotated[
        str, typer.Option("--rule", help="How goals combine: worst (default), share or mean-score.")
    ] = "worst",
    base_year: Annotated[
        int | None, typer.Option("--base-year", help="Base year of the growth rates (2015).")
    ] = None,
    format: FormatOption = "text",
    table: Annotated[
        str,
        typer.Option(
            "--table",
            help="For csv: indicators (default), goals, forecasts, findings, observations.",
        ),
    ] = "indicators",
    explain: Annotated[
        str | None,
        typer.Option("--explain", help="Explain one goal (id, title or IRI): what decided it."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also write the results with provenance as Turtle."),
    ] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Progress of every nyckeltal and goal (Open SDG method), with forecasts and findings."""
    from goalgraph.followup import status as status_of

    _check_format(format)
    if table not in TABLES:
        raise typer.BadParameter("use " + ", ".join(TABLES), param_hint="--table")
    if output is not None:
        from goalgraph.destinations import check_outputs

        check_outputs([output], inputs=[*(sources or []), *([store] if store else [])])
    report = status_of(
        graph_from(sources, store=store, endpoint=endpoint),
        year=year,
        at=at,
        kommun=kommun,
        rule=rule,
        base_year=base_year,
    )
    if output is not None:
        _write_turtle(report.to_triples(), output)
    if explain is not None:
        typer.echo(report.explain(explain))
    elif format == "text":
        typer.echo(report.to_text())
    elif format == "json":
        typer.echo(report.to_json())
    else:
        echo_csv(getattr(report, table), format)


def _write_turtle(triples: list[ox.Triple], path: Path) -> None:
    import pyoxigraph as ox

    from goalgraph.graph import PREFIXES, write_atomically

    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    write_atomically(path, text.decode("utf-8"))


@app.command()
def compare(
    kommun: Annotated[
        list[str],
        typer.Option("--kommun", help="A kommun to compare (code); repeat for each, e.g. 0685."),
    ],
    sources: ReadSources = None,
    year: YearOption = None,
    rank: Annotated[
        bool, typer.Option("--rank", help="Rank the kommuner in the desired direction.")
    ] = False,
    format: FormatOption = "text",
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Nyckeltal values and statuses of several kommuner side by side (egen bearbetning)."""
    from goalgraph.followup import compare as compare_kommuner

    _check_format(format)
    graph = graph_from(sources, store=store, endpoint=endpoint)
    comparison = compare_kommuner(graph, kommun, year=year, rank=rank)
    if format == "text":
        typer.echo(comparison.to_text())
    elif format == "json":
        typer.echo(comparison.to_json())
    else:
        echo_csv(comparison.values, format)
