"""Plain tables of text cells, as read from import files, and the cell limit while reading.

>>> table = RawTable("mål.csv", "mål", ["id"], [RawRow(2, {"id": "KF1"})])
>>> table.rows[0].values["id"]
'KF1'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from goalgraph.errors import SpreadsheetProblem
from goalgraph.limits import exceeded, limit

__all__ = ["CellCount", "RawRow", "RawTable", "problem"]


@dataclass
class RawRow:
    """One row: its number as shown to people and its cells by header as written."""

    number: int
    values: dict[str, str]


@dataclass
class RawTable:
    """One sheet (XLSX), file (CSV) or top-level key (YAML) of text cells."""

    path: str
    sheet: str
    headers: list[str]
    rows: list[RawRow] = field(default_factory=list)


def problem(
    path: Path, text: str, *, sheet: str | None = None, row: int | None = None
) -> SpreadsheetProblem:
    """A problem about the file *path* (or one of its sheets or rows)."""
    return SpreadsheetProblem(str(path), sheet, row, None, None, text)


class CellCount:
    """Counts the cells read from one file and stops at the cell limit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self.limit = limit("cells").value

    def add(self, cells: int) -> None:
        """Count *cells* more.

        :raises LoadError: if the file now has more cells than the limit.
        """
        self.count += cells
        if self.count > self.limit:
            raise exceeded("cells", path=self.path, amount=self.count)
