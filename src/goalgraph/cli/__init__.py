"""The ``goalgraph`` command line: a thin shell over the library.

Each command module below registers its commands on :data:`app`; every
command calls one library function and prints its result. A
:class:`~goalgraph.errors.GoalGraphError` becomes a one-paragraph message and
exit code 2, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from goalgraph.errors import GoalGraphError

__all__ = ["app", "main"]

err_console = Console(stderr=True, soft_wrap=True)


class _Commands(TyperGroup):
    """The command group: a GoalGraphError in any command becomes a message and exit code 2.

    ``--lang`` may also follow the command's name (``goalgraph trace --lang en …``): it is
    read as the group's option; commands with a ``--lang`` of their own keep theirs.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from goalgraph.cli.json_errors import wants_json

        ctx.meta[_JSON_ERRORS] = wants_json(args, self.commands)
        return super().parse_args(ctx, _lang_first(args, self.commands))

    def invoke(self, ctx: Any) -> Any:  # Any: typer vendors click, its Context is private
        """Run the command; under ``--format json`` an error is a JSON document on stdout
        (:mod:`goalgraph.cli.json_errors`), a usage error too; the exit code is 2 either way."""
        try:
            return super().invoke(ctx)
        except GoalGraphError as exc:
            if ctx.meta.get(_JSON_ERRORS):
                from goalgraph.cli.json_errors import echo_error

                echo_error(exc, lang=ctx.meta.get(_LANG))
            else:
                err_console.print(f"[bold red]goalgraph:[/] {exc}", highlight=False, markup=True)
            raise typer.Exit(2) from exc
        except typer.TyperException as exc:  # click's UsageError and kin, vendored by typer
            if not ctx.meta.get(_JSON_ERRORS) or getattr(exc, "exit_code", None) != 2:
                raise
            from goalgraph.cli.json_errors import echo_error

            echo_error(exc)
            raise typer.Exit(2) from exc


# ctx.meta keys (shared by a command's context and the group's): the command line asks for
# --format json, so errors are JSON too; the --lang given (messages were made in it).
_JSON_ERRORS = "goalgraph.json_errors"
_LANG = "goalgraph.lang"


app = typer.Typer(
    name="goalgraph",
    cls=_Commands,
    help="Knowledge graph and rules for municipal goal governance (målstyrning).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"goalgraph {version('goalgraph')}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of labels and messages: sv (default) or en."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show goalgraph's version and exit.",
            is_eager=True,
            callback=_show_version,
        ),
    ] = False,
    max_input_size: Annotated[
        str | None,
        typer.Option(
            "--max-input-size",
            help="Largest input file to read, e.g. 2GB (default 1GB; GOALGRAPH_MAX_INPUT_SIZE).",
        ),
    ] = None,
) -> None:
    """Knowledge graph and rules for municipal goal governance (målstyrning)."""
    _use_lang(ctx, lang)
    if max_input_size is not None:
        _use_max_input_size(ctx, max_input_size)


def _use_lang(ctx: typer.Context, lang: str | None) -> None:
    """Use *lang* for the rest of the command (GOALGRAPH_LANG), restored when it ends."""
    if lang is not None:
        if lang not in ("sv", "en"):
            raise typer.BadParameter("use sv or en", param_hint="--lang")
        _set_for_command(ctx, "GOALGRAPH_LANG", lang)
        ctx.meta[_LANG] = lang


def _use_max_input_size(ctx: typer.Context, size: str) -> None:
    """Read inputs up to *size* for the rest of the command (GOALGRAPH_MAX_INPUT_SIZE)."""
    from goalgraph.limits import parse_size

    try:
        amount = parse_size(size)
    except ValueError:
        raise typer.BadParameter(
            "give a size such as 2GB or 500MB", param_hint="--max-input-size"
        ) from None
    _set_for_command(ctx, "GOALGRAPH_MAX_INPUT_SIZE", str(amount))


def _set_for_command(ctx: typer.Context, variable: str, value: str) -> None:
    """Set the environment *variable* to *value* until the command ends."""
    previous = os.environ.get(variable)
    os.environ[variable] = value
    # restored when the command ends, so an in-process caller (tests, notebooks) is unaffected
    ctx.call_on_close(lambda: _restore(variable, previous))


def _lang_first(args: list[str], commands: Mapping[str, Any]) -> list[str]:
    """*args* with a ``--lang`` after the command name moved before it, where the group reads it.

    A command with a ``--lang`` of its own (validate, report) keeps it; ``--`` ends the options.
    """
    names = [i for i, arg in enumerate(args) if arg in commands]
    if not names:
        return args
    at = names[0]
    if any("--lang" in getattr(p, "opts", ()) for p in commands[args[at]].params):
        return args
    rest, moved = list(args[at + 1 :]), []
    i = 0
    while i < len(rest) and rest[i] != "--":
        if rest[i] == "--lang" and i + 1 < len(rest):
            moved += rest[i : i + 2]
            del rest[i : i + 2]
        elif rest[i].startswith("--lang="):
            moved.append(rest.pop(i))
        else:
            i += 1
    return [*args[:at], *moved, args[at], *rest]


def _restore(variable: str, previous: str | None) -> None:
    if previous is None:
        os.environ.pop(variable, None)
    else:
        os.environ[variable] = previous


def main() -> None:
    """Entry point of the ``goalgraph`` console script: the command line, ended without
    freeing the loaded graphs (see :mod:`goalgraph.cli.ending`)."""
    from goalgraph.cli.ending import run

    run(app)


# Command modules register themselves on import; keep this list sorted.
from goalgraph.cli import analysis  # noqa: E402, F401, I001
from goalgraph.cli import core  # noqa: E402, F401
from goalgraph.cli import followup  # noqa: E402, F401
from goalgraph.cli import kolada  # noqa: E402, F401
from goalgraph.cli import report  # noqa: E402, F401
from goalgraph.cli import serve  # noqa: E402, F401
from goalgraph.cli import spreadsheet  # noqa: E402, F401
from goalgraph.cli import store  # noqa: E402, F401
from goalgraph.cli import validate  # noqa: E402, F401
from goalgraph.cli import vocabulary  # noqa: E402, F401


def _mention_lang() -> None:
    """Name the group's ``--lang`` in the help of every command that has none of its own
    (each accepts it after its name too, see :func:`_lang_first`)."""
    import inspect

    note = "--lang sv|en: language of labels and messages (sv by default), also after the command."
    for group in (app, *(g.typer_instance for g in app.registered_groups if g.typer_instance)):
        for info in group.registered_commands:
            if info.callback is None or "lang" in inspect.signature(info.callback).parameters:
                continue
            info.epilog = f"{info.epilog}\n\n{note}" if info.epilog else note


_mention_lang()
