"""SHACL Core value range constraints (spec section 4.3) as SPARQL conditions.

``sh:minInclusive``, ``sh:minExclusive``, ``sh:maxInclusive`` and
``sh:maxExclusive`` compare each value node with SPARQL's operators
(https://www.w3.org/TR/shacl/#core-components-range). A value node that
cannot be compared with the bound (an IRI, a string against a number, an
ill-formed literal) is a violation: the comparison raises a SPARQL error,
which ``COALESCE`` turns into "not met".
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.term import Node

from goalgraph.validation._shapes import SH

__all__ = ["RANGE_COMPONENTS", "range_condition"]

#: Each range parameter with the operator a value node must satisfy against the bound.
_OPERATORS: dict[Node, str] = {
    SH.minInclusive: ">=",
    SH.minExclusive: ">",
    SH.maxInclusive: "<=",
    SH.maxExclusive: "<",
}

#: The constraint component of each range parameter.
RANGE_COMPONENTS: dict[Node, URIRef] = {
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
}


def range_condition(param: Node, bound: str, v: str) -> str:
    """A SPARQL expression true when value node *v* meets range parameter *param*.

    *bound* is the parameter's literal in SPARQL syntax.

    :raises KeyError: if *param* is not a range parameter.

    >>> range_condition(SH.minInclusive, '"5"^^<http://www.w3.org/2001/XMLSchema#integer>', "?v")
    'COALESCE(?v >= "5"^^<http://www.w3.org/2001/XMLSchema#integer>, false)'
    """
    return f"COALESCE({v} {_OPERATORS[param]} {bound}, false)"
