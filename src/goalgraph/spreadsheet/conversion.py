"""Turn tables read from import files into RDF triples, collecting every problem.

Conversion runs in two passes over all sources together: the first registers
every row's id (so a row may refer to rows in other sheets or files of the
same kommun, in any order), the second turns each cell into triples. A
problem never stops the conversion; all are returned so that the user sees
every wrong cell at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from goalgraph.errors import SpreadsheetProblem
from goalgraph.i18n import message
from goalgraph.namespace import GG, mint
from goalgraph.spreadsheet.codes import ReferenceCodes, reference_codes
from goalgraph.spreadsheet.definitions import (
    ColumnDef,
    RowType,
    SheetDef,
    SpreadsheetFormat,
    normalise,
    spreadsheet_format,
)
from goalgraph.spreadsheet.reading import RawRow, RawTable

__all__ = ["Item", "Triple", "compress_ids", "convert_tables"]

Triple = tuple[Node, Node, Node]
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_TRUE = {"ja", "j", "yes", "y", "true", "sant", "1", "x"}
_FALSE = {"nej", "n", "no", "false", "falskt", "0", ""}
# Kinds whose rows are not "items of a municipality" in the ontology's sense.
_NO_MUNICIPALITY = {"observation", "ambition"}


@dataclass(frozen=True)
class Item:
    """A registered row: where it is and what it becomes."""

    kommun: str
    id: str
    kind: str
    type_key: str | None
    iri: URIRef
    where: str


@dataclass
class _Sheet:
    table: RawTable
    sheet: SheetDef
    illustrative: bool
    kommun: str | None
    columns: dict[str, ColumnDef] = field(default_factory=dict)


class _Converter:
    def __init__(self, fmt: SpreadsheetFormat, codes: ReferenceCodes):
        self.fmt = fmt
        self.codes = codes
        self.problems: list[SpreadsheetProblem] = []
        self.triples: list[Triple] = []
        self.items: dict[str, dict[str, Item]] = {}

    # --- problems -----------------------------------------------------------

    def problem(
        self,
        table: RawTable,
        text: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        self.problems.append(SpreadsheetProblem(table.path, table.sheet, row, column, value, text))

    @staticmethod
    def hint(value: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str:
        pool = {normalise(c): c for c in candidates}
        close = difflib.get_close_matches(normalise(value), list(pool), n=3, cutoff=cutoff)
        if not close:
            return ""
        return message("spreadsheet.did_you_mean", candidates=" / ".join(pool[c] for c in close))

    # --- pass 0: sheets, headers, kommun -----------------------------------

    def prepare(
        self, sources: Sequence[tuple[str, list[RawTable]]], default_kommun: str | None
    ) -> list[_Sheet]:
        prepared: list[_Sheet] = []
        for path, tables in sources:
            kommun = default_kommun
            found_metadata = False
            matched: list[tuple[RawTable, SheetDef, bool]] = []
            for table in tables:
                if self.fmt.is_ignored(table.sheet):
                    continue
                match = self.fmt.sheet_for(table.sheet)
                if match is None:
                    self.problem(
                        table,
                        message(
                            "spreadsheet.unknown_sheet",
                            value=table.sheet,
                            hint=self.hint(table.sheet, self.fmt.sheet_names()),
                            known=", ".join(self.fmt.sheet_names()),
                        ),
                        value=table.sheet,
                    )
                    continue
                sheet, illustrative = match
                if sheet.key == "metadata":
                    found_metadata = True
                    kommun = self.metadata(table, sheet) or kommun
                else:
                    matched.append((table, sheet, illustrative))
            if not found_metadata and default_kommun is None and matched:
                self.problems.append(
                    SpreadsheetProblem(
                        path, None, None, None, None, message("spreadsheet.no_metadata")
                    )
                )
            for table, sheet, illustrative in matched:
                prepared.append(self.headers(_Sheet(table, sheet, illustrative, kommun)))
        return prepared

    def metadata(self, table: RawTable, sheet: SheetDef) -> str | None:
        self.headers(_Sheet(table, sheet, False, None))
        if len(table.rows) != 1:
            self.problem(table, message("spreadsheet.metadata_rows", count=len(table.rows)))
            return None
        row = table.rows[0]
        for header, value in row.values.items():
            column = sheet.column_for(header)
            if column is None or column.type != "kommun":
                continue
            if not value:
                self.problem(
                    table,
                    message("spreadsheet.required", column=header),
                    row=row.number,
                    column=header,
                )
                return None
            iri = self.codes.kommun(value)
            if iri is None:
                self.problem(
                    table,
                    message(
                        "spreadsheet.unknown_kommun",
                        value=value,
                        hint=self.code_hint("kommun", value),
                    ),
                    row=row.number,
                    column=header,
                    value=value,
                )
                return None
            return str(iri).rsplit("/", 1)[-1]
        return None

    def headers(self, prepared: _Sheet) -> _Sheet:
        table, sheet = prepared.table, prepared.sheet
        seen: set[str] = set()
        for header in table.headers:
            if not header:
                continue
            column = sheet.column_for(header)
            if column is None:
                known = [c.header for c in sheet.columns]
                self.problem(
                    table,
                    message(
                        "spreadsheet.unknown_column",
                        value=header,
                        sheet=sheet.title,
                        hint=self.hint(
                            header,
                            [n for c in sheet.columns for n in (c.header, c.header_en, *c.aliases)],
                        ),
                        known=", ".join(known),
                    ),
                    row=1,
                    column=header,
                    value=header,
                )
                continue
            if column.header in seen:
                self.problem(
                    table,
                    message("spreadsheet.duplicate_column", column=header),
                    row=1,
                    column=header,
                )
                continue
            seen.add(column.header)
            prepared.columns[header] = column
        for column in sheet.columns:
            if (
                column.required
                and column.header not in seen
                and not (column.type == "type" and sheet.default_type)
            ):
                self.problem(
                    table,
                    message("spreadsheet.missing_column", column=column.header, sheet=sheet.title),
                    row=1,
                    column=column.header,
                )
        return prepared

    # --- pass 1: ids ------------------------------------------------------------

    def row_type(self, prepared: _Sheet, row: RawRow) -> RowType | bool | None:
        """The row's type; ``None`` if the sheet has no types; ``False`` if it is wrong."""
        sheet = prepared.sheet
        if not sheet.types:
            return None
        header = next((h for h, c in prepared.columns.items() if c.type == "type"), None)
        value = row.values.get(header, "") if header else ""
        if not value and sheet.default_type:
            return sheet.type_by_key(sheet.default_type)
        found = sheet.type_for(value) if value else None
        if found is None:
            names = [t.names[0] if t.names else t.key for t in sheet.types]
            if not value:
                self.problem(
                    prepared.table,
                    message("spreadsheet.required", column=header or "typ"),
                    row=row.number,
                    column=header or "typ",
                )
            else:
                self.problem(
                    prepared.table,
                    message(
                        "spreadsheet.unknown_type",
                        value=value,
                        hint=self.hint(value, names),
                        known=", ".join(names),
                    ),
                    row=row.number,
                    column=header,
                    value=value,
                )
            return False
        return found

    def register(self, prepared: list[_Sheet]) -> None:
        for entry in prepared:
            if entry.sheet.link_sheet or entry.kommun is None:
                continue
            id_header = next((h for h, c in entry.columns.items() if c.type == "id"), None)
            if id_header is None:
                continue
            for row in entry.table.rows:
                local = row.values.get(id_header, "")
                if not local:
                    self.problem(
                        entry.table,
                        message("spreadsheet.required", column=id_header),
                        row=row.number,
                        column=id_header,
                    )
                    continue
                if not _ID.match(local):
                    self.problem(
                        entry.table,
                        message("spreadsheet.bad_id", value=local),
                        row=row.number,
                        column=id_header,
                        value=local,
                    )
                    continue
                row_type = self.row_type(entry, row)
                if row_type is False:
                    continue
                kind = row_type.kind if isinstance(row_type, RowType) else entry.sheet.kind
                assert kind is not None
                where = f"{entry.table.sheet}, rad {row.number}"
                known = self.items.setdefault(entry.kommun, {})
                if local in known:
                    self.problem(
                        entry.table,
                        message(
                            "spreadsheet.duplicate_id",
                            value=local,
                            where=known[local].where,
                            kommun=self.codes.kommun_name(entry.kommun),
                        ),
                        row=row.number,
                        column=id_header,
                        value=local,
                    )
                    continue
                known[local] = Item(
                    entry.kommun,
                    local,
                    kind,
                    row_type.key if isinstance(row_type, RowType) else None,
                    mint(entry.kommun, kind, local),
                    where,
                )

    # --- pass 2: cells -----------------------------------------------------------

    def convert(self, prepared: list[_Sheet]) -> None:
        for entry in prepared:
            if entry.kommun is None:
                continue
            for row in entry.table.rows:
                if entry.sheet.link_sheet:
                    self.link_row(entry, row)
                else:
                    self.item_row(entry, row)

    def item_row(self, entry: _Sheet, row: RawRow) -> None:
        id_header = next((h for h, c in entry.columns.items() if c.type == "id"), None)
        item = self.items.get(entry.kommun or "", {}).get(row.values.get(id_header or "", ""))
        if item is None or item.where != f"{entry.table.sheet}, rad {row.number}":
            self.unplaced_cells(entry, row)
            return
        subject = item.iri
        sheet = entry.sheet
        cls = sheet.type_by_key(item.type_key).cls if item.type_key else sheet.cls
        assert cls is not None
        self.triples.append((subject, RDF.type, cls))
        if item.kind not in _NO_MUNICIPALITY:
            self.triples.append((subject, GG.municipality, self.codes.kommun(item.kommun)))  # type: ignore[arg-type]
        self.triples.append((subject, DCTERMS.identifier, Literal(item.id)))
        illustrative_given = False
        for header, column in entry.columns.items():
            value = row.values.get(header, "")
            if column.type in ("id", "type", "info"):
                continue
            if column.type == "bool" and column.property == GG.illustrative:
                illustrative_given = bool(value)
            if not value:
                if column.required:
                    self.problem(
                        entry.table,
                        message("spreadsheet.required", column=header),
                        row=row.number,
                        column=header,
                    )
                continue
            values = [v.strip() for v in value.split(";")] if column.multi else [value]
            if column.type == "text" and not column.multi:
                values = [value]
            for single in (v for v in values if v):
                obj = self.value(entry, row, header, column, single, item)
                if obj is None:
                    continue
                if column.type == "bool" and obj == Literal(False):
                    continue
                assert column.property is not None
                if column.inverse:
                    self.triples.append((obj, column.property, subject))
                else:
                    self.triples.append((subject, column.property, obj))
        if entry.illustrative and not illustrative_given:
            self.triples.append((subject, GG.illustrative, Literal(True)))
        for header, value in row.values.items():
            if header == "" and value:
                self.problem(
                    entry.table,
                    message("spreadsheet.extra_cells", value=value),
                    row=row.number,
                    value=value,
                )

    def unplaced_cells(self, entry: _Sheet, row: RawRow) -> None:
        """Check the cells of a row whose id failed, so all its problems show at once."""
        for header, column in entry.columns.items():
            value = row.values.get(header, "")
            if value and column.type not in ("id", "type", "info", "ref", "target"):
                for single in [v.strip() for v in value.split(";")] if column.multi else [value]:
                    if single:
                        self.value(entry, row, header, column, single, None)

    def link_row(self, entry: _Sheet, row: RawRow) -> None:
        by_type = {c.type: h for h, c in entry.columns.items()}
        cells = {t: row.values.get(h, "") for t, h in by_type.items()}
        for kind in ("ref", "linktype", "target"):
            if kind in by_type and not cells.get(kind):
                self.problem(
                    entry.table,
                    message("spreadsheet.required", column=by_type[kind]),
                    row=row.number,
                    column=by_type[kind],
                )
        if not all(cells.get(k) for k in ("ref", "linktype", "target")):
            return
        source = self.ref(entry, row, by_type["ref"], ("any",), cells["ref"], None)
        link = self.fmt.link_type_for(cells["linktype"])
        if link is None:
            names = [lt.names[0] for lt in self.fmt.link_types]
            self.problem(
                entry.table,
                message(
                    "spreadsheet.unknown_link_type",
                    value=cells["linktype"],
                    hint=self.hint(cells["linktype"], names),
                    known=", ".join(names),
                ),
                row=row.number,
                column=by_type["linktype"],
                value=cells["linktype"],
            )
            return
        header = by_type["target"]
        target: Node | None
        if link.target == "ref":
            target = self.ref(entry, row, header, link.kinds, cells["target"], None)
        elif link.target == "concept":
            assert link.scheme is not None
            target = self.concept(entry, row, header, link.scheme, cells["target"])
        elif link.target == "sdg":
            target = self.sdg(entry, row, header, cells["target"])
        else:
            target = self.iri(entry, row, header, cells["target"])
        if source is not None and target is not None:
            self.triples.append((source, link.property, target))

    # --- values ---------------------------------------------------------------

    def value(
        self,
        entry: _Sheet,
        row: RawRow,
        header: str,
        column: ColumnDef,
        value: str,
        item: Item | None,
    ) -> Node | None:
        kind = column.type
        if kind == "text":
            return Literal(value, lang="sv")
        if kind == "text_en":
            return Literal(value, lang="en")
        if kind == "string":
            return Literal(value)
        if kind == "ref":
            restrict = column.restrict.get(item.type_key or "") if item else None
            return self.ref(entry, row, header, column.kinds, value, restrict)
        if kind == "concept":
            assert column.scheme is not None
            return self.concept(entry, row, header, column.scheme, value)
        if kind == "sdg":
            return self.sdg(entry, row, header, value)
        if kind == "kommun":
            found = self.codes.kommun(value)
            if found is None:
                self.problem(
                    entry.table,
                    message(
                        "spreadsheet.unknown_kommun",
                        value=value,
                        hint=self.code_hint("kommun", value),
                    ),
                    row=row.number,
                    column=header,
                    value=value,
                )
            return found
        return self.literal(entry, row, header, kind, value)

    def literal(
        self, entry: _Sheet, row: RawRow, header: str, kind: str, value: str
    ) -> Literal | None:
        def fail(key: str) -> None:
            self.problem(
                entry.table,
                message(f"spreadsheet.{key}", value=value),
                row=row.number,
                column=header,
                value=value,
            )

        if kind in ("date", "date_start", "date_end"):
            if kind != "date" and _YEAR.match(value):
                day = "01-01" if kind == "date_start" else "12-31"
                return Literal(f"{value}-{day}", datatype=XSD.date)
            try:
                if not _DATE.match(value):
                    raise ValueError(value)
                parsed = dt.date.fromisoformat(value)
            except ValueError:
                fail("bad_date" if kind == "date" else "bad_period_date")
                return None
            return Literal(parsed.isoformat(), datatype=XSD.date)
        if kind == "year":
            if not _YEAR.match(value):
                fail("bad_year")
                return None
            return Literal(value, datatype=XSD.gYear)
        if kind == "decimal":
            try:
                number = Decimal(value.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
            except InvalidOperation:
                fail("bad_decimal")
                return None
            if not number.is_finite():
                fail("bad_decimal")
                return None
            return Literal(str(number), datatype=XSD.decimal)
        if kind == "bool":
            folded = normalise(value)
            if folded in _TRUE:
                return Literal(True)
            if folded in _FALSE:
                return Literal(False)
            fail("bad_bool")
            return None
        raise ValueError(f"unknown column type {kind!r} in format.yaml")

    def ref(
        self,
        entry: _Sheet,
        row: RawRow,
        header: str,
        kinds: Sequence[str],
        value: str,
        restrict: Sequence[str] | None,
    ) -> URIRef | None:
        kommun = entry.kommun or ""
        known = self.items.get(kommun, {})
        wanted = [
            i
            for i in known.values()
            if ("any" in kinds or i.kind in kinds) and (not restrict or i.type_key in restrict)
        ]
        what = self.what(kinds, restrict)
        found = known.get(value)
        if found is not None and found in wanted:
            return found.iri
        ids = [i.id for i in wanted]
        if found is None:
            self.problem(
                entry.table,
                message(
                    "spreadsheet.unknown_ref",
                    what=what,
                    value=value,
                    kommun=self.codes.kommun_name(kommun),
                    hint=self.hint(value, ids, cutoff=0.8),
                    known=compress_ids(ids),
                ),
                row=row.number,
                column=header,
                value=value,
            )
        else:
            actual = self.what([found.kind], [found.type_key] if found.type_key == "kf" else None)
            self.problem(
                entry.table,
                message(
                    "spreadsheet.wrong_ref",
                    value=value,
                    actual=actual,
                    what=what,
                    known=compress_ids(ids),
                ),
                row=row.number,
                column=header,
                value=value,
            )
        return None

    @staticmethod
    def what(kinds: Sequence[str], restrict: Sequence[str] | None) -> str:
        if restrict:
            return " / ".join(message(f"spreadsheet.type_{r}") for r in restrict)
        return " / ".join(message(f"spreadsheet.kind_{k}") for k in kinds)

    def code_hint(self, scheme: str, value: str) -> str:
        close = self.codes.suggest(scheme, value)
        if not close:
            return ""
        return message("spreadsheet.did_you_mean", candidates=" / ".join(close))

    def concept(
        self, entry: _Sheet, row: RawRow, header: str, scheme: str, value: str
    ) -> URIRef | None:
        found = self.codes.concept(scheme, value)
        if found is None:
            self.problem(
                entry.table,
                message(
                    "spreadsheet.unknown_code",
                    value=value,
                    hint=self.code_hint(scheme, value),
                    known=", ".join(self.codes.known(scheme)),
                ),
                row=row.number,
                column=header,
                value=value,
            )
        return found

    def sdg(self, entry: _Sheet, row: RawRow, header: str, value: str) -> URIRef | None:
        found = self.codes.sdg(value)
        if found is None:
            self.problem(
                entry.table,
                message("spreadsheet.unknown_sdg", value=value, hint=self.code_hint("sdg", value)),
                row=row.number,
                column=header,
                value=value,
            )
        return found

    def iri(self, entry: _Sheet, row: RawRow, header: str, value: str) -> URIRef | None:
        local = self.items.get(entry.kommun or "", {}).get(value)
        if local is not None:
            return local.iri
        found = self.codes.reference_iri(value)
        if found is None:
            self.problem(
                entry.table,
                message(
                    "spreadsheet.unknown_iri",
                    value=value,
                    kommun=self.codes.kommun_name(entry.kommun or ""),
                    hint=self.hint(value, self.codes.reference_curies()),
                ),
                row=row.number,
                column=header,
                value=value,
            )
        return found


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


def convert_tables(
    sources: Sequence[tuple[str, list[RawTable]]], *, kommun: str | None = None
) -> tuple[list[Triple], list[SpreadsheetProblem]]:
    """Convert the tables of every source to triples, returning all problems found.

    :param sources: ``(path, tables)`` per import file or CSV folder.
    :param kommun: kommun code for sources without a Metadata sheet.
    """
    codes = reference_codes()
    converter = _Converter(spreadsheet_format(), codes)
    if kommun is not None:
        iri = codes.kommun(kommun)
        if iri is None:
            converter.problems.append(
                SpreadsheetProblem(
                    "--kommun",
                    None,
                    None,
                    None,
                    kommun,
                    message(
                        "spreadsheet.unknown_kommun",
                        value=kommun,
                        hint=converter.code_hint("kommun", kommun),
                    ),
                )
            )
            return [], converter.problems
        kommun = str(iri).rsplit("/", 1)[-1]
    prepared = converter.prepare(sources, kommun)
    converter.register(prepared)
    converter.convert(prepared)
    order = {(p.table.path, p.table.sheet): i for i, p in enumerate(prepared)}

    def source_index(path: str) -> int:
        return next((i for i, (s, _) in enumerate(sources) if path.startswith(s)), -1)

    problems = sorted(
        converter.problems,
        key=lambda p: (source_index(p.path), order.get((p.path, p.sheet or ""), -1), p.row or 0),
    )
    return converter.triples, problems
