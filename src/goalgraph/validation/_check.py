"""What the fast engine's compiler produces: a compiled check, and the "cannot compile" signal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rdflib import URIRef
from rdflib.term import Node

from goalgraph.validation._shapes import PathExpr

__all__ = [
    "Check",
    "Member",
    "TableTargets",
    "Tabled",
    "TabledOr",
    "TabledUnique",
    "Unsupported",
    "ValueTest",
]


class Unsupported(Exception):
    """The shapes use a SHACL feature the fast engine does not compile."""


class TableTargets(NamedTuple):
    """A shape's targets as the load's tables find their focus nodes (``_targets``)."""

    #: instances of these classes (and their subclasses)
    classes: tuple[str, ...]
    #: subjects of triples with these predicates
    subjects_of: tuple[str, ...]


@dataclass(frozen=True)
class ValueTest:
    """A condition on each value node: ``kind`` is ``class`` (one class IRI), ``datatypes``
    (met by any of them), ``in`` (the allowed terms) or ``nodeKind`` (one node kind)."""

    component: URIRef
    kind: str
    arguments: tuple[Node, ...]


@dataclass(frozen=True)
class Tabled:
    """A check the engine may judge from the tables gathered while loading (``_tabled``):
    its focus nodes are those of ``targets``, its path the one property ``predicate``, and
    its constraints counts and value tests."""

    targets: TableTargets
    predicate: str
    min_count: int | None = None
    max_count: int | None = None
    tests: tuple[ValueTest, ...] = ()

    @property
    def predicates(self) -> tuple[str, ...]:
        """Every property it reads."""
        return (self.predicate,)


@dataclass(frozen=True)
class Member:
    """A member of a node shape's ``sh:or`` the load's tables can judge: ``kind`` is ``has``
    (``[sh:path p ; sh:minCount 1]``, ``arguments`` (p,)), ``has2`` (the same over the
    path ``(p q)``, (p, q)) or ``lacks`` (``sh:not [sh:path p ; sh:hasValue v]``, (p, v))."""

    kind: str
    arguments: tuple[Node, ...]


@dataclass(frozen=True)
class TabledOr:
    """A node shape's ``sh:or`` of :class:`Member` shapes over class and subjects-of targets:
    a focus node conforming to none of them is a result (``_tabled``)."""

    targets: TableTargets
    members: tuple[Member, ...]

    @property
    def predicates(self) -> tuple[str, ...]:
        """Every property the members read."""
        read = {"has": 1, "has2": 2, "lacks": 1}
        return tuple(str(p) for m in self.members for p in m.arguments[: read[m.kind]])


@dataclass(frozen=True)
class TabledUnique:
    """``ggsh:UniqueWithinConstraintComponent`` (``_unique``) on the one property
    ``predicate``, within the values of the property ``within``, over class and
    subjects-of targets."""

    targets: TableTargets
    predicate: str
    within: str

    @property
    def predicates(self) -> tuple[str, ...]:
        """Every property it reads."""
        return (self.predicate, self.within)


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query and what its rows mean."""

    query: str
    shape: Node
    component: URIRef
    severity: URIRef
    path: PathExpr | None
    constraint: Node | None = None
    value_var: str | None = None
    #: Run once per focus node of ``focus_query``, ``query`` pre-bound (see ``_sparql_prebinding``).
    per_focus: bool = False
    focus_query: str = ""
    #: Variables pre-bound besides ``$this`` in a per-focus query (a component's parameters).
    prebound: tuple[tuple[str, Node], ...] = ()
    #: Run once per value node too, with ``$value`` pre-bound (an ASK validator).
    per_value: bool = False
    #: For a merged property-shape check: (component, variable that is true when met).
    merged: tuple[tuple[URIRef, str], ...] = ()
    merged_params: tuple[tuple[Node, Node], ...] = ()
    #: A variable whose IRI is the result path of its row (``sh:closed``: the predicate).
    path_var: str | None = None
    #: For a shape nested in a property shape: ``?this`` with ``?n``, how often its results repeat.
    repeat_query: str = ""
    #: Components whose value condition tests datatypes only (``sh:datatype``, or ``sh:or`` of
    #: shapes with one ``sh:datatype`` each), with the datatypes they accept: a literal the
    #: store rewrote is judged again as written by them (see ``_written``).
    datatypes: tuple[tuple[URIRef, tuple[str, ...]], ...] = ()
    #: The same check in a form the load's tables can answer, if it has one.
    tabled: Tabled | TabledOr | TabledUnique | None = None
    #: For a SHACL-SPARQL constraint over class and subjects-of targets only: those
    #: targets, whose size in the load's tables orders the queries on the thread pool,
    #: largest first.
    targets: TableTargets | None = None
