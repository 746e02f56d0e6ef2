"""Which named graph holds which source: one graph per source file, named after its path.

A store on disk and a SPARQL server written by ``goalgraph push`` keep each
source's triples in a named graph of their own, so that loading the source
again replaces exactly its triples. The graph's IRI is minted from the
source's resolved path, so the same file always lands in the same graph.

>>> source_graph("/data/vetlanda.ttl").value
'https://w3id.org/goalgraph/graph/source/0e7dba5668749fe8'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

__all__ = ["SOURCE_GRAPH_PREFIX", "Source", "expand_sources", "source_graph"]

SOURCE_GRAPH_PREFIX = "https://w3id.org/goalgraph/graph/source/"


def source_graph(path: str | Path) -> ox.NamedNode:
    """The named graph that holds the triples of the source at *path* (resolved first).

    :raises RuntimeError: if resolving *path* runs into a loop of symbolic links.

    >>> source_graph("/data/vetlanda.ttl") == source_graph("/data/../data/vetlanda.ttl")
    True
    """
    resolved = str(Path(path).resolve())
    return ox.NamedNode(SOURCE_GRAPH_PREFIX + hashlib.sha256(resolved.encode()).hexdigest()[:16])


@dataclass(frozen=True)
class Source:
    """One source: an RDF file, or a spreadsheet import (a workbook, CSV folder or YAML file).

    *path* is as the user gave it (findings name spreadsheet files so); the graph's
    name comes from the resolved path.
    """

    path: Path
    spreadsheet: bool

    @property
    def graph(self) -> ox.NamedNode:
        """The named graph this source's triples sit in."""
        return source_graph(self.path)


def expand_sources(*paths: str | Path) -> list[Source]:
    """The sources *paths* name: a folder of RDF files gives one source per file.

    :raises LoadError: if a path does not exist (naming it).

    >>> expand_sources("examples/vetlanda/csv")[0].spreadsheet
    True
    """
    from goalgraph.errors import LoadError
    from goalgraph.i18n import message
    from goalgraph.loading import RDF_SUFFIXES
    from goalgraph.spreadsheet import is_spreadsheet_source

    found: dict[Path, Source] = {}
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise LoadError(message("load.not_found", path=given), path=given)
        if is_spreadsheet_source(path):
            found.setdefault(path.resolve(), Source(path, spreadsheet=True))
        elif path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.suffix.lower() in RDF_SUFFIXES and file.is_file():
                    found.setdefault(file.resolve(), Source(file, spreadsheet=False))
        else:
            found.setdefault(path.resolve(), Source(path, spreadsheet=False))
    return list(found.values())
