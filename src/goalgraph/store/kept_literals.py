"""Literals as written, kept beside a store's triples so that opening it needs no scan.

The store on disk keeps typed literals in the canonical form pyoxigraph
gives them (``"1.50"^^xsd:decimal`` as ``"1.5"``, see :mod:`goalgraph.ledger`).
When a source is loaded, its literals are recorded as written
(:func:`recorded`) and the record is kept in the store's registry beside the
source's spreadsheet rows; :func:`data_ledger` rebuilds the ledger of the
data graph from those records when the store is opened, instead of scanning
every stored literal (40 s at N = 290), and with the originals that a scan
could not find. ``serialize`` after ``goalgraph.open`` therefore writes
``"1.50"`` as the source wrote it.

>>> import pyoxigraph as ox
>>> from goalgraph.literals import XSD
>>> s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
>>> kept = recorded([ox.Triple(s, p, ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")))])
>>> [w.split('"')[1] for r in kept["rewritten"] for w in r["written"]]
['1.50']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from goalgraph.graph import DATA_GRAPH
from goalgraph.ledger import Key, LiteralLedger, Subject

__all__ = ["data_ledger", "recorded"]

_GRAPH = ox.NamedNode("urn:goalgraph:kept-literals")
_HOLDER = "<urn:goalgraph:ledger:s> <urn:goalgraph:ledger:p>"


def recorded(triples: Sequence[ox.Triple]) -> dict[str, Any]:
    """The ledger of one source's *triples* as JSON values (N-Triples lines), for the registry."""
    ledger = LiteralLedger()
    ledger.record(triples, graph=_GRAPH)
    rewritten = []
    for (subject, predicate, stored), originals in ledger.rewritten([_GRAPH]).items():
        rewritten.append(
            {
                "stored": _line(subject, predicate, stored),
                "written": [_line(subject, predicate, o) for o in originals],
            }
        )
    ill_formed = sorted(f"{_HOLDER} {literal} ." for literal in ledger.ill_formed([_GRAPH]))
    return {"rewritten": rewritten, "ill_formed": ill_formed}


def data_ledger(database: ox.Store, sources: Sequence[dict[str, Any]]) -> LiteralLedger | None:
    """The ledger of the data graph, the union of *sources* (registry entries, in load order).

    A rewritten triple also stands for its stored literal where another
    source holds that triple without rewriting it (as loading the sources
    into one graph would have recorded). ``None`` if a source has no record
    (a store written before records were kept): the caller scans the store then.
    """
    originals: dict[Key, dict[ox.Literal, None]] = {}
    rewrote: dict[Key, set[str]] = {}
    ill_formed: set[ox.Literal] = set()
    for source in sources:
        kept = source.get("literals")
        if kept is None:
            return None
        rows = kept["rewritten"]
        # one parse per source and kind: 29 000 rewritten literals at N = 290
        written = iter(_keys([line for row in rows for line in row["written"]]))
        for key, row in zip(_keys([row["stored"] for row in rows]), rows, strict=True):
            found = originals.setdefault(key, {})
            for _ in row["written"]:
                found[next(written)[2]] = None
            rewrote.setdefault(key, set()).add(source["graph"])
        ill_formed.update(key[2] for key in _keys(kept["ill_formed"]))
    graphs = {source["graph"] for source in sources}
    # a lone source's record already holds a stored form it also wrote as such
    for key, found in originals.items() if len(graphs) > 1 else ():
        subject, predicate, stored = key
        holders = {
            quad.graph_name.value
            for quad in database.quads_for_pattern(subject, predicate, stored, None)
            if isinstance(quad.graph_name, ox.NamedNode)
        }
        if (holders & graphs) - rewrote[key] and stored not in found:
            originals[key] = {stored: None, **found}
    ledger = LiteralLedger()
    ledger.restore(
        DATA_GRAPH,
        originals={key: tuple(found) for key, found in originals.items()},
        ill_formed=ill_formed,
    )
    return ledger


def _line(subject: Subject, predicate: ox.NamedNode, obj: ox.Literal) -> str:
    return f"{subject} {predicate} {obj} ."


def _keys(lines: Sequence[str]) -> list[Key]:
    """The triples of N-Triples *lines* (blank node labels kept, as the store keeps them)."""
    text = "\n".join(lines).encode()
    keys: list[Key] = []
    for quad in ox.parse(input=text, format=ox.RdfFormat.N_TRIPLES):
        assert isinstance(quad.object, ox.Literal)  # every line was written with a literal
        keys.append((quad.subject, quad.predicate, quad.object))
    return keys
