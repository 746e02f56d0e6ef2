"""Where a read command's graph comes from: files, a store on disk, or a SPARQL server.

Every read command takes its input the same way: trailing PATH arguments,
``--store DIR`` (a store made by ``goalgraph load --store``) or
``--endpoint URL`` (a SPARQL 1.1 query URL); exactly one of them.
:func:`graph_from` turns that choice into the graph the command works on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from goalgraph.graph import GoalGraph

__all__ = ["EndpointOption", "ReadSources", "StoreOption", "graph_from"]

ReadSources = Annotated[
    list[Path] | None,
    typer.Argument(help="Files or folders with goal data (not with --store or --endpoint)."),
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        metavar="DIR",
        help="Read a store made by 'goalgraph load --store DIR' instead of files.",
    ),
]
EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        metavar="URL",
        help="Read a SPARQL 1.1 server (its query URL) instead of files.",
    ),
]


def graph_from(
    sources: list[Path] | None,
    *,
    store: Path | None = None,
    endpoint: str | None = None,
    timeout: float = 30.0,
) -> GoalGraph:
    """The graph a read command works on: *sources* loaded, the *store* opened, or the *endpoint*.

    :raises typer.BadParameter: if none or more than one of them is given.
    :raises LoadError: if a source cannot be read.
    :raises StoreError: if *store* is not a store or cannot be opened.
    """
    from goalgraph.i18n import message

    given = sum((bool(sources), store is not None, endpoint is not None))
    if given > 1:
        raise typer.BadParameter(message("store.source_choice"), param_hint="PATH")
    if given == 0:
        raise typer.BadParameter(message("store.no_source"), param_hint="PATH")
    if store is not None:
        from goalgraph.store.disk import open_store

        return open_store(store)
    if endpoint is not None:
        from goalgraph.store.remote import RemoteGraph

        return RemoteGraph(endpoint, timeout=timeout)
    from goalgraph.loading import load

    return load(*(sources or []))
