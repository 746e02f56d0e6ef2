"""How much goalgraph reads from one input, and how to allow more.

Every input file is checked against these limits before (or while) it is read, so
that a huge, compressed or self-multiplying file ends in a clear error naming the
file, the limit and how to raise it, instead of exhausting the machine. Each limit
is read from its environment variable when it is checked; the CLI's global option
``--max-input-size`` sets ``GOALGRAPH_MAX_INPUT_SIZE`` for one command.

=========================  =====================================  ============
limit                      environment variable                   default
=========================  =====================================  ============
size of one input file     ``GOALGRAPH_MAX_INPUT_SIZE``           1 GB
unzipped size of a         (the same limit, on the sum of the
workbook                   workbook's parts)
unzip ratio of a workbook  ``GOALGRAPH_MAX_ZIP_RATIO``            200
cells of one import file   ``GOALGRAPH_MAX_CELLS``                5000000
nesting depth (YAML,       ``GOALGRAPH_MAX_DEPTH``                64
JSON-LD)
body of one request to     ``GOALGRAPH_MAX_REQUEST_SIZE``         10 MB
``goalgraph serve``
answer to one SPARQL       ``GOALGRAPH_MAX_ANSWER_SIZE``          64 MB
query of ``goalgraph
serve``
=========================  =====================================  ============

>>> limit("input_size").value >= 1024**3
True
>>> parse_size("2GB")
2147483648
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from goalgraph.errors import LoadError
from goalgraph.i18n import message

__all__ = ["Limit", "check_size", "exceeded", "format_size", "limit", "parse_size"]

_UNITS = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}
_SIZE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([KMGT]?B?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Limit:
    """One limit: its name, current value, environment variable and CLI option (if any)."""

    name: str
    value: int
    variable: str
    option: str | None
    is_size: bool

    def shown(self, amount: int | None = None) -> str:
        """*amount* (default: the limit) as people read it: ``1 GB`` for sizes, digits else.

        >>> limit("input_size").shown(1536)
        '1.5 KB'
        """
        amount = self.value if amount is None else amount
        return format_size(amount) if self.is_size else str(amount)


_DEFAULTS: dict[str, tuple[int, str, str | None, bool]] = {
    "input_size": (1024**3, "GOALGRAPH_MAX_INPUT_SIZE", "--max-input-size", True),
    "zip_ratio": (200, "GOALGRAPH_MAX_ZIP_RATIO", None, False),
    "cells": (5_000_000, "GOALGRAPH_MAX_CELLS", None, False),
    "depth": (64, "GOALGRAPH_MAX_DEPTH", None, False),
    # the unzipped size of a workbook shares the input size limit and its setting
    "unzipped_size": (1024**3, "GOALGRAPH_MAX_INPUT_SIZE", "--max-input-size", True),
    # nodes of a YAML file once its aliases are expanded: a multiple of the cells
    "expansion": (5_000_000, "GOALGRAPH_MAX_CELLS", None, False),
    # the service (goalgraph serve): a request's body, and one SPARQL answer
    "request_size": (10 * 1024**2, "GOALGRAPH_MAX_REQUEST_SIZE", "--max-request-size", True),
    "answer_size": (64 * 1024**2, "GOALGRAPH_MAX_ANSWER_SIZE", "--max-answer-size", True),
}


def limit(name: str) -> Limit:
    """The limit called *name* (input_size, zip_ratio, cells, depth), as set now.

    :raises LoadError: if its environment variable holds no valid amount.
    :raises KeyError: if there is no limit called *name*.

    >>> limit("depth").variable
    'GOALGRAPH_MAX_DEPTH'
    """
    default, variable, option, is_size = _DEFAULTS[name]
    text = os.environ.get(variable, "").strip()
    if not text:
        return Limit(name, default, variable, option, is_size)
    try:
        value = parse_size(text) if is_size else int(text)
    except ValueError:
        raise LoadError(message("limits.bad_setting", variable=variable, value=text)) from None
    if value <= 0:
        raise LoadError(message("limits.bad_setting", variable=variable, value=text))
    return Limit(name, value, variable, option, is_size)


def parse_size(text: str) -> int:
    """Bytes in a size such as ``500MB``, ``2 GB``, ``1,5GB`` or ``1048576`` (1 KB = 1024 B).

    :raises ValueError: if *text* is not such a size.

    >>> parse_size("1.5 KB")
    1536
    >>> parse_size("lots")
    Traceback (most recent call last):
    ...
    ValueError: not a size: 'lots'
    """
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(f"not a size: {text!r}")
    number, unit = match.groups()
    unit = unit.upper()
    if unit and not unit.endswith("B"):
        unit += "B"
    return int(float(number.replace(",", ".")) * _UNITS[unit])


def format_size(amount: int) -> str:
    """*amount* bytes in the largest unit that keeps it at least 1, one decimal at most.

    :raises: nothing; any int is shown (negative amounts in bytes).

    >>> format_size(5 * 1024**3)
    '5 GB'
    >>> format_size(900)
    '900 B'
    """
    for unit in ("TB", "GB", "MB", "KB"):
        if amount >= _UNITS[unit]:
            shown = f"{amount / _UNITS[unit]:.1f}".removesuffix(".0")
            return f"{shown} {unit}"
    return f"{amount} B"


def exceeded(name: str, *, path: str | Path, amount: int, line: int | None = None) -> LoadError:
    """The error saying that *path* goes over the limit *name* with *amount* (not raised).

    :raises KeyError: if there is no limit called *name*; LoadError if its setting is bad.

    >>> str(exceeded("depth", path="a.yaml", amount=65, line=3)).startswith("a.yaml, rad 3:")
    True
    """
    current = limit(name)
    how = message("limits.raise_option", option=current.option, variable=current.variable)
    if current.option is None:
        how = message("limits.raise_variable", variable=current.variable)
    text = message(
        f"limits.{name}",
        path=path,
        amount=current.shown(amount),
        limit=current.shown(),
        how=how,
    )
    return LoadError(text, path=path, line=line)


def check_size(path: str | Path) -> int:
    """The size of the file *path*, after checking it against the input size limit.

    Reads only the file's metadata, so a huge (or sparse) file is refused before any
    byte of it is read.

    :raises LoadError: if the file is larger than the limit.
    :raises OSError: if the file's metadata cannot be read.

    >>> from goalgraph.resources import ontology_file
    >>> check_size(ontology_file()) > 0
    True
    """
    size = os.stat(path).st_size
    if size > limit("input_size").value:
        raise exceeded("input_size", path=path, amount=size)
    return size
