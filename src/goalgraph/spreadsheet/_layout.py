"""Which sheet is which, which header is which column, and which kommun a source is about.

This is the first step of a conversion: it only looks at sheet names,
header rows and the Metadata sheet, and reports unknown sheets, unknown or
missing columns and unknown kommun codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from goalgraph.spreadsheet._cells import ProblemLog, did_you_mean
from goalgraph.spreadsheet._codes import ReferenceCodes
from goalgraph.spreadsheet._definitions import ColumnDef, SheetDef, SpreadsheetFormat
from goalgraph.spreadsheet._reading import RawTable

__all__ = ["PreparedSheet", "code_hint", "prepare"]


@dataclass
class PreparedSheet:
    """A table with its sheet definition, kommun and columns by header as written."""

    table: RawTable
    sheet: SheetDef
    illustrative: bool
    kommun: str | None
    columns: dict[str, ColumnDef] = field(default_factory=dict)

    def header_of(self, column_type: str) -> str | None:
        """The header (as written) of the first column of *column_type*, if any."""
        return next((h for h, c in self.columns.items() if c.type == column_type), None)


def code_hint(codes: ReferenceCodes, scheme: str, value: str) -> str:
    """A did-you-mean hint from the known codes of *scheme*, or ""."""
    from goalgraph.i18n import message

    close = codes.suggest(scheme, value)
    return message("spreadsheet.did_you_mean", candidates=" / ".join(close)) if close else ""


def prepare(
    sources: Sequence[tuple[str, list[RawTable]]],
    default_kommun: str | None,
    *,
    fmt: SpreadsheetFormat,
    codes: ReferenceCodes,
    log: ProblemLog,
) -> list[PreparedSheet]:
    """Match every table to its sheet and columns, and find each source's kommun."""
    prepared: list[PreparedSheet] = []
    for path, tables in sources:
        kommun = default_kommun
        found_metadata = False
        matched: list[tuple[RawTable, SheetDef, bool]] = []
        for table in tables:
            if fmt.is_ignored(table.sheet):
                continue
            match = fmt.sheet_for(table.sheet)
            if match is None:
                names = fmt.sheet_names()
                log.add(
                    table,
                    "unknown_sheet",
                    value=table.sheet,
                    hint=did_you_mean(table.sheet, names),
                    known=", ".join(names),
                )
                continue
            sheet, illustrative = match
            if sheet.key == "metadata":
                found_metadata = True
                kommun = _metadata(table, sheet, codes, log) or kommun
            else:
                matched.append((table, sheet, illustrative))
        if not found_metadata and default_kommun is None and matched:
            log.add_file(path, "no_metadata")
        for table, sheet, illustrative in matched:
            prepared.append(_columns(PreparedSheet(table, sheet, illustrative, kommun), log))
    return prepared


def _metadata(
    table: RawTable, sheet: SheetDef, codes: ReferenceCodes, log: ProblemLog
) -> str | None:
    _columns(PreparedSheet(table, sheet, False, None), log)
    if len(table.rows) != 1:
        log.add(table, "metadata_rows", count=len(table.rows))
        return None
    row = table.rows[0]
    for header, value in row.values.items():
        column = sheet.column_for(header)
        if column is None or column.type != "kommun":
            continue
        if not value:
            log.add(table, "required", row=row.number, column=header)
            return None
        iri = codes.kommun(value)
        if iri is None:
            log.add(
                table,
                "unknown_kommun",
                row=row.number,
                column=header,
                value=value,
                hint=code_hint(codes, "kommun", value),
            )
            return None
        return str(iri).rsplit("/", 1)[-1]
    return None


def _columns(prepared: PreparedSheet, log: ProblemLog) -> PreparedSheet:
    table, sheet = prepared.table, prepared.sheet
    seen: set[str] = set()
    for header in table.headers:
        if not header:
            continue
        column = sheet.column_for(header)
        if column is None:
            names = [n for c in sheet.columns for n in (c.header, c.header_en, *c.aliases)]
            log.add(
                table,
                "unknown_column",
                row=1,
                column=header,
                value=header,
                sheet=sheet.title,
                hint=did_you_mean(header, names),
                known=", ".join(c.header for c in sheet.columns),
            )
        elif column.header in seen:
            log.add(table, "duplicate_column", row=1, column=header)
        else:
            seen.add(column.header)
            prepared.columns[header] = column
    for column in sheet.columns:
        optional_type = column.type == "type" and sheet.default_type
        if column.required and column.header not in seen and not optional_type:
            log.add(table, "missing_column", row=1, column=column.header, sheet=sheet.title)
    return prepared
