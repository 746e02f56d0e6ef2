"""Core commands: convert RDF between formats, summarise a graph, document the vocabulary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from goalgraph.cli import app
from goalgraph.cli.sources import EndpointOption, ReadSources, StoreOption, graph_from

Format = Literal["turtle", "json-ld", "n-triples"]


@app.command()
def convert(
    sources: Annotated[list[Path], typer.Argument(help="RDF files or folders to read.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write (default: standard output)."),
    ] = None,
    to: Annotated[str, typer.Option("--to", help="turtle, json-ld or n-triples.")] = "turtle",
) -> None:
    """Read RDF sources and write the user's data as Turtle, JSON-LD or N-Triples."""
    from goalgraph.cli.ending import keep
    from goalgraph.destinations import check_outputs
    from goalgraph.loading import load

    if to not in ("turtle", "json-ld", "n-triples"):
        raise typer.BadParameter("use turtle, json-ld or n-triples", param_hint="--to")
    if output is not None:
        check_outputs([output], inputs=sources)
    graph = keep(load(*sources))
    fmt: Format = to  # type: ignore[assignment]
    text = graph.serialize(format=fmt, destination=output)
    if output is None:
        typer.echo(text, nl=False)


@app.command()
def info(
    sources: ReadSources = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Count what the sources hold: triples and items per class of the ontology."""
    from goalgraph.i18n import default_lang, pick_label

    graph = graph_from(sources, store=store, endpoint=endpoint)
    typer.echo(f"triples: {len(graph)}")
    rows = graph.select(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } "
        "FILTER(?g = <https://w3id.org/goalgraph/graph/data>) "
        "FILTER(STRSTARTS(STR(?class), STR(gg:))) } GROUP BY ?class ORDER BY DESC(?n) ?class",
        graphs=("data", "vocabulary"),
    )
    lang = default_lang()
    for row in rows:
        label = pick_label(graph.labels(row["class"]), lang) or row["class"].value
        typer.echo(f"{label}: {row['n'].value}")
