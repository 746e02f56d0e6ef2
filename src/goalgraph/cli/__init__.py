"""The ``goalgraph`` command line: a thin shell over the library.

Each command module below registers its commands on :data:`app`; every
command calls one library function and prints its result. A
:class:`~goalgraph.errors.GoalGraphError` becomes a one-paragraph message and
exit code 2, never a traceback.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from goalgraph.errors import GoalGraphError

__all__ = ["app", "main"]

err_console = Console(stderr=True, soft_wrap=True)


class _Commands(TyperGroup):
    """The command group: a GoalGraphError in any command becomes a message and exit code 2."""

    def invoke(self, ctx: Any) -> Any:  # Any: typer vendors click, its Context is private
        try:
            return super().invoke(ctx)
        except GoalGraphError as exc:
            err_console.print(f"[bold red]goalgraph:[/] {exc}", highlight=False, markup=True)
            raise typer.Exit(2) from exc


app = typer.Typer(
    name="goalgraph",
    cls=_Commands,
    help="Knowledge graph and rules for municipal goal governance (målstyrning).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of labels and messages: sv (default) or en."),
    ] = None,
) -> None:
    """Knowledge graph and rules for municipal goal governance (målstyrning)."""
    if lang is not None:
        if lang not in ("sv", "en"):
            raise typer.BadParameter("use sv or en", param_hint="--lang")
        previous = os.environ.get("GOALGRAPH_LANG")
        os.environ["GOALGRAPH_LANG"] = lang
        # restored when the command ends, so an in-process caller (tests, notebooks) is unaffected
        ctx.call_on_close(lambda: _restore_lang(previous))


def _restore_lang(previous: str | None) -> None:
    if previous is None:
        os.environ.pop("GOALGRAPH_LANG", None)
    else:
        os.environ["GOALGRAPH_LANG"] = previous


def main() -> None:
    """Entry point of the ``goalgraph`` console script."""
    app()


# Command modules register themselves on import; keep this list sorted.
from goalgraph.cli import analysis  # noqa: E402, F401, I001
from goalgraph.cli import core  # noqa: E402, F401
from goalgraph.cli import followup  # noqa: E402, F401
from goalgraph.cli import kolada  # noqa: E402, F401
from goalgraph.cli import report  # noqa: E402, F401
from goalgraph.cli import spreadsheet  # noqa: E402, F401
from goalgraph.cli import validate  # noqa: E402, F401
from goalgraph.cli import vocabulary  # noqa: E402, F401
