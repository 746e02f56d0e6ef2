"""SHACL Core property pair constraints (spec section 4.5) as SPARQL patterns.

``sh:equals``, ``sh:disjoint``, ``sh:lessThan`` and ``sh:lessThanOrEquals``
compare the value nodes of a shape with the values of another property at
the same focus node (https://www.w3.org/TR/shacl/#core-components-property-pairs).
Each function returns a group graph pattern binding the focus variable and
the value variable once per validation result.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.term import Node

from goalgraph.validation._shapes import SH

__all__ = [
    "ORDER_OPERATORS",
    "PAIR_COMPONENTS",
    "disjoint_pattern",
    "equals_pattern",
    "order_pattern",
]

#: The constraint component of each property pair parameter.
PAIR_COMPONENTS: dict[Node, URIRef] = {
    SH.equals: SH.EqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
}

#: The operator a value node must satisfy against each value of the other property.
ORDER_OPERATORS: dict[Node, str] = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}


def equals_pattern(
    values: str,
    focus: str,
    fvar: str,
    path: str | None,
    other: str,
    vvar: str,
    *,
    reflexive: bool = True,
) -> str:
    """Value nodes missing from *other* at the focus node, and values of *other* that
    are not value nodes (one binding of *vvar* each).

    *values* binds *fvar* and *vvar* to each value node; *path* is the shape's
    path (``None`` for a node shape, whose only value node is the focus node);
    *reflexive* says the focus node is one of its own value nodes.

    >>> equals_pattern("F BIND(?this AS ?v)", "F", "?this", None, "<urn:p>", "?v").split(" UNION ")
    ... # doctest: +NORMALIZE_WHITESPACE
    ['{ F BIND(?this AS ?v) MINUS { ?this <urn:p> ?v } }',
     '{ F ?this <urn:p> ?v FILTER(!sameTerm(?v, ?this)) }']
    """
    missing = f"{{ {values} MINUS {{ {fvar} {other} {vvar} }} }}"
    extra = f"{focus} {fvar} {other} {vvar}"
    if path is not None:
        extra += f" MINUS {{ {fvar} {path} {vvar} }}"
    if reflexive:
        extra += f" FILTER(!sameTerm({vvar}, {fvar}))"
    return f"{missing} UNION {{ {extra} }}"


def disjoint_pattern(values: str, fvar: str, other: str, vvar: str) -> str:
    """Value nodes (bound to *vvar* by *values*) that are also values of *other*.

    >>> disjoint_pattern("V", "?this", "<urn:b>", "?v")
    'V ?this <urn:b> ?v .'
    """
    return f"{values} {fvar} {other} {vvar} ."


def order_pattern(param: Node, values: str, fvar: str, other: str, vvar: str, ovar: str) -> str:
    """One binding per pair (value node, value of *other*) that is not in order.

    Pairs that cannot be compared are not in order. The pattern is a
    sub-query keeping one row per pair, as the spec asks one result per pair.

    :raises KeyError: if *param* is not ``sh:lessThan`` or ``sh:lessThanOrEquals``.

    >>> order_pattern(SH.lessThan, "V", "?this", "<urn:b>", "?v", "?o").split(" . ")[-1]
    'FILTER(!COALESCE(?v < ?o, false)) } }'
    """
    operator = ORDER_OPERATORS[param]
    return (
        f"{{ SELECT DISTINCT {fvar} {vvar} {ovar} WHERE {{ {values} {fvar} {other} {ovar} . "
        f"FILTER(!COALESCE({vvar} {operator} {ovar}, false)) }} }}"
    )
