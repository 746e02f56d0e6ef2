"""How the command line ends its process: output flushed, then memory left to the system.

Freeing a loaded national graph (2 M triples) object by object takes pyoxigraph
about 1.5 s, a quarter of the time it took to load; the operating system takes
the same memory back at once when the process ends. So :func:`run` runs the
command line, flushes its output, and ends the process with :func:`os._exit`,
and :func:`keep` holds the graphs a command loaded until then, so that they are
not freed when the command returns.

This is safe because every command finishes its work before it returns: output
files are written whole (``goalgraph.destinations``), a store on disk is
flushed and closed before its generation is published, and the threads left
behind are idle pool workers or deadline threads whose caller already has its
answer. Only :func:`run` turns :func:`keep` on: a command called in-process
(a test, ``typer.testing.CliRunner``) frees its graphs as usual.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

__all__ = ["keep", "run"]

_T = TypeVar("_T")

#: what :func:`keep` holds until the process ends; ``None`` outside :func:`run`
_kept: list[object] | None = None


def keep(value: _T) -> _T:
    """*value*, held until the process ends when the command line runs under :func:`run`.

    >>> graph = object()
    >>> keep(graph) is graph
    True
    """
    if _kept is not None:
        _kept.append(value)
    return value


def run(command_line: Callable[[], object]) -> NoReturn:
    """Run *command_line* (a typer app, which ends by raising :class:`SystemExit`), flush
    the output, and end the process with its exit code without freeing memory.

    An exit code that is not a number (a message given to ``sys.exit``), an error that
    escapes the command line, or output that cannot be flushed (a closed pipe) ends the
    process the usual way instead.
    """
    global _kept
    _kept = []
    try:
        command_line()
        code: object = 0
    except SystemExit as end:
        code = 0 if end.code is None else end.code
    if not isinstance(code, int) or isinstance(code, bool):
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: let Python report it as usual
        raise SystemExit(code) from None
    logging.shutdown()
    os._exit(code)
