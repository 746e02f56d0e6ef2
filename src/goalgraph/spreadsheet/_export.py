"""Turn a graph back into the sheets of the import format, and derive the read-only grid.

Every triple of a municipality's items is written to exactly one cell or
one row of the Länkar sheet, so importing the export gives the same graph.
Triples the format cannot express are returned, never silently dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict

import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from goalgraph.errors import UnknownTermError
from goalgraph.graph import GoalGraph
from goalgraph.i18n import message
from goalgraph.namespace import GG, ID
from goalgraph.spreadsheet._codes import ReferenceCodes, reference_codes
from goalgraph.spreadsheet._definitions import ColumnDef, SheetDef, spreadsheet_format
from goalgraph.spreadsheet._reading import RawTable
from goalgraph.spreadsheet._writing import Grid, SheetTable, blank_table, column_comment

__all__ = ["canonical_tables", "graph_grid", "graph_tables", "natural_key", "with_choices"]

_Triple = tuple[Node, Node, Node]


def natural_key(text: str) -> list[object]:
    """Sort key putting KS2 before KS10."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p]


def _local(iri: Node, kommun: str) -> str | None:
    prefix = f"{ID}{kommun}/"
    text = str(iri)
    if isinstance(iri, URIRef) and text.startswith(prefix):
        return text[len(prefix) :].split("/", 1)[1]
    return None


def _kind(iri: Node, kommun: str) -> str | None:
    """The kind segment of a minted IRI (``goal`` of ``…/0665/goal/KS1``), or ``None``."""
    prefix = f"{ID}{kommun}/"
    text = str(iri)
    if isinstance(iri, URIRef) and text.startswith(prefix) and "/" in text[len(prefix) :]:
        return text[len(prefix) :].split("/", 1)[0]
    return None


def _own_row(iri: Node, kommun: str, kinds: tuple[str, ...]) -> str | None:
    """The id of *iri* if it is the kommun's own row of one of *kinds* (a RUS sheet area)."""
    text = str(iri)
    if any(text.startswith(f"{ID}{kommun}/{kind}/") for kind in kinds):
        return _local(iri, kommun)
    return None


def kommuner_of(graph: rdflib.Graph) -> list[str]:
    """The codes of the kommuner whose items the graph holds."""
    codes = {str(o).rsplit("/", 1)[-1] for o in graph.objects(None, GG.municipality)}
    return sorted(codes)


class _Exporter:
    def __init__(self, graph: rdflib.Graph, kommun: str, codes: ReferenceCodes):
        self.graph = graph
        self.kommun = kommun
        self.codes = codes
        self.fmt = spreadsheet_format()
        self.consumed: set[_Triple] = set()
        self.illustrative_links = self.reified_links()

    def reified_links(self) -> set[_Triple]:
        """Links the graph marks illustrative with an rdf:Statement of the import's kind.

        Their statements are consumed here; the links themselves go to the
        illustrative Länkar sheet, never to a cell of the document's rows. A
        statement about a link the graph lacks, or about an illustrative item's
        link (which its item's mark already covers), is left over.
        """
        found: set[_Triple] = set()
        prefix = f"{ID}{self.kommun}/statement/"
        true = Literal(True)
        for statement in self.graph.subjects(RDF.type, RDF.Statement):
            if not str(statement).startswith(prefix):
                continue
            if (statement, GG.illustrative, true) not in self.graph:
                continue
            parts = [
                list(self.graph.objects(statement, p))
                for p in (RDF.subject, RDF.predicate, RDF.object)
            ]
            if any(len(values) != 1 for values in parts):
                continue
            link = (parts[0][0], parts[1][0], parts[2][0])
            if link not in self.graph or (link[0], GG.illustrative, true) in self.graph:
                continue
            found.add(link)
            self.consumed.add((statement, RDF.type, RDF.Statement))
            self.consumed.add((statement, GG.illustrative, true))
            for p, values in zip((RDF.subject, RDF.predicate, RDF.object), parts, strict=True):
                self.consumed.add((statement, p, values[0]))
        return found

    def cell(self, column: ColumnDef, obj: Node) -> str | None:
        kind = column.type
        if kind in ("text", "text_en"):
            want = "sv" if kind == "text" else "en"
            if isinstance(obj, Literal) and obj.language == want:
                return str(obj)
            return None
        if kind in ("string", "date", "date_start", "date_end", "year", "decimal"):
            return str(obj) if isinstance(obj, Literal) and obj.language is None else None
        if kind == "bool":
            return "ja" if isinstance(obj, Literal) and obj.toPython() is True else None
        if kind == "ref":
            return _local(obj, self.kommun)
        if kind == "concept":
            assert column.scheme is not None
            if (own := _own_row(obj, self.kommun, column.kinds)) is not None:
                return own
            found = self.codes.concept(column.scheme, str(obj))
            return self.codes.code(column.scheme, found) if found == obj else None
        if kind == "sdg":
            return self._sdg_code(obj)
        if kind == "kommun":
            found = self.codes.kommun(str(obj).rsplit("/", 1)[-1])
            return str(obj).rsplit("/", 1)[-1] if found == obj else None
        return None

    def _sdg_code(self, obj: Node) -> str | None:
        """How a cell writes the SDG goal, target or indicator *obj* (11, 11.7, 11.7.1)."""
        if not isinstance(obj, URIRef):
            return None
        code = self.codes.code("sdg", obj)
        return code if self.codes.sdg(code) == obj else None

    def fits(self, column: ColumnDef, obj: Node, type_key: str | None, sheet: SheetDef) -> bool:
        """Whether the import accepts *obj* in *column* of a row of *type_key*.

        A value the column refuses (a KS goal in a nämndmål's KF-mål column) is
        left for the Länkar sheet, whose link types take any row of their kinds.
        """
        if column.type != "ref":
            return True
        if "any" not in column.kinds and _kind(obj, self.kommun) not in column.kinds:
            return False
        allowed = column.restrict.get(type_key or "")
        if not allowed:
            return True
        classes = {t.cls for t in sheet.types if t.key in allowed}
        return any(c in classes for c in self.graph.objects(obj, RDF.type))

    def row(
        self, sheet: SheetDef, subject: URIRef, type_name: str | None, type_key: str | None
    ) -> list[str]:
        cells = []
        for column in sheet.columns:
            if column.type == "id":
                cells.append(_local(subject, self.kommun) or "")
                continue
            if column.type == "type":
                cells.append(type_name or "")
                continue
            if column.property is None:
                cells.append("")
                continue
            pairs: list[tuple[_Triple, Node]]
            if column.inverse:
                pairs = [
                    ((s, column.property, subject), s)
                    for s in self.graph.subjects(column.property, subject)
                ]
            else:
                pairs = [
                    ((subject, column.property, o), o)
                    for o in self.graph.objects(subject, column.property)
                ]
            texts: list[str] = []
            for triple, node in sorted(pairs, key=lambda p: natural_key(str(p[1]))):
                if triple in self.consumed:
                    continue
                # An illustrative link goes to the illustrative Länkar sheet, where its
                # mark comes back from. A required column shows it as well: without it
                # the row could not be imported (an import file states such a link in
                # both places, the only way to mark it illustrative).
                illustrative = triple in self.illustrative_links
                if illustrative and not column.required:
                    continue
                if not self.fits(column, node, type_key, sheet):
                    continue
                text = self.cell(column, node)
                if text is None or (texts and not column.multi):
                    continue
                texts.append(text)
                if not illustrative:
                    self.consumed.add(triple)
            cells.append("; ".join(texts))
        return cells

    def subjects(self, cls: URIRef) -> list[URIRef]:
        found = [
            s
            for s in self.graph.subjects(RDF.type, cls)
            if isinstance(s, URIRef) and _local(s, self.kommun) is not None
        ]
        return sorted(set(found), key=lambda s: natural_key(_local(s, self.kommun) or ""))

    def tables(self) -> tuple[list[SheetTable], list[_Triple]]:
        tables: list[SheetTable] = []
        meta = blank_table(self.fmt.sheet("metadata"))
        meta.rows.append([self.kommun, f"{self.codes.kommun_name(self.kommun)} (goalgraph export)"])
        tables.append(meta)
        municipality = self.codes.kommun(self.kommun)
        for sheet in self.fmt.sheets:
            if sheet.key == "metadata" or sheet.link_sheet:
                continue
            plain, illustrative = blank_table(sheet), blank_table(sheet, illustrative=True)
            kinds: list[tuple[URIRef, str | None, str | None]]
            if sheet.types:
                owned = [
                    t
                    for t in sheet.types
                    if (t.key == sheet.default_type)
                    or (
                        sheet.default_type is None
                        and not any(other.default_type == t.key for other in self.fmt.sheets)
                    )
                ]
                kinds = [(t.cls, t.names[0] if t.names else t.key, t.key) for t in owned]
            else:
                assert sheet.cls is not None
                kinds = [(sheet.cls, None, None)]
            for cls, type_name, type_key in kinds:
                for subject in self.subjects(cls):
                    if (subject, GG.illustrative, Literal(True)) in self.graph:
                        target = illustrative
                    else:
                        target = plain
                    self.consumed.add((subject, RDF.type, cls))
                    self.consumed.add((subject, GG.municipality, municipality))  # type: ignore[arg-type]
                    for ident in self.graph.objects(subject, DCTERMS.identifier):
                        if str(ident) == _local(subject, self.kommun):
                            self.consumed.add((subject, DCTERMS.identifier, ident))
                    target.rows.append(self.row(sheet, subject, type_name, type_key))
            tables.extend(_pruned(t, sheet) for t in (plain, illustrative) if t.rows or t is plain)
        links = blank_table(self.fmt.sheet("lankar"))
        illustrative_links = blank_table(self.fmt.sheet("lankar"), illustrative=True)
        leftover: list[_Triple] = []
        for triple in sorted(self.graph, key=lambda t: tuple(natural_key(str(x)) for x in t)):
            if triple in self.consumed:
                continue
            row = self.link(triple)
            if row is None:
                leftover.append(triple)
            elif triple in self.illustrative_links:
                illustrative_links.rows.append(row)
            else:
                links.rows.append(row)
        tables.append(links)
        if illustrative_links.rows:
            tables.append(illustrative_links)
        return tables, leftover

    def link(self, triple: _Triple) -> list[str] | None:
        subject, predicate, obj = triple
        source = _local(subject, self.kommun)
        if source is None:
            return None
        for link in self.fmt.link_types:
            if link.property != predicate:
                continue
            target: str | None
            if link.target == "ref":
                target = _local(obj, self.kommun)
            elif link.target == "concept":
                assert link.scheme is not None
                found = self.codes.concept(link.scheme, str(obj))
                target = self.codes.code(link.scheme, found) if found == obj else None
                target = target or _own_row(obj, self.kommun, link.kinds)
            elif link.target == "sdg":
                target = self._sdg_code(obj)
            else:
                target = _local(obj, self.kommun)
                if target is None and self.codes.reference_iri(str(obj)) is not None:
                    target = "ref:" + str(obj).removeprefix("https://w3id.org/goalgraph/ref/")
            if target is not None:
                return [source, link.names[0], target, ""]
        return None


def with_choices(tables: list[SheetTable]) -> list[SheetTable]:
    """Give each column of reference codes, types or yes/no its drop-down list of values."""
    fmt = spreadsheet_format()
    codes = reference_codes()
    for table in tables:
        match = fmt.sheet_for(table.title)
        if match is None:
            continue
        sheet = match[0]
        table.choices = []
        for header in table.headers:
            column = sheet.column_for(header)
            values: list[str] = []
            if column is None:
                pass
            elif column.type == "type":
                values = [t.names[0] if t.names else t.key for t in sheet.types]
            elif column.type == "concept" and column.scheme:
                values = codes.known(column.scheme, limit=None)
            elif column.type == "linktype":
                values = [link.names[0] for link in fmt.link_types]
            elif column.type == "bool":
                values = ["ja", "nej"]
            table.choices.append(values)
    return tables


def _pruned(table: SheetTable, sheet: SheetDef) -> SheetTable:
    """Drop optional columns that no row fills, so an export shows what the data holds."""
    if not table.rows:
        return table
    keep = [
        i
        for i, header in enumerate(table.headers)
        if any(row[i] for row in table.rows)
        or (column := sheet.column_for(header)) is None
        or column.required
        or column.type in ("id", "type")
    ]
    table.headers = [table.headers[i] for i in keep]
    table.comments = [table.comments[i] for i in keep]
    table.rows = [[row[i] for i in keep] for row in table.rows]
    return table


def graph_tables(
    graph: GoalGraph | rdflib.Graph,
    *,
    kommun: str | None = None,
) -> tuple[str, list[SheetTable], list[_Triple]]:
    """The sheets of one kommun's data in *graph*, and the triples they cannot hold.

    :raises UnknownTermError: if *kommun* is not given and the graph holds none or several.
    """
    data = graph.to_rdflib() if isinstance(graph, GoalGraph) else graph
    found = kommuner_of(data)
    codes = reference_codes()
    if kommun is None:
        if not found:
            raise UnknownTermError(message("spreadsheet.no_kommun"), term="")
        if len(found) > 1:
            raise UnknownTermError(
                message("spreadsheet.several_kommuner", known=", ".join(found)),
                term="",
                candidates=found,
            )
        kommun = found[0]
    else:
        iri = codes.kommun(kommun)
        if iri is None or str(iri).rsplit("/", 1)[-1] not in found:
            raise UnknownTermError(
                message("spreadsheet.several_kommuner", known=", ".join(found)),
                term=kommun,
                candidates=found,
            )
        kommun = str(iri).rsplit("/", 1)[-1]
    exporter = _Exporter(data, kommun, codes)
    tables, leftover = exporter.tables()
    return kommun, with_choices(tables), leftover


def graph_grid(graph: GoalGraph | rdflib.Graph, kommun: str) -> Grid | None:
    """The delstrategier as the document's grid: riktning rows × Bo/Leva/Verka columns."""
    data = graph.to_rdflib() if isinstance(graph, GoalGraph) else graph
    codes = reference_codes()
    prefix = f"{ID}{kommun}/"
    cells: dict[tuple[URIRef, URIRef], list[tuple[str, str]]] = defaultdict(list)
    for sub in data.subjects(RDF.type, GG.SubStrategy):
        if not str(sub).startswith(prefix):
            continue
        label = next(
            (
                str(o)
                for o in data.objects(sub, rdflib.RDFS.label)
                if isinstance(o, Literal) and o.language == "sv"
            ),
            str(sub),
        )
        for area in data.objects(sub, GG.inArea):
            for perspective in data.objects(sub, GG.hasPerspective):
                cells[(area, perspective)].append((str(sub), label))  # type: ignore[index]
    if not cells:
        return None
    areas = sorted(
        {a for a, _ in cells},
        key=lambda a: natural_key(
            next((str(n) for n in data.objects(a, rdflib.SKOS.notation)), "") + str(a)
        ),
    )
    perspectives = codes.schemes["perspective"].members
    row_labels = [
        next(
            (
                str(o)
                for o in data.objects(a, rdflib.RDFS.label)
                if isinstance(o, Literal) and o.language == "sv"
            ),
            str(a),
        )
        for a in areas
    ]
    grid_cells = {
        (r, c): [label for _, label in sorted(cells[(a, p)], key=lambda x: natural_key(x[0]))]
        for r, a in enumerate(areas)
        for c, p in enumerate(perspectives)
        if (a, p) in cells
    }
    return Grid(
        message("spreadsheet.grid_title"),
        message("spreadsheet.grid_note"),
        row_labels,
        [codes.code("perspective", p) for p in perspectives],
        grid_cells,
    )


def canonical_tables(raw: list[RawTable]) -> list[SheetTable]:
    """Authored tables as written, with canonical headers, in the format's sheet order."""
    fmt = spreadsheet_format()
    ordered: list[tuple[int, bool, RawTable, SheetDef]] = []
    for table in raw:
        match = fmt.sheet_for(table.sheet)
        if match is None:
            continue
        sheet, illustrative = match
        ordered.append((fmt.sheets.index(sheet), illustrative, table, sheet))
    result = []
    for _, illustrative, table, sheet in sorted(ordered, key=lambda x: (x[0], x[1])):
        used = {c.header for h in table.headers if h and (c := sheet.column_for(h)) is not None}
        columns = [c for c in sheet.readable_columns() if c.header in used]
        out = blank_table(sheet, illustrative=illustrative)
        out.headers = [c.header for c in columns]
        out.comments = [column_comment(c) for c in columns]
        written = {c.header: h for h in table.headers if h and (c := sheet.column_for(h))}
        for row in table.rows:
            out.rows.append([row.values.get(written[c.header], "") for c in columns])
        result.append(out)
    return with_choices(result)
