"""The part of the fast engine's compiler for SHACL Core components added by issue 11.

Closed shapes, ``sh:uniqueLang``, property pairs, ``sh:xone`` and qualified
value shapes each become one pattern for all focus nodes; the SPARQL text of
each lives in a module named after its section of the spec (``_core_*``).
:class:`CoreCompiler` is the base of the compiler in ``_compile``, which
supplies the "does not conform" groups of nested shapes (:meth:`failing`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import NamedTuple

import rdflib
from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from goalgraph.validation._check import Unsupported
from goalgraph.validation._core_logical import xone_pattern
from goalgraph.validation._core_other import (
    allowed_properties,
    closed_pattern,
    is_true,
    unique_lang_pattern,
)
from goalgraph.validation._core_paths import nullable, value_pattern
from goalgraph.validation._core_property_pairs import (
    PAIR_COMPONENTS,
    disjoint_pattern,
    equals_pattern,
    order_pattern,
)
from goalgraph.validation._core_shape_based import (
    QUALIFIED_COMPONENTS,
    qualified_pattern,
    qualified_shape,
    sibling_shapes,
)
from goalgraph.validation._shapes import SH, PathExpr, path_text

__all__ = ["CoreCompiler", "Violation", "sparql_term"]


class Violation(NamedTuple):
    """A pattern binding the focus variable once per violation, and what its rows mean."""

    pattern: str
    #: The variable holding ``sh:value`` (``None``: no value).
    value: str | None
    #: The variable holding ``sh:resultPath`` when it varies per row.
    path: str | None = None


def sparql_term(node: Node) -> str:
    """*node* (an IRI or literal) in SPARQL syntax.

    :raises Unsupported: for a blank node, which a query cannot name.

    >>> sparql_term(Literal('say "hi"', lang="en"))
    '"say \\\\"hi\\\\""@en'
    """
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        lexical = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        lexical = lexical.replace("\r", "\\r")
        if node.language:
            return f'"{lexical}"@{node.language}'
        if node.datatype is not None:
            return f'"{lexical}"^^<{node.datatype}>'
        return f'"{lexical}"'
    raise Unsupported(f"blank node {node} as a constraint value")


class CoreCompiler(ABC):
    """Compiles closed shapes, uniqueLang, property pairs, xone and qualified value shapes."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.g = graph
        self.counter = 0

    def var(self, stem: str) -> str:
        """A fresh SPARQL variable named after *stem*."""
        self.counter += 1
        return f"?{stem}{self.counter}"

    def items(self, node: Node) -> list[Node]:
        """The members of the RDF list at *node*."""
        return list(Collection(self.g, node))

    @abstractmethod
    def failing(self, shape: Node, candidates: str, xvar: str) -> str:
        """A group binding *xvar* to the candidates that do not conform to *shape*."""

    def value_nodes(self, focus: str, fvar: str, path: PathExpr | None) -> tuple[str, str]:
        """A pattern binding the value nodes of the focus nodes, and their variable."""
        if path is None:
            return focus, fvar
        vvar = self.var("v")
        return value_pattern(focus, fvar, path, vvar), vvar

    def core_pattern(
        self, shape: Node, param: Node, value: Node, focus: str, fvar: str, path: PathExpr | None
    ) -> Violation | None:
        """The violations of one constraint of a component this class compiles, else ``None``."""
        if param == SH.closed:
            if not is_true(param, value):
                return Violation("", None)
            values, node = self.value_nodes(focus, fvar, path)
            pvar, ovar = self.var("p"), self.var("o")
            allowed = allowed_properties(self.g, shape)
            return Violation(closed_pattern(values, node, allowed, pvar, ovar), ovar, pvar)
        if param == SH.uniqueLang:
            if not is_true(param, value):
                return Violation("", None)
            if path is None:
                raise Unsupported("sh:uniqueLang on a node shape")
            # a zero-length step only adds the focus node, which cannot share a language
            link = path_text(path)
            vvar, ovar, lvar = self.var("v"), self.var("o"), self.var("lang")
            return Violation(unique_lang_pattern(focus, fvar, link, vvar, ovar, lvar), None)
        if param in PAIR_COMPONENTS:
            return self.pair(param, value, focus, fvar, path)
        if param == SH.xone:
            values, vvar = self.value_nodes(focus, fvar, path)
            candidates = f"{{ SELECT DISTINCT {vvar} WHERE {{ {values} }} }}"
            members = self.items(value)
            failing = [(self.failing(m, candidates, vvar), self.var("f")) for m in members]
            return Violation(xone_pattern(values, failing), vvar)
        if param in QUALIFIED_COMPONENTS:
            return self.qualified(shape, param, value, focus, fvar, path)
        return None

    def pair(
        self, param: Node, value: Node, focus: str, fvar: str, path: PathExpr | None
    ) -> Violation:
        if not isinstance(value, URIRef):
            raise Unsupported(f"{param} {value}: not an IRI")
        other = sparql_term(value)
        if path is None:
            if param not in (SH.equals, SH.disjoint):
                raise Unsupported(f"{param} on a node shape")
            if param == SH.disjoint:
                return Violation(disjoint_pattern(focus, fvar, other, fvar), fvar)
            vvar = self.var("v")
            values = f"{focus} BIND({fvar} AS {vvar})"
            return Violation(equals_pattern(values, focus, fvar, None, other, vvar), vvar)
        values, vvar = self.value_nodes(focus, fvar, path)
        if param == SH.equals:
            steps, reflexive = path_text(path), nullable(path)
            pattern = equals_pattern(values, focus, fvar, steps, other, vvar, reflexive=reflexive)
            return Violation(pattern, vvar)
        if param == SH.disjoint:
            return Violation(disjoint_pattern(values, fvar, other, vvar), vvar)
        return Violation(order_pattern(param, values, fvar, other, vvar, self.var("o")), vvar)

    def qualified(
        self, shape: Node, param: Node, value: Node, focus: str, fvar: str, path: PathExpr | None
    ) -> Violation:
        if (shape, SH.qualifiedValueShape, None) not in self.g:
            return Violation("", None)  # a count without a shape constrains nothing
        if path is None:
            raise Unsupported(f"{param} on a node shape")
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise Unsupported(f"{param} {value}: not an integer")
        values, vvar = self.value_nodes(focus, fvar, path)
        candidates = f"{{ SELECT DISTINCT {vvar} WHERE {{ {values} }} }}"
        pattern = qualified_pattern(
            param,
            int(value),
            focus=focus,
            fvar=fvar,
            values=values,
            vvar=vvar,
            failing_own=self.failing(qualified_shape(self.g, shape), candidates, vvar),
            failing_siblings=[
                self.failing(s, candidates, vvar) for s in sibling_shapes(self.g, shape)
            ],
            nvar=self.var("n"),
        )
        return Violation(pattern, None)
