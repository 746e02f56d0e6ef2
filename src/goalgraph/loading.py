"""Read RDF sources into a :class:`~goalgraph.graph.GoalGraph`, safely and offline.

Loading never touches the network: pyoxigraph's parsers do not fetch remote
JSON-LD contexts (we refuse them with a clear message), do not expand
external XML entities, and ``owl:imports`` is never followed. Every source is
parsed completely before anything is added, so a bad file adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib

from goalgraph import resources
from goalgraph.errors import LoadError
from goalgraph.graph import GoalGraph
from goalgraph.i18n import message

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

    :raises LoadError: if the file is missing, unreadable, not UTF-8, of an
        unknown format or malformed; the message names the file and line.

    >>> from goalgraph.resources import ontology_file
    >>> len(parse_file(ontology_file())) > 1000
    True
    """
    path = Path(path)
    if not path.is_file():
        raise LoadError(message("load.not_found", path=path), path=path)
    rdf_format = format or RDF_SUFFIXES.get(path.suffix.lower())
    if rdf_format is None:
        raise LoadError(message("load.unknown_format", path=path), path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(
            message("load.unreadable", path=path, reason=exc.strerror), path=path
        ) from exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(message("load.not_utf8", position=exc.start), path=path, line=line) from exc
    if rdf_format == ox.RdfFormat.RDF_XML and b"<!ENTITY" in data:
        raise LoadError(message("load.xml_entity"), path=path)
    try:
        return [
            quad.triple if isinstance(quad, ox.Quad) else quad
            for quad in ox.parse(data, format=rdf_format, base_iri=path.resolve().as_uri())
        ]
    except SyntaxError as exc:
        if "remote context" in str(exc):
            raise LoadError(message("load.remote_context"), path=path) from exc
        detail = str(exc).split(" (", 1)[0]
        raise LoadError(
            message("load.syntax", format=rdf_format.name, detail=detail),
            path=path,
            line=exc.lineno,
        ) from exc


def _expand(source: str | Path) -> list[Path]:
    path = Path(source)
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*") if p.suffix.lower() in RDF_SUFFIXES and p.is_file()
        )
    return [path]


def _is_spreadsheet(source: str | Path) -> bool:
    # Import files (.xlsx, .csv, .yaml) and folders of CSV files go through goalgraph.spreadsheet.
    from goalgraph.spreadsheet import is_spreadsheet_source

    return is_spreadsheet_source(source)


def load(*sources: Source, vocabulary: bool = True) -> GoalGraph:
    """Load RDF files, folders of RDF files and rdflib graphs into a new goal graph.

    The ontology and reference data are loaded into their own named graph
    beside the user's data, unless *vocabulary* is false.

    :param sources: paths to Turtle, N-Triples, N-Quads, TriG, N3, JSON-LD or
        RDF/XML files; folders (every RDF file below them); rdflib graphs;
        spreadsheet import files (.xlsx, .csv, .yaml) and folders of CSV files.
    :raises LoadError: if a source cannot be read or parsed (naming file and
        line); nothing is loaded then. A wrong spreadsheet raises its subclass
        SpreadsheetError listing every problem.

    >>> graph = load()
    >>> graph.count("vocabulary") > 8000
    True
    """
    graph = GoalGraph()
    if vocabulary:
        graph.add(_vocabulary_triples(resources.vocabulary_files()), graph="vocabulary")
    parsed: list[ox.Triple] = []
    extra: list[rdflib.Graph] = []
    spreadsheets: list[Path] = []
    for source in sources:
        if isinstance(source, rdflib.Graph):
            extra.append(source)
            continue
        if _is_spreadsheet(source):
            spreadsheets.append(Path(source))
            continue
        for path in _expand(source):
            parsed.extend(parse_file(path))
    if spreadsheets:
        from goalgraph.spreadsheet import convert

        parsed.extend(convert(*spreadsheets))
    graph.add(parsed)
    for rdflib_graph in extra:
        graph.add_rdflib(rdflib_graph)
    return graph


def _vocabulary_triples(paths: Iterable[Path]) -> Iterable[ox.Triple]:
    for path in paths:
        yield from parse_file(path)
