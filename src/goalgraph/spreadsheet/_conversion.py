"""Turn tables read from import files into RDF triples, collecting every problem.

Conversion runs over all sources together: :func:`~.layout.prepare` matches
sheets and columns, the first pass registers every row's id (so a row may
refer to rows in other sheets or files of the same kommun, in any order),
the second turns each cell into triples. A problem never stops the
conversion; all are returned so that the user sees every wrong cell at once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from goalgraph.errors import SpreadsheetProblem
from goalgraph.i18n import message
from goalgraph.namespace import GG, mint
from goalgraph.sources import SourceRow
from goalgraph.spreadsheet._cells import (
    CellError,
    ProblemLog,
    compress_ids,
    did_you_mean,
    parse_literal,
    split_cell,
)
from goalgraph.spreadsheet._codes import ReferenceCodes, reference_codes
from goalgraph.spreadsheet._definitions import (
    ColumnDef,
    RowType,
    SpreadsheetFormat,
    spreadsheet_format,
)
from goalgraph.spreadsheet._layout import PreparedSheet, code_hint, prepare
from goalgraph.spreadsheet._reading import RawRow, RawTable

__all__ = ["Item", "Triple", "convert_tables"]

Triple = tuple[Node, Node, Node]
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Kinds whose rows are not "items of a municipality" in the ontology's sense.
_NO_MUNICIPALITY = {"observation", "ambition"}
_TRUE = Literal(True)


@dataclass(frozen=True)
class Item:
    """A registered row: where it is and what it becomes."""

    kommun: str
    id: str
    kind: str
    type_key: str | None
    iri: URIRef
    where: str


class _Converter:
    def __init__(self, fmt: SpreadsheetFormat, codes: ReferenceCodes):
        self.fmt = fmt
        self.codes = codes
        self.log = ProblemLog()
        self.triples: list[Triple] = []
        self.items: dict[str, dict[str, Item]] = {}
        self.rows: dict[str, SourceRow] = {}
        # links of Länkar rows by kommun: only in illustrative sheets, or in a sheet of the document
        self.illustrative_links: dict[Triple, str] = {}
        self.stated_links: set[Triple] = set()

    # --- pass 1: ids -------------------------------------------------------------

    def row_type(self, entry: PreparedSheet, row: RawRow) -> RowType | bool | None:
        """The row's type; ``None`` if the sheet has no types; ``False`` if it is wrong."""
        sheet = entry.sheet
        if not sheet.types:
            return None
        header = entry.header_of("type")
        value = row.values.get(header, "") if header else ""
        if not value and sheet.default_type:
            return sheet.type_by_key(sheet.default_type)
        found = sheet.type_for(value) if value else None
        if found is None:
            names = [t.names[0] if t.names else t.key for t in sheet.types]
            if value:
                self.log.add(
                    entry.table,
                    "unknown_type",
                    row=row.number,
                    column=header,
                    value=value,
                    hint=did_you_mean(value, names),
                    known=", ".join(names),
                )
            else:
                self.log.add(entry.table, "required", row=row.number, column=header or "typ")
            return False
        return found

    def register(self, prepared: list[PreparedSheet]) -> None:
        for entry in prepared:
            id_header = entry.header_of("id")
            if entry.sheet.link_sheet or entry.kommun is None or id_header is None:
                continue
            known = self.items.setdefault(entry.kommun, {})
            for row in entry.table.rows:
                local = row.values.get(id_header, "")
                if not local:
                    self.log.add(entry.table, "required", row=row.number, column=id_header)
                    continue
                if not _ID.match(local):
                    self.log.add(
                        entry.table, "bad_id", row=row.number, column=id_header, value=local
                    )
                    continue
                row_type = self.row_type(entry, row)
                if row_type is False:
                    continue
                if local in known:
                    self.log.add(
                        entry.table,
                        "duplicate_id",
                        row=row.number,
                        column=id_header,
                        value=local,
                        where=known[local].where,
                        kommun=self.codes.kommun_name(entry.kommun),
                    )
                    continue
                typed = row_type if isinstance(row_type, RowType) else None
                kind = typed.kind if typed else entry.sheet.kind
                assert kind is not None
                known[local] = Item(
                    entry.kommun,
                    local,
                    kind,
                    typed.key if typed else None,
                    mint(entry.kommun, kind, local),
                    f"{entry.table.sheet}, rad {row.number}",
                )

    # --- pass 2: cells -------------------------------------------------------------

    def convert(self, prepared: list[PreparedSheet]) -> None:
        for entry in prepared:
            if entry.kommun is None:
                continue
            for row in entry.table.rows:
                if entry.sheet.link_sheet:
                    self.link_row(entry, row)
                else:
                    self.item_row(entry, row)
                for header, value in row.values.items():
                    if header == "" and value:
                        self.log.add(entry.table, "extra_cells", row=row.number, value=value)

    def item_row(self, entry: PreparedSheet, row: RawRow) -> None:
        item = self.items.get(entry.kommun or "", {}).get(
            row.values.get(entry.header_of("id") or "", "")
        )
        if item is None or item.where != f"{entry.table.sheet}, rad {row.number}":
            self.unplaced_cells(entry, row)
            return
        subject = item.iri
        self.rows[str(subject)] = _source_row(entry, row)
        cls = entry.sheet.type_by_key(item.type_key).cls if item.type_key else entry.sheet.cls
        assert cls is not None
        kommun = self.codes.kommun(item.kommun)
        assert kommun is not None
        self.triples.append((subject, RDF.type, cls))
        if item.kind not in _NO_MUNICIPALITY:
            self.triples.append((subject, GG.municipality, kommun))
        self.triples.append((subject, DCTERMS.identifier, Literal(item.id)))
        illustrative_given = False
        for header, column in entry.columns.items():
            value = row.values.get(header, "")
            if column.type in ("id", "type", "info"):
                continue
            if column.property == GG.illustrative:
                illustrative_given = bool(value)
            if not value and column.type == "kommun":
                value = item.kommun  # an observation's area defaults to the workbook's kommun
            if not value:
                if column.required:
                    self.log.add(entry.table, "required", row=row.number, column=header)
                continue
            for single in split_cell(value, multi=column.multi):
                obj = self.value(entry, row, header, column, single, item)
                if obj is None or (column.type == "bool" and obj == Literal(False)):
                    continue
                assert column.property is not None
                triple = (
                    (obj, column.property, subject)
                    if column.inverse
                    else (subject, column.property, obj)
                )
                self.triples.append(triple)
        if entry.illustrative and not illustrative_given:
            self.triples.append((subject, GG.illustrative, Literal(True)))
        present = {c.header for c in entry.columns.values()}
        for column in entry.sheet.columns:
            if column.type == "kommun" and column.property and column.header not in present:
                self.triples.append((subject, column.property, kommun))

    def unplaced_cells(self, entry: PreparedSheet, row: RawRow) -> None:
        """Check the cells of a row whose id failed, so all its problems show at once."""
        for header, column in entry.columns.items():
            value = row.values.get(header, "")
            if value and column.type not in ("id", "type", "info", "ref", "target"):
                for single in split_cell(value, multi=column.multi):
                    self.value(entry, row, header, column, single, None)

    def link_row(self, entry: PreparedSheet, row: RawRow) -> None:
        headers = {t: entry.header_of(t) for t in ("ref", "linktype", "target")}
        cells = {t: row.values.get(h, "") if h else "" for t, h in headers.items()}
        for kind, header in headers.items():
            if header and not cells[kind]:
                self.log.add(entry.table, "required", row=row.number, column=header)
        if not all(cells.values()):
            return
        source = self.ref(entry, row, headers["ref"] or "", ("any",), cells["ref"], None)
        link = self.fmt.link_type_for(cells["linktype"])
        if link is None:
            names = [lt.names[0] for lt in self.fmt.link_types]
            self.log.add(
                entry.table,
                "unknown_link_type",
                row=row.number,
                column=headers["linktype"],
                value=cells["linktype"],
                hint=did_you_mean(cells["linktype"], names),
                known=", ".join(names),
            )
            return
        header, value = headers["target"] or "", cells["target"]
        target: Node | None
        if link.target == "ref":
            target = self.ref(entry, row, header, link.kinds, value, None)
        elif link.target == "concept":
            assert link.scheme is not None
            target = self.concept(entry, row, header, link.scheme, value, link.kinds)
        elif link.target == "sdg":
            target = self.coded(entry, row, header, "sdg", value)
        else:
            target = self.iri(entry, row, header, value)
        if source is not None and target is not None:
            triple = (source, link.property, target)
            self.triples.append(triple)
            if entry.illustrative:
                self.illustrative_links.setdefault(triple, entry.kommun or "")
            else:
                self.stated_links.add(triple)

    def reify_illustrative_links(self) -> None:
        """Mark each link only an illustrative Länkar row states with an rdf:Statement.

        A link whose subject is an illustrative item needs no mark: the item's
        ``gg:illustrative`` covers everything said about it. A link a sheet of
        the document states as well is the document's, and stays unmarked.
        """
        illustrative_items = {s for s, p, o in self.triples if p == GG.illustrative and o == _TRUE}
        for triple, kommun in self.illustrative_links.items():
            if triple in self.stated_links or triple[0] in illustrative_items:
                continue
            statement = mint(kommun, "statement", _statement_id(triple))
            self.triples += [
                (statement, RDF.type, RDF.Statement),
                (statement, RDF.subject, triple[0]),
                (statement, RDF.predicate, triple[1]),
                (statement, RDF.object, triple[2]),
                (statement, GG.illustrative, _TRUE),
            ]

    # --- values ----------------------------------------------------------------------

    def value(
        self,
        entry: PreparedSheet,
        row: RawRow,
        header: str,
        column: ColumnDef,
        value: str,
        item: Item | None,
    ) -> Node | None:
        kind = column.type
        if kind == "ref":
            restrict = column.restrict.get(item.type_key or "") if item else None
            return self.ref(entry, row, header, column.kinds, value, restrict)
        if kind == "concept":
            assert column.scheme is not None
            return self.concept(entry, row, header, column.scheme, value, column.kinds)
        if kind in ("sdg", "kommun"):
            return self.coded(entry, row, header, kind, value)
        try:
            return parse_literal(kind, value)
        except CellError as error:
            self.log.add(entry.table, str(error), row=row.number, column=header, value=value)
            return None

    def ref(
        self,
        entry: PreparedSheet,
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
        found = known.get(value)
        if found is not None and found in wanted:
            return found.iri
        what = _what(kinds, restrict)
        ids = [i.id for i in wanted]
        if found is None:
            self.log.add(
                entry.table,
                "unknown_ref",
                row=row.number,
                column=header,
                value=value,
                what=what,
                kommun=self.codes.kommun_name(kommun),
                hint=did_you_mean(value, ids, cutoff=0.8),
                known=compress_ids(ids),
            )
        else:
            actual = _what([found.kind], [found.type_key] if found.type_key == "kf" else None)
            self.log.add(
                entry.table,
                "wrong_ref",
                row=row.number,
                column=header,
                value=value,
                actual=actual,
                what=what,
                known=compress_ids(ids),
            )
        return None

    def concept(
        self,
        entry: PreparedSheet,
        row: RawRow,
        header: str,
        scheme: str,
        value: str,
        kinds: Sequence[str] = (),
    ) -> URIRef | None:
        """A member of *scheme*, or the row of *kinds* with id *value* (a RUS sheet area)."""
        known = self.items.get(entry.kommun or "", {})
        local = known.get(value)
        if local is not None and local.kind in kinds:
            return local.iri
        found = self.codes.concept(scheme, value)
        if found is None:
            ids = [i.id for i in known.values() if i.kind in kinds]
            self.log.add(
                entry.table,
                "unknown_code",
                row=row.number,
                column=header,
                value=value,
                hint=code_hint(self.codes, scheme, value) or did_you_mean(value, ids),
                known=", ".join([*ids, *self.codes.known(scheme)]),
            )
        return found

    def coded(
        self,
        entry: PreparedSheet,
        row: RawRow,
        header: str,
        kind: str,
        value: str,
    ) -> URIRef | None:
        """Resolve a code of *kind* ``sdg`` or ``kommun``; an unknown one is logged with a hint."""
        found = self.codes.sdg(value) if kind == "sdg" else self.codes.kommun(value)
        if found is None:
            self.log.add(
                entry.table,
                f"unknown_{kind}",
                row=row.number,
                column=header,
                value=value,
                hint=code_hint(self.codes, kind, value),
            )
        return found

    def iri(self, entry: PreparedSheet, row: RawRow, header: str, value: str) -> URIRef | None:
        local = self.items.get(entry.kommun or "", {}).get(value)
        if local is not None:
            return local.iri
        found = self.codes.reference_iri(value)
        if found is None:
            self.log.add(
                entry.table,
                "unknown_iri",
                row=row.number,
                column=header,
                value=value,
                kommun=self.codes.kommun_name(entry.kommun or ""),
                hint=did_you_mean(value, self.codes.reference_curies()),
            )
        return found


def _statement_id(triple: Triple) -> str:
    """A short id that only this link has: a hash of its three IRIs."""
    text = "\n".join(str(term) for term in triple)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _what(kinds: Sequence[str], restrict: Sequence[str] | None) -> str:
    if restrict:
        return " / ".join(message(f"spreadsheet.type_{r}") for r in restrict)
    return " / ".join(message(f"spreadsheet.kind_{k}") for k in kinds)


def _source_row(entry: PreparedSheet, row: RawRow) -> SourceRow:
    """Where *row* is, with the header of each property's column: as written, else the format's."""
    columns: dict[str, str] = {}
    # the first column of a property wins: namn, not namn (en), for rdfs:label
    written = [(header, c) for header, c in entry.columns.items()]
    for header, column in [*written, *((c.header, c) for c in entry.sheet.columns)]:
        if column.property is not None and not column.inverse:
            columns.setdefault(str(column.property), header)
    return SourceRow(entry.table.path, entry.table.sheet, row.number, columns)


def convert_tables(
    sources: Sequence[tuple[str, list[RawTable]]],
    *,
    kommun: str | None = None,
    rows: dict[str, SourceRow] | None = None,
) -> tuple[list[Triple], list[SpreadsheetProblem]]:
    """Convert the tables of every source to triples, returning all problems found, in file order.

    :param sources: ``(path, tables)`` per import file or CSV folder.
    :param kommun: kommun code or name for sources without a Metadata sheet.
    :param rows: if given, filled with the row each item came from, by the item's IRI.
    """
    codes = reference_codes()
    converter = _Converter(spreadsheet_format(), codes)
    if kommun is not None:
        iri = codes.kommun(kommun)
        if iri is None:
            text = message(
                "spreadsheet.unknown_kommun", value=kommun, hint=code_hint(codes, "kommun", kommun)
            )
            return [], [SpreadsheetProblem("--kommun", None, None, None, kommun, text)]
        kommun = str(iri).rsplit("/", 1)[-1]
    prepared = prepare(sources, kommun, fmt=converter.fmt, codes=codes, log=converter.log)
    converter.register(prepared)
    converter.convert(prepared)
    converter.reify_illustrative_links()
    if rows is not None:
        rows.update(converter.rows)
    order = {(p.table.path, p.table.sheet): i for i, p in enumerate(prepared)}

    def source_index(path: str) -> int:
        return next((i for i, (s, _) in enumerate(sources) if path.startswith(s)), -1)

    problems = sorted(
        converter.log.problems,
        key=lambda p: (source_index(p.path), order.get((p.path, p.sheet or ""), -1), p.row or 0),
    )
    return converter.triples, problems
