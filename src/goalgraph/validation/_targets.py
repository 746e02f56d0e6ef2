"""SHACL targets (spec section 2.1.3) as SPARQL patterns binding the focus nodes.

Class targets use a placeholder that the runner (``_fast``) resolves against
the store's own ``rdfs:subClassOf`` triples: ``rdf:type`` over the subclass
closure is several times faster on pyoxigraph than ``rdf:type/rdfs:subClassOf*``.
"""

from __future__ import annotations

from collections.abc import Callable

import rdflib
from rdflib import RDF, RDFS
from rdflib.term import Node

from goalgraph.validation._check import TableTargets, Unsupported
from goalgraph.validation._core_compiler import sparql_term
from goalgraph.validation._shapes import SH

__all__ = ["focus_pattern", "instances", "table_targets", "targeted_shapes"]


def instances(var: str, cls: Node) -> str:
    """A placeholder for "*var* is an instance of *cls* or of a subclass".

    >>> instances("?x", rdflib.URIRef("urn:C"))
    '%%INST ?x <urn:C>%%'
    """
    return f"%%INST {var} {sparql_term(cls)}%%"


def _class_targets(graph: rdflib.Graph, shape: Node) -> list[Node]:
    classes = list(graph.objects(shape, SH.targetClass))
    implicit = (shape, RDF.type, RDFS.Class) in graph and (
        (shape, RDF.type, SH.NodeShape) in graph or (shape, RDF.type, SH.PropertyShape) in graph
    )
    return [*classes, shape] if implicit else classes


def table_targets(graph: rdflib.Graph, shape: Node) -> TableTargets | None:
    """*shape*'s class targets (explicit or implicit) and ``sh:targetSubjectsOf``, if it
    has targets of no other kind, all IRIs; else ``None``.

    >>> g = rdflib.Graph().parse(format="turtle", data='''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:S> sh:targetClass <urn:C> ; sh:targetSubjectsOf <urn:p> .
    ... <urn:T> sh:targetClass <urn:C> ; sh:targetNode <urn:a> .''')
    >>> table_targets(g, rdflib.URIRef("urn:S"))
    TableTargets(classes=('urn:C',), subjects_of=('urn:p',))
    >>> table_targets(g, rdflib.URIRef("urn:T")) is None
    True
    """
    if any(True for p in (SH.targetNode, SH.targetObjectsOf) for _ in graph.objects(shape, p)):
        return None
    classes = _class_targets(graph, shape)
    predicates = list(graph.objects(shape, SH.targetSubjectsOf))
    if not all(isinstance(node, rdflib.URIRef) for node in (*classes, *predicates)):
        return None
    return TableTargets(
        tuple(sorted({str(c) for c in classes})), tuple(sorted({str(p) for p in predicates}))
    )


def focus_pattern(graph: rdflib.Graph, shape: Node, fvar: str, fresh: Callable[[str], str]) -> str:
    """A pattern binding *fvar* once to each focus node of *shape*'s targets.

    *fresh* makes a new variable from a stem.

    >>> g = rdflib.Graph().parse(format="turtle", data='''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:S> sh:targetNode <urn:a> .''')
    >>> focus_pattern(g, rdflib.URIRef("urn:S"), "?this", lambda stem: "?" + stem)
    '{ SELECT DISTINCT ?this WHERE { { VALUES ?this { <urn:a> } } } }'
    """
    classes = _class_targets(graph, shape)
    parts = [f"{{ {instances(fvar, cls)} }}" for cls in classes]
    nodes = [sparql_term(n) for n in graph.objects(shape, SH.targetNode)]
    if nodes:
        parts.append(f"{{ VALUES {fvar} {{ {' '.join(nodes)} }} }}")
    for prop in graph.objects(shape, SH.targetSubjectsOf):
        parts.append(f"{{ {fvar} {sparql_term(prop)} {fresh('o')} . }}")
    for prop in graph.objects(shape, SH.targetObjectsOf):
        parts.append(f"{{ {fresh('s')} {sparql_term(prop)} {fvar} . }}")
    if len(parts) == 1 and len(classes) == 1:
        return f"%%FOCUS {fvar} {sparql_term(classes[0])}%%"
    return f"{{ SELECT DISTINCT {fvar} WHERE {{ {' UNION '.join(parts)} }} }}"


def targeted_shapes(graph: rdflib.Graph) -> list[Node]:
    """Every shape of *graph* with a target, sorted.

    :raises Unsupported: for SHACL-AF custom targets (``sh:target``).
    """
    shapes: set[Node] = set()
    for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        shapes.update(graph.subjects(predicate, None))
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in graph.subjects(RDF.type, kind):
            if (shape, RDF.type, RDFS.Class) in graph:
                shapes.add(shape)
    if any(graph.subjects(SH.target, None)):
        raise Unsupported("sh:target (SHACL-AF custom targets)")
    return sorted(shapes, key=str)
