"""Stable ids of validation results: the same finding gets the same id on every run.

A finding is identified by what SHACL says about it: the source shape, the
constraint component, the SHACL-SPARQL constraint (if any), the focus node,
the result path and the value node. An IRI or literal stands for itself. A
blank node has no name that survives a reload, so it stands for its content:
the canonical form (``rdflib.compare.to_canonical_graph``) of its concise
bounded description and the named nodes that hold it (a blank-node shape:
the shapes with ``sh:property`` to it). The id is ``gg-`` and the first 20 hex digits of the
SHA-256 of those parts, so it does not depend on load order, blank-node labels,
the machine, the engine or the report's language.

The id is a function of the finding alone, so results described one at a time
(incremental validation) get the ids a full run gives. It changes when any part
changes: a renamed shape IRI, an edited blank-node shape (its message included),
a renamed goal. A blank node's description also names the items that hold it
(``ex:a ex:holds [ … ]``) with the holding property, so equal content under
different items gives different ids; two blank nodes that nothing tells apart
(the same content, held the same way by the same items) give findings that
nothing tells apart either: they share an id.
Blank nodes of a remote store (``--endpoint``) cannot be described from the
server: findings about them get ids that hold for one answer only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from goalgraph.validation._raw import RawResult, term_key
from goalgraph.validation._shapes import path_text

__all__ = ["ResultIds", "finding_id"]

# Part of every hashed text: a new recipe must give new ids, never reuse old ones.
_RECIPE = "goalgraph-result-id/1"
_ROOT = URIRef("urn:goalgraph:described-node")


def finding_id(parts: Iterable[str]) -> str:
    """The id of a finding described by *parts* (the canonical text of its terms).

    :raises: nothing.

    >>> found = finding_id(["<https://example.org/a>", "sh:MinCountConstraintComponent"])
    >>> found.startswith("gg-"), len(found)
    (True, 23)
    """
    text = json.dumps([_RECIPE, *parts], ensure_ascii=False)  # unambiguous, unlike a join
    return "gg-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class ResultIds:
    """Ids for the results of one validation run over *store* with *shapes*.

    Blank-node descriptions are computed once per node and reused.

    :param store: the store the data was read from; ``None`` for a remote store,
        whose blank nodes cannot be described (their ids then hold for one answer).
    :param shapes: the shapes graph the results refer to.
    """

    def __init__(self, store: ox.Store | None, shapes: rdflib.Graph) -> None:
        self.store = store
        self.shapes = shapes
        self.described: dict[tuple[str, Node], str] = {}

    def of(self, raw: RawResult) -> str:
        """The id of *raw*.

        :raises: nothing.
        """
        parts = [
            self._shape_text(raw.shape),
            str(raw.component),
            self._shape_text(raw.constraint) if raw.constraint is not None else "",
            self._data_text(raw.focus),
            path_text(raw.path) if raw.path is not None else "",
            self._data_text(raw.value) if raw.value is not None else "",
        ]
        return finding_id(parts)

    def _shape_text(self, node: Node) -> str:
        if not isinstance(node, BNode):
            return term_key(node)
        return self._described("shapes", node, self._shape_description)

    def _data_text(self, node: Node) -> str:
        if not isinstance(node, BNode):
            return term_key(node)
        if self.store is None:  # a remote store: its labels are all there is
            return f"_:{node}"
        return self._described("data", node, self._data_description)

    def _described(self, kind: str, node: BNode, describe: Callable[[BNode], str]) -> str:
        key = (kind, node)
        if key not in self.described:
            self.described[key] = "_:" + hashlib.sha256(describe(node).encode()).hexdigest()
        return self.described[key]

    def _shape_description(self, node: BNode) -> str:
        description = rdflib.Graph()
        for triple in self.shapes.cbd(node):
            description.add(triple)
        holders = _named_holders(self.shapes.subject_predicates, node)
        return _canonical(description, node) + "\n" + "\n".join(holders)

    def _data_description(self, node: BNode) -> str:
        from goalgraph.graph import from_rdflib_term, to_rdflib_term

        assert self.store is not None
        store = self.store
        description = rdflib.Graph()
        todo, seen = [from_rdflib_term(node)], set()
        while todo:
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for quad in store.quads_for_pattern(subject, None, None, None):  # type: ignore[arg-type]
                if isinstance(quad.object, ox.Triple):
                    continue
                triple = (subject, quad.predicate, quad.object)
                description.add(tuple(map(to_rdflib_term, triple)))  # type: ignore[arg-type]
                if isinstance(quad.object, ox.BlankNode):
                    todo.append(quad.object)

        def incoming(target: Node) -> Iterator[tuple[Node, Node]]:
            for quad in store.quads_for_pattern(None, None, from_rdflib_term(target), None):
                if not isinstance(quad.subject, ox.Triple):  # RDF-star: not a holder
                    yield to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate)

        holders = _named_holders(incoming, node)
        return _canonical(description, node) + "\n" + "\n".join(holders)


def _named_holders(
    incoming: Callable[[Node], Iterable[tuple[Node, Node]]], node: BNode
) -> list[str]:
    """The named nodes from which a chain of triples leads to the blank node *node*, each with
    the property of the chain's last step (``<holder> <property>``), sorted.

    Two blank nodes with the same content told apart by who holds them (the thing under
    ``ex:a`` and the one under ``ex:b``) are so told apart in their ids too.
    """
    found: set[str] = set()
    todo: list[tuple[Node, Node | None]] = [(node, None)]
    seen: set[Node] = set()
    while todo:
        current, into = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for subject, predicate in incoming(current):
            step = into if into is not None else predicate
            if isinstance(subject, BNode):
                todo.append((subject, step))
            else:
                found.add(f"{term_key(subject)} {term_key(step)}")
    return sorted(found)


def _canonical(description: rdflib.Graph, root: BNode) -> str:
    """*description* as sorted N-Triples with canonical blank-node labels, *root* marked."""
    description.add((root, _ROOT, Literal(True)))
    canonical = to_canonical_graph(description)
    return "\n".join(sorted(" ".join(term_key(term) for term in triple) for triple in canonical))
