"""Read RDF sources into a :class:`~goalgraph.graph.GoalGraph`, safely and offline.

Loading never touches the network: pyoxigraph's parsers do not fetch remote
JSON-LD contexts (we refuse them with a clear message), do not expand
external XML entities, and ``owl:imports`` is never followed. Every source is
parsed completely before anything is added, so a bad file adds nothing. Each
file first passes the checks of :mod:`goalgraph.inputs` (a regular file within
the size limit, UTF-8, well-formed XML, no JSON-LD term dropped in silence) and
is then streamed from its path by the parser.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
import rdflib

from goalgraph import resources
from goalgraph.errors import LoadError
from goalgraph.graph import DATA_GRAPH, VOCABULARY_GRAPH, GoalGraph
from goalgraph.i18n import message
from goalgraph.inputs import check_file, check_json_ld, check_utf8, check_xml, first_line_with
from goalgraph.ledger import load_recording
from goalgraph.positions import parser_problem
from goalgraph.property_tables import PropertyTables, builtin_shape_paths, shape_paths

__all__ = ["RDF_SUFFIXES", "Source", "load", "parse_file"]

RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".n3": ox.RdfFormat.N3,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

Source = str | Path | rdflib.Graph


def parse_file(path: str | Path, *, format: ox.RdfFormat | None = None) -> list[ox.Triple]:
    """Parse one RDF file completely and return its triples (quads lose their graph).

    :raises LoadError: if the file is missing, not a regular file, unreadable, over
        the input size limit, not UTF-8, of an unknown format or malformed; the
        message names the file and line.

    >>> from goalgraph.resources import ontology_file
    >>> len(parse_file(ontology_file())) > 1000
    True
    """
    path = Path(path)
    return _parsed(path, _checked(path, format))


def _parsed(path: Path, rdf_format: ox.RdfFormat) -> list[ox.Triple]:
    """The triples of *path*, which has passed the checks, parsed as *rdf_format*."""
    try:
        return [
            quad.triple if isinstance(quad, ox.Quad) else quad
            for quad in ox.parse(path=path, format=rdf_format, base_iri=_base(path))
        ]
    except SyntaxError as exc:
        raise _syntax_error(exc, path, rdf_format) from exc
    except OSError as exc:
        raise LoadError(
            message("load.unreadable", path=path, reason=exc.strerror), path=path
        ) from exc


def _base(path: Path) -> str:
    return path.resolve().as_uri()


def _checked(path: Path, format: ox.RdfFormat | None) -> ox.RdfFormat:
    """The format of *path*, once the file passes the checks every RDF source gets.

    The checks read the file in chunks (see :mod:`goalgraph.inputs`); the parser then
    streams it from its path, so no copy of the whole file is ever held in memory.
    """
    rdf_format = format or RDF_SUFFIXES.get(path.suffix.lower())
    check_file(path)
    if rdf_format is None:
        raise LoadError(message("load.unknown_format", path=path), path=path)
    check_utf8(path)
    if rdf_format == ox.RdfFormat.RDF_XML:
        check_xml(path)
    elif rdf_format == ox.RdfFormat.JSON_LD:
        check_json_ld(path, base_iri=_base(path))
    return rdf_format


def _syntax_error(exc: SyntaxError, path: Path, rdf_format: ox.RdfFormat) -> LoadError:
    if "remote context" in str(exc):
        return LoadError(message("load.remote_context"), path=path)
    found = parser_problem(exc)
    line, column = found.line, found.column
    if line is None:
        # The RDF/XML parser names the wrong term but not its place: find the term's line.
        quoted = re.search(r"'([^']+)'", found.detail) or re.match(r"(\S+) is not", found.detail)
        line = first_line_with(path, quoted.group(1)) if quoted else None
    return LoadError(
        message("load.syntax", format=rdf_format.name, detail=found.detail),
        path=path,
        line=line,
        column=column,
    )


def _load_file(
    graph: GoalGraph,
    path: Path,
    *,
    into: ox.NamedNode,
    packaged: bool = False,
    tables: PropertyTables | None = None,
) -> None:
    """Parse *path* straight into one named graph of *graph*'s store, in one transaction,
    recording the triples *tables* gathers there (if given).

    Much faster than building Python triples first (5 s instead of 11 s for 2 M
    triples), and streamed from the file: memory grows with the store, not with a
    copy of the file. Quad formats keep going through :func:`parse_file` so that
    their named graphs fold into *into*. A *packaged* file (the vocabulary, checked
    by the test suite) skips the input checks and limits.
    """
    suffix_format = RDF_SUFFIXES.get(path.suffix.lower())
    rdf_format = suffix_format if packaged and suffix_format else _checked(path, None)
    if rdf_format.supports_datasets:
        triples = _parsed(path, rdf_format)
        if tables is not None:
            tables.observe(triples)
        graph.literals.add(graph.store, triples, graph=into)
        return
    try:
        load_recording(
            graph.store,
            # the packaged vocabulary keeps every literal as written (a test checks that)
            graph.literals if into != VOCABULARY_GRAPH else None,
            path,
            format=rdf_format,
            base_iri=_base(path),
            to_graph=into,
            tables=tables,
        )
    except SyntaxError as exc:
        raise _syntax_error(exc, path, rdf_format) from exc
    except OSError as exc:
        raise LoadError(
            message("load.unreadable", path=path, reason=exc.strerror), path=path
        ) from exc


def _expand(source: str | Path) -> list[Path]:
    """*source*, or every RDF file below it if it is a folder.

    Every entry with an RDF suffix that is not a folder is kept, so that a named pipe,
    a symlink loop or an unreadable file among the data is named by the checks
    instead of being left out in silence; a folder that cannot be listed is an error.
    """
    path = Path(source)
    if not path.is_dir():
        return [path]

    def refuse(exc: OSError) -> None:
        where = exc.filename or path
        raise LoadError(
            message("load.unreadable", path=where, reason=exc.strerror), path=where
        ) from exc

    found = []
    for folder, _, names in os.walk(path, onerror=refuse):
        for name in names:
            entry = Path(folder, name)
            if entry.suffix.lower() in RDF_SUFFIXES and not entry.is_dir():
                found.append(entry)
    return sorted(found)


def _is_spreadsheet(source: str | Path) -> bool:
    # Import files (.xlsx, .csv, .yaml) and folders of CSV files go through goalgraph.spreadsheet.
    from goalgraph.spreadsheet import is_spreadsheet_source

    return is_spreadsheet_source(source)


def load(*sources: Source, vocabulary: bool = True, shapes: Sequence[str | Path] = ()) -> GoalGraph:
    """Load RDF files, folders of RDF files and rdflib graphs into a new goal graph.

    The ontology and reference data are loaded into their own named graph
    beside the user's data, unless *vocabulary* is false.

    :param sources: paths to Turtle, N-Triples, N-Quads, TriG, N3, JSON-LD or
        RDF/XML files; folders (every RDF file below them); rdflib graphs;
        spreadsheet import files (.xlsx, .csv, .yaml) and folders of CSV files.
    :param shapes: SHACL files the graph will also be validated with (``--shapes``):
        the properties their shapes name as a path, a step of a sequence path or
        ``sh:targetSubjectsOf`` are gathered while loading, as those of the built-in
        shapes always are, so that their simple shapes are judged from the load's
        tables (:mod:`goalgraph.property_tables`).
    :raises LoadError: if a source (or a *shapes* file) cannot be read or parsed
        (naming file and line); nothing is loaded then. A wrong spreadsheet raises
        its subclass SpreadsheetError listing every problem.

    >>> graph = load()
    >>> graph.count("vocabulary") > 8000
    True
    """
    graph = GoalGraph()
    if vocabulary:
        for path in resources.vocabulary_files():
            _load_file(graph, path, into=VOCABULARY_GRAPH, packaged=True)
    extra: list[rdflib.Graph] = []
    spreadsheets: list[Path] = []
    gathered = set(builtin_shape_paths())
    for file in shapes:
        gathered |= shape_paths(parse_file(file))
    tables = PropertyTables(sorted(gathered))
    try:
        for source in sources:
            if isinstance(source, rdflib.Graph):
                extra.append(source)
            elif _is_spreadsheet(source):
                spreadsheets.append(Path(source))
            else:
                for path in _expand(source):
                    _load_file(graph, path, into=DATA_GRAPH, tables=tables)
        if spreadsheets:
            from goalgraph.spreadsheet import convert

            converted = convert(*spreadsheets, rows=graph.sources)
            tables.observe(converted)
            graph.add(converted)
    except LoadError:
        graph.clear("data")  # all or nothing: earlier good sources must not linger
        graph.sources.clear()
        raise
    for rdflib_graph in extra:
        graph.add_rdflib(rdflib_graph)
    if not extra:
        checked = (DATA_GRAPH, VOCABULARY_GRAPH)
        tables.seal(checked, [graph.literals.version(g) for g in checked])
        graph.tables = tables
    return graph
