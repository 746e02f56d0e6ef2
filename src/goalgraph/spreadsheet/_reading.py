"""Read import files into plain tables of text: XLSX (openpyxl), CSV (csv) and YAML (PyYAML).

Every cell becomes a string, exactly as a person typed it, so that the
conversion step alone decides what a value means and can name the cell
when it does not fit. Row numbers are the ones a spreadsheet program shows
(the header is row 1); in YAML they are the line of the entry. A template's
example rows (first cell ``EXEMPEL…``) are left out here, so no later step
sees them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from goalgraph.errors import LoadError, SpreadsheetProblem
from goalgraph.i18n import message
from goalgraph.inputs import check_file
from goalgraph.limits import exceeded, limit
from goalgraph.positions import parser_problem, place
from goalgraph.spreadsheet._definitions import spreadsheet_format
from goalgraph.spreadsheet._tables import CellCount, RawRow, RawTable, problem
from goalgraph.spreadsheet._yaml import read_yaml

__all__ = ["SPREADSHEET_SUFFIXES", "RawRow", "RawTable", "is_spreadsheet_source", "read_source"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".yaml", ".yml")


def is_spreadsheet_source(path: str | Path) -> bool:
    """Whether *path* is an import file, or a folder of CSV files with no RDF beside them.

    >>> is_spreadsheet_source("mall.xlsx")
    True
    >>> is_spreadsheet_source("data.ttl")
    False

    :raises OSError: if *path* is a folder that cannot be listed.
    """
    from goalgraph.loading import RDF_SUFFIXES

    path = Path(path)
    if path.is_dir():
        files = [p for p in path.iterdir() if p.is_file()]
        has_csv = any(p.suffix.lower() == ".csv" for p in files)
        return has_csv and not any(p.suffix.lower() in RDF_SUFFIXES for p in files)
    return path.suffix.lower() in SPREADSHEET_SUFFIXES


def read_source(path: str | Path) -> tuple[list[RawTable], list[SpreadsheetProblem]]:
    """Read one import file or CSV folder into tables, with any problems reading it.

    :raises goalgraph.errors.LoadError: never; unreadable files come back as problems.
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return [], [problem(path, message("spreadsheet.not_found", path=path))]
    if path.is_dir():
        tables: list[RawTable] = []
        problems: list[SpreadsheetProblem] = []
        csv_files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if not csv_files:
            problems.append(problem(path, message("spreadsheet.empty_folder", path=path)))
        for file in csv_files:
            found, trouble = _read_file(file)
            tables.extend(found)
            problems.extend(trouble)
        return tables, problems
    return _read_file(path)


def _read_file(path: Path) -> tuple[list[RawTable], list[SpreadsheetProblem]]:
    """Read one import file after the checks every input gets (see :mod:`goalgraph.inputs`)."""
    suffix = path.suffix.lower()
    readers = {".xlsx": _read_xlsx, ".xlsm": _read_xlsx, ".csv": _read_csv}
    readers |= {".yaml": read_yaml, ".yml": read_yaml}
    if suffix not in readers:
        return [], [problem(path, message("spreadsheet.unknown_suffix", path=path))]
    try:
        check_file(path)
        return readers[suffix](path)
    except LoadError as exc:
        return [], [problem_from(path, exc)]


def problem_from(path: Path, error: LoadError) -> SpreadsheetProblem:
    """*error* (about the whole of *path*, or one of its lines) as a spreadsheet problem."""
    return SpreadsheetProblem(str(path), None, error.line, None, None, error.reason)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        # whole numbers as typed (12, not 12.0); huge ones keep their exponent (1e+308)
        return str(int(value))
    return str(value).strip()


def _table(
    path: Path,
    sheet: str,
    header: list[str],
    body: Iterator[tuple[int, list[str]]],
) -> RawTable:
    table = RawTable(str(path), sheet, header)
    is_example = spreadsheet_format().is_example
    for number, cells in body:
        if not any(cells) or is_example(cells):
            continue
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
        for extra in cells[len(header) :]:
            if extra:
                values.setdefault("", extra)
        table.rows.append(RawRow(number, values))
    return table


def _read_xlsx(path: Path) -> tuple[list[RawTable], list[SpreadsheetProblem]]:
    import zipfile

    import openpyxl

    try:
        _check_zip(path)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as exc:
        return [], [_unreadable(path, exc)]
    tables: list[RawTable] = []
    problems: list[SpreadsheetProblem] = []
    cells = CellCount(path)
    try:
        for sheet, written in zip(workbook.worksheets, formulas.worksheets, strict=True):
            if sheet.sheet_state != "visible":
                key = "very_hidden_sheet" if sheet.sheet_state == "veryHidden" else "hidden_sheet"
                text = message(f"spreadsheet.{key}", sheet=sheet.title)
                problems.append(problem(path, text, sheet=sheet.title))
                continue
            rows = zip(
                sheet.iter_rows(values_only=True), written.iter_rows(values_only=True), strict=False
            )
            first = next(rows, None)
            if first is None:
                continue
            header = [_cell_text(v) for v in first[0]]
            body = []
            for number, (values, typed) in enumerate(rows, start=2):
                cells.add(len(values))
                body.append((number, [_cell_text(v) for v in values]))
                problems.extend(_formula_problems(path, sheet.title, number, header, values, typed))
            tables.append(_table(path, sheet.title, header, iter(body)))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as exc:
        # a sheet's XML is only parsed while its rows are read
        return [], [_unreadable(path, exc)]
    finally:
        workbook.close()
        formulas.close()
    return tables, problems


def _unreadable(path: Path, error: Exception) -> SpreadsheetProblem:
    """The problem of a workbook *path* that cannot be read because of *error*."""
    entity = _defused(error)
    if entity is not None:
        return problem(path, message("spreadsheet.xml_entity", path=path, reason=entity))
    found = parser_problem(error)
    if isinstance(error, ElementTree.ParseError) and found.line is not None:
        where = place(found.line, found.column)
        text = message("spreadsheet.xml_broken", path=path, place=where, detail=found.detail)
        return problem(path, text)
    return problem(path, message("spreadsheet.unreadable", path=path, reason=error))


def _defused(error: BaseException) -> BaseException | None:
    """The defusedxml refusal behind *error* (openpyxl wraps some of them), if any."""
    import defusedxml

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, defusedxml.DefusedXmlException):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose parts unzip beyond the size limit or with a bomb's ratio.

    The sizes in the zip directory bound what the zip reader will produce (it stops
    at the declared size and checks the CRC), so they can be trusted here.

    :raises LoadError: naming the workbook and the limit.
    """
    import zipfile

    ratio_limit = limit("zip_ratio").value
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    total = sum(member.file_size for member in members)
    if total > limit("unzipped_size").value:
        raise exceeded("unzipped_size", path=path, amount=total)
    for member in members:
        # small parts compress well whatever they hold; only large ones can be bombs
        if member.file_size > 1 << 20 and member.file_size > ratio_limit * max(
            1, member.compress_size
        ):
            raise exceeded(
                "zip_ratio", path=path, amount=member.file_size // max(1, member.compress_size)
            )


def _formula_problems(
    path: Path,
    sheet: str,
    number: int,
    header: list[str],
    values: tuple[Any, ...],
    typed: tuple[Any, ...],
) -> Iterator[SpreadsheetProblem]:
    """A problem for each formula cell of a row whose value was never calculated and saved."""
    for index, (value, formula) in enumerate(zip(values, typed, strict=False)):
        if value is None and isinstance(formula, str) and formula.startswith("="):
            column = header[index] if index < len(header) and header[index] else None
            text = message("spreadsheet.formula", formula=formula)
            yield SpreadsheetProblem(str(path), sheet, number, column, formula, text)


def _read_csv(path: Path) -> tuple[list[RawTable], list[SpreadsheetProblem]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [
            SpreadsheetProblem(
                str(path),
                path.stem,
                line,
                None,
                None,
                message("spreadsheet.not_utf8", position=exc.start),
            )
        ]
    if "\x00" in text:
        # csv reads a NUL as text since Python 3.11; in a label it is only damage
        line = text.count("\n", 0, text.index("\x00")) + 1
        return [], [problem(path, message("spreadsheet.csv_nul", line=line), sheet=path.stem)]
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # A long description is realistic input: any field fits that the file's size allowed.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    # strict: an unbalanced quote is an error, not the rest of the file in one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    cells = CellCount(path)
    while True:
        opened_at = reader.line_num + 1
        try:
            cells_of_record = next(reader, None)
        except csv.Error as exc:
            row = len(records) + 1
            if "unexpected end of data" in str(exc):
                text = message("spreadsheet.csv_open_quote", row=row, line=opened_at)
            else:
                text = message("spreadsheet.csv_malformed", detail=exc)
            return [], [SpreadsheetProblem(str(path), path.stem, row, None, None, text)]
        if cells_of_record is None:
            break
        cells.add(len(cells_of_record))
        # Count records, not physical lines: a cell with line breaks is still one row
        # in the spreadsheet program the person uses.
        records.append((len(records) + 1, [c.strip() for c in cells_of_record]))
    if not records:
        return [], [problem(path, message("spreadsheet.empty_file", path=path))]
    header = records[0][1]
    return [_table(path, path.stem, header, iter(records[1:]))], []
