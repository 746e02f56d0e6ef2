"""Value nodes along a SHACL property path (spec section 2.3.1) as SPARQL patterns.

A path that can have length zero (``sh:zeroOrMorePath``, ``sh:zeroOrOnePath``
and sequences or alternatives made of them) reaches the focus node itself.
pyoxigraph evaluates a zero-length path only over the nodes of the graph, so a
focus node that occurs in no triple (an ``sh:targetNode`` absent from the
data) would have no value nodes at all. The patterns here add the focus node
as its own value node for such paths.
"""

from __future__ import annotations

from goalgraph.validation._shapes import PathExpr, path_text

__all__ = ["nullable", "value_pattern"]


def nullable(path: PathExpr) -> bool:
    """Whether *path* can have length zero, so that every focus node is one of its values.

    >>> from rdflib import URIRef
    >>> p = URIRef("urn:p")
    >>> nullable(p), nullable(("zeroOrMore", p)), nullable(("seq", (("zeroOrOne", p), p)))
    (False, True, False)
    """
    if not isinstance(path, tuple):
        return False
    kind, inner = path
    if kind in ("zeroOrMore", "zeroOrOne"):
        return True
    if kind == "seq":
        return all(nullable(p) for p in inner)  # type: ignore[attr-defined]
    if kind == "alt":
        return any(nullable(p) for p in inner)  # type: ignore[attr-defined]
    return nullable(inner)  # type: ignore[arg-type]


def value_pattern(focus: str, fvar: str, path: PathExpr, vvar: str) -> str:
    """A pattern binding *fvar* (bound by *focus*) and *vvar* to each of its value nodes.

    >>> from rdflib import URIRef
    >>> value_pattern("F", "?this", URIRef("urn:p"), "?v")
    'F ?this <urn:p> ?v .'
    >>> value_pattern("F", "?this", ("zeroOrMore", URIRef("urn:p")), "?v").split(" UNION ")
    ['{ F ?this (<urn:p>)* ?v . }', '{ F BIND(?this AS ?v) }']
    """
    link = f"{focus} {fvar} {path_text(path)} {vvar} ."
    if not nullable(path):
        return link
    return f"{{ {link} }} UNION {{ {focus} BIND({fvar} AS {vvar}) }}"
