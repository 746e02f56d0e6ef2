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


def equals_pattern(focus: str, fvar: str, path: str | None, other: str, vvar: str) -> str:
    """Value nodes missing from *other* at the focus node, and values of *other* that
    are not value nodes (one binding of *vvar* each); *path* is ``None`` for a node shape.

    >>> equals_pattern("F", "?this", None, "<urn:p>", "?v").split(" UNION ")
    ... # doctest: +NORMALIZE_WHITESPACE
    ['{ F BIND(?this AS ?v) MINUS { ?this <urn:p> ?v } }',
     '{ F ?this <urn:p> ?v FILTER(!sameTerm(?v, ?this)) }']
    """
    if path is None:
        return (
            f"{{ {focus} BIND({fvar} AS {vvar}) MINUS {{ {fvar} {other} {vvar} }} }} UNION "
            f"{{ {focus} {fvar} {other} {vvar} FILTER(!sameTerm({vvar}, {fvar})) }}"
        )
    return (
        f"{{ {focus} {fvar} {path} {vvar} MINUS {{ {fvar} {other} {vvar} }} }} UNION "
        f"{{ {focus} {fvar} {other} {vvar} MINUS {{ {fvar} {path} {vvar} }} }}"
    )


def disjoint_pattern(focus: str, fvar: str, path: str | None, other: str, vvar: str) -> str:
    """Value nodes that are also values of *other* at the focus node.

    >>> disjoint_pattern("F", "?this", "<urn:a>", "<urn:b>", "?v")
    'F ?this <urn:a> ?v . ?this <urn:b> ?v .'
    """
    if path is None:
        return f"{focus} {fvar} {other} {fvar} . BIND({fvar} AS {vvar})"
    return f"{focus} {fvar} {path} {vvar} . {fvar} {other} {vvar} ."


def order_pattern(
    param: Node, focus: str, fvar: str, path: str, other: str, vvar: str, ovar: str
) -> str:
    """One binding per pair (value node, value of *other*) that is not in order.

    Pairs that cannot be compared are not in order. The pattern is a
    sub-query keeping one row per pair, as the spec asks one result per pair.

    :raises KeyError: if *param* is not ``sh:lessThan`` or ``sh:lessThanOrEquals``.

    >>> order_pattern(SH.lessThan, "F", "?this", "<urn:a>", "<urn:b>", "?v", "?o").split(" . ")[-1]
    'FILTER(!COALESCE(?v < ?o, false)) } }'
    """
    operator = ORDER_OPERATORS[param]
    return (
        f"{{ SELECT DISTINCT {fvar} {vvar} {ovar} WHERE {{ {focus} {fvar} {path} {vvar} . "
        f"{fvar} {other} {ovar} . FILTER(!COALESCE({vvar} {operator} {ovar}, false)) }} }}"
    )
