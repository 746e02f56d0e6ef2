"""Where a read command's graph comes from: files, a store on disk, or a SPARQL server.

Every read command takes its input the same way: trailing PATH arguments,
``--store DIR`` (a store made by ``goalgraph load --store``) or
``--endpoint URL`` (a SPARQL 1.1 query URL); exactly one of them.
:func:`graph_from` turns that choice into the graph the command works on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from goalgraph.graph import GoalGraph

__all__ = ["EndpointOption", "ReadSources", "StoreOption", "graph_from", "query_source"]

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
    shapes: Sequence[Path] = (),
) -> GoalGraph:
    """The graph a read command works on: *sources* loaded, the *store* opened, or the *endpoint*.

    *shapes*: the user's shapes files the graph will be validated with (see
    :func:`goalgraph.load`).

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
    from goalgraph.cli.ending import keep
    from goalgraph.loading import load

    return keep(load(*(sources or []), shapes=shapes))


def query_source(url: str, *, timeout: float, default_graphs: list[str]) -> GoalGraph:
    """What ``query --endpoint`` reads: goalgraph's layout if the server has it, else the server.

    With *default_graphs* (``--default-graph``) the user names the dataset: the
    query runs as it is on the union of those graphs. Without, a server holding
    goalgraph's vocabulary graph (what ``push`` writes) is read as the embedded
    store would be; any other server (a user's own) is queried on its default
    dataset as it is, and a note on stderr says so. Every way goes through one
    :class:`~goalgraph.store.remote.RemoteStore`, so each has the same deadline,
    size limit, answer checks and row-cap detection.

    :raises EndpointError: if the server cannot be reached or answers with an error.
    """
    from goalgraph.store.remote import RemoteGraph

    if default_graphs:
        return RemoteGraph(url, timeout=timeout, as_is=True, default_graphs=default_graphs)
    remote = RemoteGraph(url, timeout=timeout)
    if remote.store.has_layout():
        return remote
    from goalgraph.cli import err_console
    from goalgraph.i18n import message

    err_console.print(message("remote.plain_endpoint", url=url), highlight=False)
    return RemoteGraph(url, timeout=timeout, as_is=True)
