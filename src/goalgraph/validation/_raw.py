"""The engine-neutral form of one validation result, before labels and messages."""

from __future__ import annotations

from typing import NamedTuple

from rdflib import Literal, URIRef
from rdflib.term import Node

from goalgraph.validation._shapes import PathExpr, path_text

__all__ = ["RawResult", "result_key", "term_key"]


class RawResult(NamedTuple):
    """What an engine reports: the terms of one ``sh:ValidationResult``."""

    focus: Node
    component: URIRef
    shape: Node
    value: Node | None
    path: PathExpr | None
    severity: URIRef
    constraint: Node | None = None


def term_key(node: Node | None) -> str:
    """*node* as N-Triples-like text (without rdflib's warnings for ill-typed literals)."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        if node.language:
            return f'"{node}"@{node.language}'
        return f'"{node}"^^<{node.datatype or "http://www.w3.org/2001/XMLSchema#string"}>'
    if isinstance(node, URIRef):
        return f"<{node}>"
    return f"_:{node}"


def result_key(result: RawResult) -> tuple[str, str, str, str, str]:
    """(focus, constraint component, source shape, value, path) as comparable text."""
    return (
        term_key(result.focus),
        str(result.component),
        term_key(result.shape),
        term_key(result.value),
        path_text(result.path) if result.path is not None else "",
    )
