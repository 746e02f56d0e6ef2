"""``goalgraph serve``: hold the graph in memory and answer other tools over HTTP."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from goalgraph.cli import app
from goalgraph.cli.sources import StoreOption


@app.command()
def serve(
    ctx: typer.Context,
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders with goal data (not with --store)."),
    ] = None,
    store: StoreOption = None,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on (default 127.0.0.1: this computer only)."
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")
    ] = 8700,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.001,
            help="Seconds a SPARQL query may run, and a request may wait for a change.",
        ),
    ] = 30.0,
    max_request_size: Annotated[
        str | None,
        typer.Option(
            "--max-request-size",
            help="Largest request body, e.g. 50MB (default 10MB; GOALGRAPH_MAX_REQUEST_SIZE).",
        ),
    ] = None,
    max_answer_size: Annotated[
        str | None,
        typer.Option(
            "--max-answer-size",
            help="Largest SPARQL answer, e.g. 200MB (default 64MB; GOALGRAPH_MAX_ANSWER_SIZE).",
        ),
    ] = None,
) -> None:
    """Load the data once and answer SPARQL, validate (full and per change), trace, coverage
    and status over HTTP with JSON; OpenAPI at /openapi.json. See docs/service.md.

    With --store the store is copied into memory; changes are never written to it.
    """
    import uvicorn

    from goalgraph.cli import _set_for_command, err_console
    from goalgraph.cli.sources import graph_from
    from goalgraph.i18n import default_lang, message
    from goalgraph.service import ServiceState, create_app

    for option, value, variable in (
        ("--max-request-size", max_request_size, "GOALGRAPH_MAX_REQUEST_SIZE"),
        ("--max-answer-size", max_answer_size, "GOALGRAPH_MAX_ANSWER_SIZE"),
    ):
        if value is not None:
            _set_for_command(ctx, variable, str(_size(value, option)))
    if bool(sources) == (store is not None):
        graph_from(sources, store=store)  # explains the clash, or that a source is missing
    state = ServiceState.from_sources(
        sources or [], store=store, lang=default_lang(), timeout=timeout
    )
    if store is not None:
        err_console.print(message("serve.store_in_memory", path=store), highlight=False)
    if not _loopback(host):
        err_console.print(
            f"[yellow]{message('serve.not_loopback', host=host, port=port)}[/]", highlight=False
        )
    err_console.print(
        message("serve.listening", host=host, port=port, triples=state.triples()),
        highlight=False,
    )
    uvicorn.run(create_app(state), host=host, port=port, log_level="warning")


def _size(value: str, option: str) -> int:
    from goalgraph.limits import parse_size

    try:
        return parse_size(value)
    except ValueError:
        raise typer.BadParameter("give a size such as 2MB or 500KB", param_hint=option) from None


def _loopback(host: str) -> bool:
    """Whether *host* is reachable from this computer only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
