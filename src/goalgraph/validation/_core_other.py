"""SHACL Core closed shapes (spec section 4.8.1) and ``sh:uniqueLang`` (4.4.5) as SPARQL.

A closed shape allows only the predicates of its property shapes (those whose
``sh:path`` is an IRI) and its ``sh:ignoredProperties``; ``rdf:type`` is not
allowed implicitly (https://www.w3.org/TR/shacl/#ClosedConstraintComponent).
Each offending triple of a value node is one result, with its predicate as
the result path and its object as the value.
"""

from __future__ import annotations

import rdflib
from rdflib import XSD, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from goalgraph.validation._check import Unsupported
from goalgraph.validation._shapes import SH

__all__ = ["allowed_properties", "closed_pattern", "is_true", "unique_lang_pattern"]


def is_true(param: Node, value: Node) -> bool:
    """Whether boolean parameter *param* is switched on by *value*.

    Only ``true`` switches it on: the spec names no other form, so
    ``"1"^^xsd:boolean`` and ``false`` leave the constraint out.

    :raises Unsupported: if *value* is not an ``xsd:boolean`` literal.

    >>> is_true(SH.closed, Literal(True)), is_true(SH.closed, Literal("1", datatype=XSD.boolean,
    ...                                                               normalize=False))
    (True, False)
    """
    if not isinstance(value, Literal) or value.datatype != XSD.boolean:
        raise Unsupported(f"{param} {value}: not an xsd:boolean")
    return str(value) == "true"


def allowed_properties(graph: rdflib.Graph, shape: Node) -> list[URIRef]:
    """The predicates closed *shape* allows: IRI paths of its property shapes and ignored ones.

    >>> g = rdflib.Graph().parse(format="turtle", data='''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:s> sh:closed true ; sh:ignoredProperties ( <urn:i> ) ;
    ...     sh:property [ sh:path <urn:p> ], [ sh:path [ sh:inversePath <urn:q> ] ] .''')
    >>> [str(p) for p in allowed_properties(g, rdflib.URIRef("urn:s"))]
    ['urn:i', 'urn:p']
    """
    allowed = {
        path
        for prop in graph.objects(shape, SH.property)
        for path in graph.objects(prop, SH.path)
        if isinstance(path, URIRef)
    }
    for ignored in graph.objects(shape, SH.ignoredProperties):
        allowed.update(p for p in Collection(graph, ignored) if isinstance(p, URIRef))
    return sorted(allowed)


def closed_pattern(values: str, node: str, allowed: list[URIRef], pvar: str, ovar: str) -> str:
    """*values* joined with each triple of value node *node* whose predicate is not allowed.

    >>> closed_pattern("V", "?v", [URIRef("urn:p")], "?p", "?o")
    'V ?v ?p ?o . FILTER(?p NOT IN (<urn:p>))'
    """
    pattern = f"{values} {node} {pvar} {ovar} ."
    if allowed:
        pattern += f" FILTER({pvar} NOT IN ({', '.join(f'<{p}>' for p in allowed)}))"
    return pattern


def unique_lang_pattern(focus: str, fvar: str, path: str, vvar: str, ovar: str, lvar: str) -> str:
    """One binding of *fvar* and *lvar* per language tag used by two value nodes of a focus node.

    >>> unique_lang_pattern("F", "?this", "<urn:p>", "?v", "?o", "?l")  # doctest: +ELLIPSIS
    '{ SELECT DISTINCT ?this ?l WHERE { F ?this <urn:p> ?v . ?this <urn:p> ?o . FILTER(...) ...'
    """
    return (
        f"{{ SELECT DISTINCT {fvar} {lvar} WHERE {{ {focus} {fvar} {path} {vvar} . "
        f'{fvar} {path} {ovar} . FILTER(LANG({vvar}) != "" && !sameTerm({vvar}, {ovar}) '
        f"&& LCASE(LANG({vvar})) = LCASE(LANG({ovar}))) BIND(LCASE(LANG({vvar})) AS {lvar}) }} }}"
    )
