"""Write sheets of text to an XLSX workbook (openpyxl) or a folder of UTF-8 CSV files.

Header cells carry a comment with the column's help text in Swedish and
English, so an empty template explains itself; required columns are marked
"*" in red, and a template's example row is grey and italic. Files are written to a
temporary name first and then moved into place, so a failure never leaves
half a workbook behind.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goalgraph.graph import write_atomically
from goalgraph.spreadsheet._definitions import ColumnDef, SheetDef, normalise, spreadsheet_format

__all__ = [
    "Grid",
    "SheetTable",
    "blank_table",
    "column_comment",
    "csv_name",
    "write_csv_folder",
    "write_xlsx",
    "write_yaml",
]

#: Excel's longest sheet title.
_MAX_TITLE = 31


@dataclass
class SheetTable:
    """One sheet to write: its title, headers with help texts, and rows of text."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    file_stem: str = ""
    choices: list[list[str]] = field(default_factory=list)
    example: list[str] = field(default_factory=list)


@dataclass
class Grid:
    """The read-only grid of sub-strategies: row labels × column labels → cell texts."""

    title: str
    note: str
    row_labels: list[str]
    column_labels: list[str]
    cells: dict[tuple[int, int], list[str]]


def column_comment(column: ColumnDef) -> str:
    """The header comment of *column*: its help in Swedish and English, and if it is required."""
    parts = [column.help]
    if column.help_en:
        parts.append(f"({column.header_en}) {column.help_en}")
    if column.required:
        parts.append("Obligatorisk. / Required.")
    return "\n\n".join(p for p in parts if p)


def csv_name(sheet: SheetDef, *, illustrative: bool = False) -> str:
    """The file stem a sheet gets in a CSV folder, e.g. ``namndmal_illustrativt``."""
    return sheet.key + ("_illustrativt" if illustrative else "")


def blank_table(
    sheet: SheetDef, *, illustrative: bool = False, example: bool = False
) -> SheetTable:
    """An empty sheet with the format's headers and help comments (and its example row).

    >>> table = blank_table(spreadsheet_format().sheet("mal"), example=True)
    >>> table.example[:3]
    ['EXEMPEL-KF1', 'KF-mål', '1']
    """
    suffix = " (illustrativt)" if illustrative else ""
    # Excel cuts sheet titles at 31 characters, and a cut title no longer names its sheet
    # on import: fall back to another Swedish name of the sheet that fits.
    english = normalise(sheet.title_en)
    swedish = [sheet.title, *(n for n in sheet.names if normalise(n) != english)]
    fitting = [n for n in swedish if len(n + suffix) <= _MAX_TITLE]
    name = fitting[0] if fitting else sheet.key
    title = name[:1].upper() + name[1:] + suffix
    return SheetTable(
        title=title,
        headers=[c.header for c in sheet.columns],
        comments=[column_comment(c) for c in sheet.columns],
        file_stem=csv_name(sheet, illustrative=illustrative),
        example=[sheet.example.get(c.header, "") for c in sheet.columns] if example else [],
    )


def write_xlsx(
    tables: Sequence[SheetTable],
    path: str | Path,
    *,
    grid: Grid | None = None,
    readme: Sequence[tuple[str, str]] = (),
) -> None:
    """Write *tables* (and an optional read-only grid and read-me sheet) as a workbook.

    :raises OSError: if *path* cannot be written; an existing file is then left as it was.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    required_font = Font(bold=True, color="C00000")
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    example_font = Font(italic=True, color="808080")
    wrap = Alignment(wrap_text=True, vertical="top")
    if readme:
        sheet = workbook.create_sheet("Läs mig")
        for name, text in readme:
            sheet.append([name, text])
            sheet.cell(row=sheet.max_row, column=1).font = bold
        for row_cells in sheet.iter_rows():
            row_cells[1].alignment = wrap
        sheet.column_dimensions["A"].width = 26
        sheet.column_dimensions["B"].width = 110
    for table in tables:
        sheet = workbook.create_sheet(table.title)
        required = _required(table)
        marked = zip(table.headers, required, strict=True)
        sheet.append([f"{h} *" if needed else h for h, needed in marked])
        for index, cell in enumerate(sheet[1]):
            cell.font = required_font if required[index] else bold
            cell.fill = required_fill if required[index] else fill
            if index < len(table.comments) and table.comments[index]:
                comment = Comment(table.comments[index], "goalgraph")
                comment.width, comment.height = 320, 160
                cell.comment = comment
        rows = [table.example, *table.rows] if table.example else table.rows
        for row in rows:
            sheet.append(row)
        for index, header in enumerate(table.headers, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            # Text format for whole columns, so Excel keeps 8.10 and 0685 as typed.
            sheet.column_dimensions[letter].number_format = "@"
            longest = max(
                [len(header) + 2] + [len(r[index - 1]) for r in rows if index - 1 < len(r)]
            )
            sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                cell.alignment = wrap
                cell.number_format = "@"
        if table.example:
            for cell in sheet[2]:
                cell.font = example_font
        sheet.freeze_panes = "B2"
    _write_choices(workbook, tables)
    if grid is not None:
        _write_grid(workbook, grid, bold, fill, wrap)
        # right after Metadata, so the workbook opens on the document's own table
        workbook.move_sheet(grid.title, offset=-(len(workbook.sheetnames) - 2))
    from goalgraph.destinations import atomic_file

    with atomic_file(path) as temporary:  # removed again if saving fails
        workbook.save(temporary)


def _required(table: SheetTable) -> list[bool]:
    """For each header of *table*, whether the format requires the column."""
    match = spreadsheet_format().sheet_for(table.title)
    if match is None:
        return [False] * len(table.headers)
    sheet = match[0]
    columns = [sheet.column_for(h) for h in table.headers]
    # A sheet with a default type (Nämndmål) needs no typ column.
    return [
        c is not None and c.required and not (c.type == "type" and sheet.default_type)
        for c in columns
    ]


def _write_choices(workbook: Any, tables: Sequence[SheetTable]) -> None:
    """A Koder sheet with every drop-down list, and list validation on the columns using them.

    The lists only suggest: a cell may hold several values ("Bo; Leva"), and the import
    checks every value anyway, so Excel is told not to refuse other input.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists: dict[tuple[str, ...], str] = {}
    for table in tables:
        for values in table.choices:
            if values and tuple(values) not in lists:
                lists[tuple(values)] = get_column_letter(len(lists) + 1)
    if not lists:
        return
    codes = workbook.create_sheet("Koder")
    for options, letter in lists.items():
        for row, value in enumerate(options, start=1):
            codes[f"{letter}{row}"] = value
    for table in tables:
        sheet = workbook[table.title]
        for index, values in enumerate(table.choices, start=1):
            if not values:
                continue
            letter = lists[tuple(values)]
            validation = DataValidation(
                type="list",
                formula1=f"=Koder!${letter}$1:${letter}${len(values)}",
                allow_blank=True,
                showErrorMessage=False,
            )
            column = get_column_letter(index)
            validation.add(f"{column}2:{column}1000")
            sheet.add_data_validation(validation)


def _write_grid(workbook: object, grid: Grid, bold: object, fill: object, wrap: object) -> None:
    sheet = workbook.create_sheet(grid.title)  # type: ignore[attr-defined]
    sheet.append([grid.note])
    sheet.append(["Riktning", *grid.column_labels])
    for cell in sheet[2]:
        cell.font = bold
        cell.fill = fill
    for r, label in enumerate(grid.row_labels):
        texts = ["\n".join(grid.cells.get((r, c), [])) for c in range(len(grid.column_labels))]
        sheet.append([label, *texts])
    for row_cells in sheet.iter_rows(min_row=3):
        row_cells[0].font = bold
        for cell in row_cells:
            cell.alignment = wrap
    sheet.column_dimensions["A"].width = 28
    for letter in "BCDEFG"[: len(grid.column_labels)]:
        sheet.column_dimensions[letter].width = 45
    sheet.protection.sheet = True


def write_csv_folder(tables: Sequence[SheetTable], folder: str | Path) -> list[Path]:
    """Write each table as ``<file stem>.csv`` (UTF-8, comma separated) in *folder*.

    :raises OutputError: if *folder* or a file in it cannot be written; then none is.
    """
    from goalgraph.destinations import atomic_folder

    folder = Path(folder)
    written = []
    with atomic_folder(folder) as temporary:  # all files or none: a failure removes them all
        for table in tables:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(table.headers)
            if table.example:
                writer.writerow(table.example)
            writer.writerows(table.rows)
            stem = table.file_stem or normalise(table.title).replace(" ", "_")
            write_atomically(temporary / f"{stem}.csv", buffer.getvalue())
            written.append(folder / f"{stem}.csv")
    return written


def write_yaml(tables: Sequence[SheetTable], path: str | Path) -> None:
    """Write *tables* as one YAML file: sheet title → list of rows, empty cells left out.

    :raises OutputError: if *path* cannot be written.
    """
    import yaml

    document: dict[str, object] = {}
    for table in tables:
        rows = [{h: v for h, v in zip(table.headers, row, strict=False) if v} for row in table.rows]
        if rows:
            document[table.title] = rows[0] if table.file_stem == "metadata" else rows
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    write_atomically(Path(path), text)
