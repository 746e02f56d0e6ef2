"""Single cells: reading literal values, and wording problems about them.

>>> parse_literal("date_end", "2022")
rdflib.term.Literal('2022-12-31', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))
>>> parse_literal("date", "2019-04-31")
Traceback (most recent call last):
...
goalgraph.spreadsheet._cells.CellError: bad_date
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import XSD, Literal

from goalgraph.errors import SpreadsheetProblem
from goalgraph.i18n import message
from goalgraph.spreadsheet._definitions import normalise
from goalgraph.spreadsheet._reading import RawTable

__all__ = ["CellError", "ProblemLog", "compress_ids", "did_you_mean", "parse_literal", "split_cell"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_TRUE = {"ja", "j", "yes", "y", "true", "sant", "1", "x"}
_FALSE = {"nej", "n", "no", "false", "falskt", "0", ""}
#: Digits an imported decimal may have written out: far beyond any measured value.
_MAX_DIGITS = 40


class CellError(ValueError):
    """A cell's text cannot be read as its column's type; ``str(error)`` is the message key."""


class ProblemLog:
    """The problems found so far, each worded from the ``spreadsheet`` message catalogue."""

    def __init__(self) -> None:
        self.problems: list[SpreadsheetProblem] = []

    def add(
        self,
        table: RawTable,
        key: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        **values: Any,
    ) -> None:
        """Record the problem *key* at a cell (or row, or sheet) of *table*."""
        text = message(f"spreadsheet.{key}", value=value, column=column, **values)
        self.problems.append(SpreadsheetProblem(table.path, table.sheet, row, column, value, text))

    def add_file(self, path: str, key: str, **values: Any) -> None:
        """Record the problem *key* about a whole file."""
        text = message(f"spreadsheet.{key}", **values)
        self.problems.append(SpreadsheetProblem(path, None, None, None, None, text))


def did_you_mean(value: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A " (menade du …?)" hint with up to three close candidates, or "".

    >>> did_you_mean("Lewa", ["Bo", "Leva", "Verka"], cutoff=0.6) != ""
    True
    """
    pool = {normalise(c): c for c in candidates}
    close = difflib.get_close_matches(normalise(value), list(pool), n=3, cutoff=cutoff)
    if not close:
        return ""
    return message("spreadsheet.did_you_mean", candidates=" / ".join(pool[c] for c in close))


def split_cell(value: str, *, multi: bool) -> list[str]:
    """The values of a cell: several, separated by ';', for a multi-valued column.

    >>> split_cell("Bo; Leva;", multi=True)
    ['Bo', 'Leva']
    """
    parts = value.split(";") if multi else [value]
    return [p.strip() for p in parts if p.strip()]


def parse_literal(kind: str, value: str) -> Literal:
    """Read *value* as a literal of the column type *kind*.

    :raises CellError: naming the message key when the text does not fit.
    """
    if kind in ("date", "date_start", "date_end"):
        if kind != "date" and _YEAR.match(value):
            return Literal(
                f"{value}-{'01-01' if kind == 'date_start' else '12-31'}", datatype=XSD.date
            )
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            raise CellError("bad_date" if kind == "date" else "bad_period_date") from None
        return Literal(parsed.isoformat(), datatype=XSD.date)
    if kind == "year":
        if not _YEAR.match(value):
            raise CellError("bad_year")
        return Literal(value, datatype=XSD.gYear)
    if kind == "decimal":
        try:
            number = Decimal(value.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        except InvalidOperation:
            raise CellError("bad_decimal") from None
        if not number.is_finite():
            raise CellError("bad_decimal")
        if _written_out_length(number) > _MAX_DIGITS:
            # "1e999999999" is short to type but a billion digits as an xsd:decimal
            raise CellError("huge_number")
        return Literal(format(number, "f"), datatype=XSD.decimal, normalize=False)
    if kind == "bool":
        folded = normalise(value)
        if folded in _TRUE or folded in _FALSE:
            return Literal(folded in _TRUE)
        raise CellError("bad_bool")
    if kind == "text":
        return Literal(value, lang="sv")
    if kind == "text_en":
        return Literal(value, lang="en")
    if kind == "string":
        return Literal(value)
    raise ValueError(f"unknown column type {kind!r} in format.yaml")


def _written_out_length(number: Decimal) -> int:
    """How many digits *number* has written out without an exponent (xsd:decimal's form)."""
    if number.is_zero():
        return 1  # 0E+50 is written 0
    digits = len(number.as_tuple().digits)
    exponent = int(number.as_tuple().exponent)
    return max(digits, number.adjusted() + 1) + max(0, -exponent)


def compress_ids(ids: Iterable[str], *, limit: int = 15) -> str:
    """Ids for a message, with runs like KF1, KF2, KF3, KF4 written KF1–KF4.

    >>> compress_ids(["KF1", "KF2", "KF3", "KF4", "V"])
    'KF1–KF4, V'
    """

    def key(text: str) -> tuple[str, int, str]:
        match = re.match(r"^(.*?)(\d+)$", text)
        return (match.group(1), int(match.group(2)), text) if match else (text, -1, text)

    ordered = sorted(set(ids), key=key)
    if not ordered:
        return message("spreadsheet.none_known")
    parts: list[str] = []
    run: list[tuple[str, int, str]] = []

    def flush() -> None:
        if len(run) >= 3:
            parts.append(f"{run[0][2]}–{run[-1][2]}")
        else:
            parts.extend(r[2] for r in run)
        run.clear()

    for text in ordered:
        current = key(text)
        if run and (current[1] < 0 or current[0] != run[-1][0] or current[1] != run[-1][1] + 1):
            flush()
        run.append(current)
    flush()
    shown = parts[:limit]
    return ", ".join(shown) + (", …" if len(parts) > limit else "")
