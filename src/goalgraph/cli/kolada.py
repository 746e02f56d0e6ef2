"""Kolada commands: fetch the data's nyckeltal values as observations, search for Kolada ids."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from goalgraph.cli import app, err_console

if TYPE_CHECKING:
    from goalgraph.kolada import KoladaClient, Proposal

kolada_app = typer.Typer(
    name="kolada",
    help="Fetch nyckeltal values from Kolada, or search Kolada for the id of a nyckeltal.",
    no_args_is_help=True,
)
app.add_typer(kolada_app, name="kolada")

BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="Kolada API address (default $GOALGRAPH_KOLADA_URL or https://api.kolada.se/v3).",
    ),
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Folder of cached answers "
        "(default $GOALGRAPH_KOLADA_CACHE or ~/.cache/goalgraph/kolada).",
    ),
]
RefreshOption = Annotated[
    bool, typer.Option("--refresh", help="Fetch again instead of reading cached answers.")
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", help="Seconds for one whole request, body included.")
]
RetriesOption = Annotated[
    int, typer.Option("--retries", help="Tries again after a 429 or 5xx answer, with backoff.")
]


def _client(
    base_url: str | None, cache_dir: Path | None, refresh: bool, timeout: float, retries: int
) -> KoladaClient:
    from goalgraph.kolada import KoladaClient, Politeness, ResponseCache, default_cache_dir

    if timeout <= 0:
        raise typer.BadParameter("give a positive number of seconds", param_hint="--timeout")
    if retries < 0:
        raise typer.BadParameter("give 0 or more", param_hint="--retries")
    return KoladaClient(
        base_url=base_url,
        cache=ResponseCache(cache_dir or default_cache_dir()),
        refresh=refresh,
        politeness=Politeness(timeout=timeout, max_retries=retries),
    )


@kolada_app.command("fetch")
def fetch(
    sources: Annotated[
        list[Path], typer.Argument(help="RDF files or folders, or import files, to read.")
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Turtle file to write the observations to.")
    ],
    kommun: Annotated[
        list[str] | None,
        typer.Option(
            "--kommun", help="Fetch for this kommun (code, repeatable) instead of the data's own."
        ),
    ] = None,
    years: Annotated[
        str | None,
        typer.Option("--years", help="Years: 2023, 2015-2025 or 2015,2020 (default: all)."),
    ] = None,
    refresh: RefreshOption = False,
    base_url: BaseUrlOption = None,
    cache_dir: CacheDirOption = None,
    timeout: TimeoutOption = 30.0,
    retries: RetriesOption = 4,
) -> None:
    """Fetch from Kolada every nyckeltal of the data that has a Kolada id, as observations.

    Values are fetched for the kommun that owns each nyckeltal, or for the
    --kommun codes given. Nothing is written if anything goes wrong.
    """
    from rich.progress import Progress

    from goalgraph.destinations import check_outputs
    from goalgraph.i18n import message
    from goalgraph.kolada import fetch_observations, parse_years
    from goalgraph.loading import load

    try:
        chosen_years = parse_years(years) if years is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--years") from exc
    check_outputs([output], inputs=sources)  # found out before fetching, not after
    graph = load(*sources)
    with (
        _client(base_url, cache_dir, refresh, timeout, retries) as client,
        Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as bar,
    ):
        task = bar.add_task(message("kolada.progress"), total=None)
        observations = fetch_observations(
            graph,
            client,
            kommuner=kommun or None,
            years=chosen_years,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    observations.write(output)  # OutputError (exit 2) if it cannot be written
    if observations.missing:
        pairs = ", ".join(f"{kpi} ({code})" for kpi, code in observations.missing)
        err_console.print(message("kolada.missing_values", pairs=pairs), highlight=False)
    err_console.print(
        message(
            "kolada.written",
            observations=observations.count,
            indicators=observations.indicators,
            kommuner=", ".join(observations.kommuner),
            output=output,
        ),
        highlight=False,
    )


@kolada_app.command("search")
def search(
    text: Annotated[
        str,
        typer.Argument(help="A nyckeltal title, or the local id of a nyckeltal of the data."),
    ],
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="RDF files or folders; a local id of theirs is searched by its title."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many.")] = 10,
    format: Annotated[
        str, typer.Option("--format", "-f", help="table (default) or json.")
    ] = "table",
    refresh: RefreshOption = False,
    base_url: BaseUrlOption = None,
    cache_dir: CacheDirOption = None,
    timeout: TimeoutOption = 30.0,
    retries: RetriesOption = 4,
) -> None:
    """Propose Kolada ids for a nyckeltal title. Only prints; nothing is ever changed."""
    from goalgraph.i18n import message
    from goalgraph.kolada import propose_kpis, titles_of
    from goalgraph.loading import load

    if format not in ("table", "json"):
        raise typer.BadParameter("use table or json", param_hint="--format")
    if not text.strip():
        raise typer.BadParameter(message("kolada.search_blank"), param_hint="TEXT")
    if limit < 1:
        raise typer.BadParameter("give at least 1", param_hint="--limit")
    titles = titles_of(load(*sources), text) if sources else []
    for title in titles:
        err_console.print(message("kolada.search_by_title", id=text, title=title), highlight=False)
    with _client(base_url, cache_dir, refresh, timeout, retries) as client:
        results = [(title, propose_kpis(client, title, limit=limit)) for title in titles or [text]]
    if format == "json":
        import pandas as pd

        from goalgraph.cli.analysis import table_json

        columns = ["query", "id", "title", "operating_area", "similarity"]
        rows = [
            (title, p.kpi.id, p.kpi.title, p.kpi.operating_area, p.score)
            for title, proposals in results
            for p in proposals
        ]
        typer.echo(table_json(pd.DataFrame(rows, columns=columns)))
        return
    for title, proposals in results:
        _print_table(title, proposals)
    err_console.print(message("kolada.search_note"), highlight=False)


def _print_table(title: str, proposals: list[Proposal]) -> None:
    from rich.console import Console
    from rich.table import Table

    from goalgraph.i18n import message

    if not proposals:
        typer.echo(message("kolada.search_none", text=title))
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    for key in ("column_id", "column_title", "column_area"):
        table.add_column(message(f"kolada.{key}"), overflow="fold")
    for proposal in proposals:
        table.add_row(proposal.kpi.id, proposal.kpi.title, proposal.kpi.operating_area)
    Console(soft_wrap=False, highlight=False).print(table)
