"""Store commands: ``load`` and ``unload`` a store on disk, ``push`` to a SPARQL server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from goalgraph.cli import app, err_console

StoreDir = Annotated[
    Path, typer.Option("--store", metavar="DIR", help="The store's folder (load creates it).")
]


@app.command("load")
def load_(
    store: StoreDir,
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders with goal data; none: only refresh the vocabulary."),
    ] = None,
    recheck: Annotated[
        bool,
        typer.Option(
            "--recheck/--no-recheck",
            help="Validate the new content as part of the load if the store kept validation "
            "results (so that the next validate --store reads them); off by default: the "
            "re-check is a whole validation, and the next validate --store does it anyway.",
        ),
    ] = False,
) -> None:
    """Load goal data into a store on disk once; read commands then take --store DIR.

    Each source file lands in a named graph of its own: loading it again
    replaces it. All or nothing: if one source is wrong, the store is unchanged.
    """
    from goalgraph.i18n import message
    from goalgraph.store.disk import load_sources
    from goalgraph.store.source_graphs import expand_sources

    count = len(expand_sources(*(sources or [])))
    held = load_sources(store, *(sources or []), recheck=recheck)
    graphs = {s.graph.value for s in expand_sources(*(sources or []))}
    triples = sum(s.triples for s in held if s.graph in graphs)
    err_console.print(
        message("store.loaded", count=count, triples=triples, path=store, total=len(held)),
        highlight=False,
    )


@app.command()
def unload(
    sources: Annotated[
        list[Path], typer.Argument(help="Sources to remove: their paths, folders or graph IRIs.")
    ],
    store: StoreDir,
    recheck: Annotated[
        bool,
        typer.Option(
            "--recheck/--no-recheck",
            help="Validate what is left as part of the unload if the store kept validation "
            "results (off by default).",
        ),
    ] = False,
) -> None:
    """Remove sources from a store on disk, all at once or none."""
    from goalgraph.i18n import message
    from goalgraph.store.disk import stored_sources, unload_sources

    before = len(stored_sources(store))
    held = unload_sources(store, *sources, recheck=recheck)
    err_console.print(
        message("store.unloaded", count=before - len(held), path=store, total=len(held)),
        highlight=False,
    )


@app.command()
def push(
    sources: Annotated[list[Path], typer.Argument(help="Files or folders with goal data.")],
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            metavar="URL",
            help="The server's Graph Store URL (Oxigraph: http://HOST:7878/store).",
        ),
    ],
    graph: Annotated[
        str | None,
        typer.Option("--graph", metavar="IRI", help="One named graph for all sources."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Make each graph exactly the new content (PUT)."),
    ] = False,
    vocabulary: Annotated[
        bool,
        typer.Option(
            "--vocabulary/--no-vocabulary", help="Also write the ontology and reference data."
        ),
    ] = True,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds for each whole request.")
    ] = 60.0,
) -> None:
    """Write goal data to a SPARQL server (Graph Store Protocol), one graph per source.

    Credentials come from GOALGRAPH_ENDPOINT_USER and GOALGRAPH_ENDPOINT_PASSWORD,
    or from ~/.netrc; never from the command line.
    """
    from goalgraph.store.push import push as push_sources

    for written in push_sources(
        *sources,
        endpoint=endpoint,
        graph=graph,
        replace=replace,
        vocabulary=vocabulary,
        timeout=timeout,
    ):
        err_console.print(str(written), highlight=False)
