"""Point a finding back to the spreadsheet row and column its item was imported from.

A shape's message names properties as RDF terms (``gg:hasPerspective``);
someone who filled in a workbook knows them as columns (``Perspektiv``). For
an item with a :class:`~goalgraph.sources.SourceRow`, the column is the one
holding the result's path, or, for a node shape without a path, the first
property its message names that the sheet has a column for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from goalgraph.graph import PREFIXES
from goalgraph.i18n import message
from goalgraph.sources import SourceRow
from goalgraph.validation._shapes import PathExpr

__all__ = ["Location", "locate"]

_CURIE = re.compile(r"\b(" + "|".join(map(re.escape, PREFIXES)) + r"):([A-Za-z][\w-]*)")


@dataclass(frozen=True)
class Location:
    """Where a finding belongs in the spreadsheet, and its message in the sheet's words."""

    row: SourceRow
    column: str | None
    where: str
    message: str


def _first_property(path: PathExpr | None) -> str | None:
    """The property a path starts with: ``gg:supportsSubStrategy`` of a sequence through it."""
    if path is None:
        return None
    if isinstance(path, str):
        return str(path)
    kind, inner = path
    if kind == "seq" and isinstance(inner, tuple) and inner:
        return _first_property(inner[0])
    return None


def _expand(match: re.Match[str]) -> str:
    return PREFIXES[match.group(1)] + match.group(2)


def locate(row: SourceRow, path: PathExpr | None, text: str, lang: str) -> Location:
    """The sheet, row and column of a finding about an item imported from *row*.

    *text* is the finding's message; the RDF terms in it that the sheet has a
    column for are replaced by "kolumn X" / "column X".

    >>> from goalgraph.sources import SourceRow
    >>> row = SourceRow("f.xlsx", "Nämndmål", 7, {PREFIXES["gg"] + "hasPerspective": "Perspektiv"})
    >>> found = locate(row, None, "Ange Bo (gg:hasPerspective).", "en")
    >>> found.where, found.message
    ('Nämndmål, row 7, column Perspektiv', 'Ange Bo (column Perspektiv).')
    """
    prop = _first_property(path)
    column = row.column_for(prop) if prop is not None else None
    if prop is None:
        named = (row.column_for(_expand(m)) for m in _CURIE.finditer(text))
        column = next((c for c in named if c is not None), None)

    def as_column(match: re.Match[str]) -> str:
        header = row.column_for(_expand(match))
        return message("errors.column", lang, column=header) if header else match.group(0)

    return Location(
        row=row,
        column=column,
        where=row.where(lang, column=column),
        message=_CURIE.sub(as_column, text),
    )
