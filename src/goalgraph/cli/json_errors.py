"""Errors as JSON: under ``--format json`` an input or usage error is a JSON document on stdout.

A tool that reads goalgraph's JSON reads its errors the same way: the error
document (``error.schema.json``, see :func:`goalgraph.contract.error_document`)
replaces the result on standard output, nothing goes to standard error, and the
exit code stays 2.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["echo_error", "wants_json"]

_FORMAT_OPTIONS = ("--format", "-f")


def wants_json(args: Sequence[str], commands: Mapping[str, Any]) -> bool:
    """True when *args* (the words after ``goalgraph``) ask a command for ``--format json``.

    The options are read as written (``--format json``, ``--format=json``, ``-f json``,
    ``-fjson``), up to ``--``, after the first word that names a command (or a command
    of a group such as ``kolada search``) that has a ``--format`` option.

    :raises: nothing.

    >>> from goalgraph.cli import app
    >>> import typer.main
    >>> commands = typer.main.get_group(app).commands
    >>> wants_json(["validate", "x.ttl", "--format", "json"], commands)
    True
    >>> wants_json(["validate", "x.ttl", "--", "--format=json"], commands)
    False
    """
    at = next((i for i, arg in enumerate(args) if arg in commands), None)
    if at is None:
        return False
    command = commands[args[at]]
    nested = getattr(command, "commands", None)
    if nested:
        return wants_json(args[at + 1 :], nested)
    if not any(opt in _FORMAT_OPTIONS for p in command.params for opt in getattr(p, "opts", ())):
        return False
    rest = list(args[at + 1 :])
    if "--" in rest:
        rest = rest[: rest.index("--")]
    for i, arg in enumerate(rest):
        if arg in _FORMAT_OPTIONS and i + 1 < len(rest):
            value = rest[i + 1]
        elif arg.startswith("--format="):
            value = arg.partition("=")[2]
        elif arg.startswith("-f") and not arg.startswith("--"):
            value = arg[2:]
        else:
            continue
        if value == "json":
            return True
    return False


def echo_error(error: Exception, *, lang: str | None = None) -> None:
    """Print the JSON error document for *error* on standard output.

    *lang* is the language goalgraph's message was made in (default: the current
    default). A usage error from the command-line parser (an unknown option, a wrong
    value) is given in English, the parser's language, with the option it concerns.

    :raises: nothing.
    """
    import typer

    from goalgraph.contract import error_document
    from goalgraph.errors import GoalGraphError

    if isinstance(error, GoalGraphError):
        document = error_document(error, lang=lang)
    else:
        document = error_document(error, lang="en", message=_usage_message(error))
        option = _option(error)
        if option:
            document["option"] = option
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


def _usage_message(error: Exception) -> str:
    format_message = getattr(error, "format_message", None)
    text = format_message() if callable(format_message) else str(error)
    return str(text) or type(error).__name__


def _option(error: Exception) -> str | None:
    """The option or argument a usage error is about, where the parser says so."""
    name = getattr(error, "option_name", None)
    if isinstance(name, str) and name:
        return name
    hint = getattr(error, "param_hint", None)
    if isinstance(hint, str) and hint:
        return hint
    if isinstance(hint, Sequence) and hint:
        return " / ".join(map(str, hint))
    param = getattr(error, "param", None)
    opts = getattr(param, "opts", None)
    return str(opts[0]) if opts else None
