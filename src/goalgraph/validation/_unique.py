"""goalgraph's uniqueness component, ``ggsh:UniqueWithinConstraintComponent``.

A property shape with ``ggsh:uniqueWithin P`` says that no two distinct
nodes of the same type (``rdf:type``) that share a value of ``P`` share a
value of the shape's path (``shapes/components.ttl``, where its SPARQL
validator is the definition every engine can run). Where the load's tables
hold the path and ``P`` (one IRI each), the fast engine answers it from them
(``_tabled``) instead of joining every node with every other in the store:
but only while the shapes graph defines the component by the validator
goalgraph ships, so that a redefinition is never answered by the wrong rule.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from goalgraph import resources
from goalgraph.validation._check import Check, TabledUnique, TableTargets
from goalgraph.validation._shapes import SH

__all__ = ["UNIQUE_WITHIN", "tabled_unique"]

_GGSH = "https://w3id.org/goalgraph/shapes#"
#: the component
UNIQUE_WITHIN = URIRef(_GGSH + "UniqueWithinConstraintComponent")
_VALIDATORS = (SH.propertyValidator, SH.validator)


def tabled_unique(
    shapes: rdflib.Graph, check: Check, targets: TableTargets | None
) -> TabledUnique | None:
    """*check* of the component in the form the load's tables answer, or ``None`` if it is
    another component's, its targets or path are not of that kind, or *shapes* defines
    the component otherwise than goalgraph does."""
    if check.component != UNIQUE_WITHIN or targets is None:
        return None
    within = dict(check.prebound).get("uniqueWithin")
    if not isinstance(check.path, URIRef) or not isinstance(within, URIRef):
        return None
    queries = {
        " ".join(str(shapes.value(validator, SH.select)).split())
        for prop in _VALIDATORS
        for validator in shapes.objects(UNIQUE_WITHIN, prop)
    }
    if queries != {_shipped_query()}:
        return None
    return TabledUnique(targets, str(check.path), str(within))


@cache
def _shipped_query() -> str:
    """The validator's query as goalgraph ships it, whitespace folded."""
    validator = ox.NamedNode(str(SH.propertyValidator))
    select = ox.NamedNode(str(SH.select))
    component = ox.NamedNode(str(UNIQUE_WITHIN))
    found = []
    for path in resources.shapes_files():
        triples = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
        held = {t.object for t in triples if t.subject == component and t.predicate == validator}
        found += [t.object.value for t in triples if t.subject in held and t.predicate == select]
    (query,) = found
    return " ".join(query.split())
