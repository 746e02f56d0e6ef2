"""SHACL Core qualified value shapes (spec section 4.7.2) as SPARQL patterns.

``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` /
``sh:qualifiedMaxCount`` counts, per focus node, the value nodes that conform
to the qualified shape and, with ``sh:qualifiedValueShapesDisjoint true``, to
none of its sibling shapes
(https://www.w3.org/TR/shacl/#QualifiedValueShapeConstraintComponent).
The compiler supplies the "does not conform" groups of those shapes; this
module counts the rest for all focus nodes at once.
"""

from __future__ import annotations

import rdflib
from rdflib import URIRef
from rdflib.term import Node

from goalgraph.validation._check import Unsupported
from goalgraph.validation._core_other import is_true
from goalgraph.validation._shapes import SH

__all__ = ["QUALIFIED_COMPONENTS", "qualified_pattern", "qualified_shape", "sibling_shapes"]

#: The constraint component of each qualified count parameter.
QUALIFIED_COMPONENTS: dict[Node, URIRef] = {
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.qualifiedMaxCount: SH.QualifiedMaxCountConstraintComponent,
}


def qualified_shape(graph: rdflib.Graph, shape: Node) -> Node:
    """The one ``sh:qualifiedValueShape`` of *shape*.

    :raises Unsupported: if *shape* has none or several.
    """
    values = list(graph.objects(shape, SH.qualifiedValueShape))
    if len(values) != 1:
        raise Unsupported(f"{len(values)} values of sh:qualifiedValueShape on {shape}")
    return values[0]


def sibling_shapes(graph: rdflib.Graph, shape: Node) -> list[Node]:
    """The sibling shapes of qualified property shape *shape* (empty unless it is disjoint).

    They are the qualified value shapes of every property shape that shares a
    parent shape with *shape*, other than *shape*'s own qualified value shape.

    >>> g = rdflib.Graph().parse(format="turtle", data='''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:hand> sh:property <urn:thumb>, <urn:finger> .
    ... <urn:thumb> sh:qualifiedValueShape <urn:T> ; sh:qualifiedValueShapesDisjoint true .
    ... <urn:finger> sh:qualifiedValueShape <urn:F> .''')
    >>> sibling_shapes(g, rdflib.URIRef("urn:thumb"))
    [rdflib.term.URIRef('urn:F')]
    """
    flags = list(graph.objects(shape, SH.qualifiedValueShapesDisjoint))
    if not any(is_true(SH.qualifiedValueShapesDisjoint, flag) for flag in flags):
        return []
    own = qualified_shape(graph, shape)
    siblings = {
        sibling
        for parent in graph.subjects(SH.property, shape)
        for prop in graph.objects(parent, SH.property)
        for sibling in graph.objects(prop, SH.qualifiedValueShape)
    }
    siblings.discard(own)
    return sorted(siblings, key=str)


def qualified_pattern(
    param: Node,
    count: int,
    *,
    focus: str,
    fvar: str,
    values: str,
    vvar: str,
    failing_own: str,
    failing_siblings: list[str],
    nvar: str,
) -> str:
    """The focus nodes (bound to *fvar*) whose count of qualified value nodes breaks *param*.

    *values* binds *fvar* and *vvar* to every value node; *failing_own* and
    each of *failing_siblings* bind *vvar* to the value nodes that do not
    conform to the qualified shape or to a sibling shape. Returns ``""`` when
    the count cannot be broken (a minimum of zero or less).

    >>> qualified_pattern(SH.qualifiedMaxCount, 1, focus="F", fvar="?this", values="V",
    ...                   vvar="?v", failing_own="{ X }", failing_siblings=[], nvar="?n")
    ... # doctest: +NORMALIZE_WHITESPACE
    '{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE { V MINUS { X } } GROUP BY ?this }
     FILTER(?n > 1)'
    """
    conforming = " ".join([values, f"MINUS {failing_own}", *failing_siblings])
    counted = (
        f"{{ SELECT {fvar} (COUNT(DISTINCT {vvar}) AS {nvar}) WHERE {{ {conforming} }} "
        f"GROUP BY {fvar} }}"
    )
    if param == SH.qualifiedMaxCount:
        return f"{counted} FILTER({nvar} > {count})"
    if count <= 0:
        return ""
    return f"{focus} OPTIONAL {counted} FILTER(COALESCE({nvar}, 0) < {count})"
