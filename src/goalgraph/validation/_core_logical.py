"""SHACL Core ``sh:xone`` (spec section 4.6.4) as a SPARQL pattern.

A value node conforms to ``sh:xone`` when it conforms to exactly one of the
listed shapes (https://www.w3.org/TR/shacl/#XoneConstraintComponent). The
compiler supplies each member's "does not conform" group; this module counts
the members a value node conforms to, for all value nodes at once.
"""

from __future__ import annotations

__all__ = ["xone_pattern"]


def xone_pattern(values: str, failing: list[tuple[str, str]]) -> str:
    """*values* restricted to the value nodes that conform to zero or several members.

    *failing* holds, per member shape, a group binding the value variable to
    the value nodes that do not conform to it, and a fresh flag variable.

    >>> xone_pattern("V", [("{ A }", "?f1"), ("{ B }", "?f2")]).split(" OPTIONAL ")
    ... # doctest: +NORMALIZE_WHITESPACE
    ['V', '{ { A } BIND(true AS ?f1) }',
     '{ { B } BIND(true AS ?f2) } FILTER((IF(BOUND(?f1), 0, 1) + IF(BOUND(?f2), 0, 1)) != 1)']
    """
    parts = [values]
    conforming = []
    for group, flag in failing:
        parts.append(f"OPTIONAL {{ {group} BIND(true AS {flag}) }}")
        conforming.append(f"IF(BOUND({flag}), 0, 1)")
    parts.append(f"FILTER(({' + '.join(conforming) or '0'}) != 1)")
    return " ".join(parts)
