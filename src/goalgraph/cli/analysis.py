"""Analysis commands: trace, coverage, grid, impact, structure, query, queries, infer, consistency.

Each command loads the RDF files or folders given as trailing PATH arguments
(or reads ``--store DIR`` or ``--endpoint URL``: see :mod:`goalgraph.cli.sources`),
calls one library function and prints its result as a table (default), CSV
(``csv``, or ``csv-excel`` for Excel: see :mod:`goalgraph.cli.output`) or JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from goalgraph.cli import app
from goalgraph.cli.output import CSV_FORMATS, echo_csv
from goalgraph.cli.sources import (
    EndpointOption,
    ReadSources,
    StoreOption,
    graph_from,
    query_source,
)

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.graph import GoalGraph

FORMATS = ("table", *CSV_FORMATS, "json")
Sources = Annotated[list[Path], typer.Argument(help="RDF files or folders to read.")]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", help="table (default), csv, csv-excel (';', BOM: for Excel) or json."
    ),
]
KommunOption = Annotated[
    str | None, typer.Option("--kommun", help="Only this kommun (code, e.g. 0685).")
]


def _load(
    sources: list[Path] | None, store: Path | None = None, endpoint: str | None = None
) -> GoalGraph:
    return graph_from(sources, store=store, endpoint=endpoint)


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise typer.BadParameter("use table, csv, csv-excel or json", param_hint="--format")


def table_json(frame: pd.DataFrame) -> str:
    """*frame* as a table document (``table.schema.json``): its columns and one object per row.

    :raises: nothing.

    >>> import pandas as pd
    >>> document = json.loads(table_json(pd.DataFrame({"a": [1]})))
    >>> document["$schema"], document["columns"], document["rows"]
    ('https://w3id.org/goalgraph/schema/table/1', ['a'], [{'a': 1}])
    """
    from goalgraph.contract import stamped
    from goalgraph.gaps import records

    document = stamped(
        "table", {"columns": [str(c) for c in frame.columns], "rows": records(frame)}
    )
    return json.dumps(document, ensure_ascii=False, indent=2)


def _emit(frame: pd.DataFrame, format: str, *, index: bool = False) -> None:
    if format in CSV_FORMATS:
        echo_csv(frame, format, index=index)
    elif format == "json":
        typer.echo(table_json(frame.reset_index() if index else frame))
    elif frame.empty:
        from goalgraph.i18n import message

        typer.echo(message("analysis.no_rows"))
    else:
        typer.echo(frame.to_string(index=index))


@app.command()
def trace(
    goal: Annotated[str, typer.Argument(help="The goal: IRI, local id (e.g. KFN-1) or title.")],
    sources: ReadSources = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="text (default: one explanation per line), table, csv, csv-excel or json.",
        ),
    ] = "text",
    kommun: Annotated[
        str | None,
        typer.Option("--kommun", help="The goal's kommun (code, e.g. 0685) when ids repeat."),
    ] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Every path from a goal up to the vision and out to SDGs, RUS areas, perspectives, etc."""
    from goalgraph.traceability import trace as trace_goal

    if format not in ("text", *FORMATS):
        raise typer.BadParameter("use text, table, csv, csv-excel or json", param_hint="--format")
    result = trace_goal(_load(sources, store, endpoint), goal, kommun=kommun)
    if format == "text":
        typer.echo(result.explain())
        return
    if format == "json":
        typer.echo(result.to_json())
        return
    frame = result.to_frame()
    if format == "table":
        frame = frame[["target_kind", "target_label", "hops", "status", "entailed"]]
    _emit(frame, format)


@app.command()
def coverage(
    sources: ReadSources = None,
    by: Annotated[
        str, typer.Option("--by", help="sdg, target, rus, perspective, challenge or riktning.")
    ] = "sdg",
    kommun: KommunOption = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Only goals of this class, e.g. CommitteeGoal; repeatable."),
    ] = None,
    show: Annotated[
        str,
        typer.Option(
            "--show", help="For table/csv: all (table only), matrix, gaps, namnd or kommun."
        ),
    ] = "all",
    format: FormatOption = "table",
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Which goals reach which SDGs, targets, RUS areas, perspectives, ...; and the gaps."""
    from goalgraph.gaps import DIMENSIONS
    from goalgraph.gaps import coverage as coverage_of

    _check_format(format)
    if by not in DIMENSIONS:
        raise typer.BadParameter("use " + ", ".join(DIMENSIONS), param_hint="--by")
    sections = ("all", "matrix", "gaps", "namnd", "kommun")
    if show not in sections:
        raise typer.BadParameter("use " + ", ".join(sections), param_hint="--show")
    kinds = tuple(kind) if kind else None
    report = coverage_of(_load(sources, store, endpoint), by, kommun=kommun, kinds=kinds)  # type: ignore[arg-type]
    if format == "json":
        typer.echo(report.to_json())
        return
    frames = {
        "matrix": (report.labelled_matrix(), True),
        "gaps": (report.gaps, False),
        "namnd": (report.by_organisation, False),
        "kommun": (report.by_kommun, False),
    }
    if show == "all" and format in CSV_FORMATS:
        show = "matrix"
    for name, (frame, index) in frames.items():
        if show in ("all", name):
            if show == "all":
                typer.echo(f"\n## {name}")
            _emit(frame, format, index=index)


@app.command()
def grid(
    sources: ReadSources = None,
    kommun: KommunOption = None,
    names: Annotated[
        bool, typer.Option("--names", help="List the delstrategier in each cell.")
    ] = False,
    format: FormatOption = "table",
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Delstrategier per riktning × perspective (Bo, Leva, Verka), as in Vetlanda's Bilaga 2."""
    from goalgraph.gaps import substrategy_grid

    _check_format(format)
    _emit(
        substrategy_grid(_load(sources, store, endpoint), kommun=kommun, names=names),
        format,
        index=True,
    )


@app.command()
def impact(
    node: Annotated[
        str, typer.Argument(help="A KF goal, delstrategi, indicator, ...: IRI, id or title.")
    ],
    sources: ReadSources = None,
    format: FormatOption = "table",
    kommun: Annotated[
        str | None,
        typer.Option("--kommun", help="The item's kommun (code, e.g. 0685) when ids repeat."),
    ] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Everything that depends on a KF goal, delstrategi or indicator: what a change would touch."""
    from goalgraph.dependents import impact as impact_of

    _check_format(format)
    frame = impact_of(_load(sources, store, endpoint), node, kommun=kommun)
    if format == "table":
        frame = frame[["distance", "kind_label", "label", "explanation"]]
    _emit(frame, format)


@app.command()
def structure(
    sources: ReadSources = None,
    show: Annotated[
        str, typer.Option("--show", help="orphans (default), cycles or hubs.")
    ] = "orphans",
    format: FormatOption = "table",
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Orphan goals, cycles of upward links, or the hubs carrying most nämnd goals."""
    from goalgraph import structure as structure_module

    _check_format(format)
    if show not in ("orphans", "cycles", "hubs"):
        raise typer.BadParameter("use orphans, cycles or hubs", param_hint="--show")
    frame = getattr(structure_module, show)(_load(sources, store, endpoint))
    if format == "table" and show != "cycles":
        keep = ["kind_label", "identifier", "label", "kommun"]
        frame = frame[keep + (["committee_goals", "goals"] if show == "hubs" else [])]
    _emit(frame, format)


def _params(values: list[str]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{item!r}: use NAME=VALUE", param_hint="--param")
        params[name.strip()] = value
    return params


@app.command()
def query(
    name: Annotated[
        str, typer.Argument(help="A named query (see `goalgraph queries`) or an .rq file.")
    ],
    sources: Annotated[
        list[Path] | None, typer.Argument(help="RDF files or folders (not needed with --endpoint).")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE, repeatable.")
    ] = None,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="Run on this SPARQL endpoint URL instead.")
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.001,
            help="Time limit in seconds for a whole request to the endpoint (or, with "
            "--allow-service, for the query's services).",
        ),
    ] = 30.0,
    default_graph: Annotated[
        list[str] | None,
        typer.Option("--default-graph", help="With --endpoint: a graph IRI to read, repeatable."),
    ] = None,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            help="Let the query's SERVICE clauses send requests over the network.",
        ),
    ] = False,
    format: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Run a named SPARQL query (or .rq file) on the given data or on a SPARQL endpoint.

    A SERVICE clause in a query on local data is refused unless --allow-service.
    """
    from goalgraph.query_library import run_query

    _check_format(format)
    params = _params(param or [])
    if endpoint:
        if sources or store is not None:
            graph_from(sources, store=store, endpoint=endpoint)  # explains the clash
        frame = run_query(
            query_source(endpoint, timeout=timeout, default_graphs=default_graph or []),
            name,
            params,
            allow_service=allow_service,
            timeout=timeout,
        )
    else:
        if not sources and store is None:
            raise typer.BadParameter("give RDF files or folders, or --endpoint", param_hint="PATH")
        graph = _load(sources, store)
        frame = run_query(graph, name, params, allow_service=allow_service, timeout=timeout)
        if frame.empty:
            _check_matched(graph, name, params)
    _emit(frame, format)


def _check_matched(graph: GoalGraph, name: str, params: dict[str, str]) -> None:
    """Raise when the answer is empty because a parameter's value occurs nowhere in the data."""
    from goalgraph.errors import UnknownTermError
    from goalgraph.i18n import message
    from goalgraph.query_library import unmatched

    missing = unmatched(graph, name, params)
    if missing:
        values = ", ".join(f"{param}={params[param]}" for param in missing)
        raise UnknownTermError(
            message("analysis.param_matches_nothing", query=name, values=values),
            term=params[missing[0]],
        )


@app.command()
def queries(
    format: FormatOption = "table",
) -> None:
    """List the named SPARQL queries with what they answer and their parameters."""
    import pandas as pd

    from goalgraph.query_library import queries as all_queries

    _check_format(format)
    rows = [
        {
            "name": q.name,
            "params": ", ".join(p.name + ("" if p.required else "?") for p in q.params),
            "description": q.description(),
        }
        for q in all_queries()
    ]
    frame = pd.DataFrame(rows, columns=["name", "params", "description"])
    if format == "table":
        for row in rows:
            typer.echo(f"{row['name']}  ({row['params'] or '-'})\n    {row['description']}")
        return
    _emit(frame, format)


@app.command()
def infer(
    sources: Sources,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Turtle file to write (default: standard output)."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="rules (fast, default) or owlrl.")
    ] = "rules",
) -> None:
    """Write the triples the ontology implies about the data (the inferred graph) as Turtle."""
    from goalgraph.destinations import check_outputs
    from goalgraph.reasoning import infer as infer_graph

    if engine not in ("rules", "owlrl"):
        raise typer.BadParameter("use rules or owlrl", param_hint="--engine")
    if output is not None:
        check_outputs([output], inputs=sources)
    graph = _load(sources)
    infer_graph(graph, engine=engine)  # type: ignore[arg-type]
    text = graph.serialize(graphs=("inferred",), destination=output)
    if output is None:
        typer.echo(text, nl=False)


@app.command()
def consistency(
    sources: ReadSources = None, store: StoreOption = None, endpoint: EndpointOption = None
) -> None:
    """Check ontology plus data for contradictions with HermiT; exit 1 when inconsistent."""
    from goalgraph.reasoning import check_consistency

    report = check_consistency(_load(sources, store, endpoint))
    typer.echo(report.summary())
    if not report.consistent:
        raise typer.Exit(1)
