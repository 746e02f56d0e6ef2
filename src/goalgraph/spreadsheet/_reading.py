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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from goalgraph.errors import SpreadsheetProblem
from goalgraph.i18n import message
from goalgraph.spreadsheet._definitions import spreadsheet_format

__all__ = ["SPREADSHEET_SUFFIXES", "RawRow", "RawTable", "is_spreadsheet_source", "read_source"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".yaml", ".yml")


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
    if not path.exists():
        return [], [_problem(path, message("spreadsheet.not_found", path=path))]
    if path.is_dir():
        tables: list[RawTable] = []
        problems: list[SpreadsheetProblem] = []
        csv_files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if not csv_files:
            problems.append(_problem(path, message("spreadsheet.empty_folder", path=path)))
        for file in csv_files:
            found, trouble = _read_csv(file)
            tables.extend(found)
            problems.extend(trouble)
        return tables, problems
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path)
    return [], [_problem(path, message("spreadsheet.unknown_suffix", path=path))]


def _problem(
    path: Path, text: str, *, sheet: str | None = None, row: int | None = None
) -> SpreadsheetProblem:
    return SpreadsheetProblem(str(path), sheet, row, None, None, text)


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
    if isinstance(value, float) and value.is_integer():
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
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return [], [_problem(path, message("spreadsheet.unreadable", path=path, reason=exc))]
    tables = []
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            first = next(rows, None)
            if first is None:
                continue
            header = [_cell_text(v) for v in first]
            body = ((i, [_cell_text(v) for v in r]) for i, r in enumerate(rows, start=2))
            tables.append(_table(path, sheet.title, header, body))
    finally:
        workbook.close()
    return tables, []


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
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    for cells in reader:
        # Count records, not physical lines: a cell with line breaks is still one row
        # in the spreadsheet program the person uses.
        records.append((len(records) + 1, [c.strip() for c in cells]))
    if not records:
        return [], [_problem(path, message("spreadsheet.empty_file", path=path))]
    header = records[0][1]
    return [_table(path, path.stem, header, iter(records[1:]))], []


def _yaml_value(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null":
            return ""
        return node.value.strip()
    if isinstance(node, yaml.SequenceNode):
        return [_yaml_value(n) for n in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(_yaml_value(k)): _yaml_value(v) for k, v in node.value}
    return ""


def _yaml_cell(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(_yaml_cell(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={_yaml_cell(v)}" for k, v in value.items())
    return str(value)


def _read_yaml(path: Path) -> tuple[list[RawTable], list[SpreadsheetProblem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [_problem(path, message("spreadsheet.not_utf8_text", position=exc.start))]
    try:
        # compose() builds PyYAML's node tree without constructing Python values, so dates,
        # numbers like 11.10 and booleans stay exactly as typed and every row keeps its line.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return [], [_problem(path, message("spreadsheet.yaml_syntax", detail=exc), row=line)]
    if root is None:
        return [], [_problem(path, message("spreadsheet.empty_file", path=path))]
    if not isinstance(root, yaml.MappingNode):
        return [], [_problem(path, message("spreadsheet.yaml_shape"), row=root.start_mark.line + 1)]
    tables = []
    for key_node, value_node in root.value:
        sheet = str(_yaml_value(key_node))
        entries = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        table = RawTable(str(path), sheet, [])
        for entry in entries:
            line = entry.start_mark.line + 1
            if not isinstance(entry, yaml.MappingNode):
                return [], [
                    _problem(path, message("spreadsheet.yaml_shape"), sheet=sheet, row=line)
                ]
            values = {k: _yaml_cell(v) for k, v in _yaml_value(entry).items()}
            for header in values:
                if header not in table.headers:
                    table.headers.append(header)
            table.rows.append(RawRow(line, values))
        tables.append(table)
    return tables, []
