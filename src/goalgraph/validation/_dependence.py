"""Which focus nodes of a compiled check a change of triples can reach (for incremental re-checks).

A check's query is read once into its triple patterns (rdflib's algebra;
variables of a sub-select it does not project are renamed, so that they
join nothing outside). The patterns form a graph over the variables; a
changed triple ``(s, p, o)`` matching a pattern ``?a p ?b`` can change
the results of a focus node only if that node reaches ``s`` (as ``?a``)
through the patterns linking ``?this`` to ``?a``, in the graph before or
after the change: walking those patterns back from ``s`` gives a superset
of the focus nodes to check again. The walk follows each pattern's own
predicate or property path (``+`` and ``*`` included, evaluated by the
store), so it is exact for every query whose patterns are all linked to
``?this`` and in which ``?this`` is always bound. For anything else
(:attr:`Dependence.whole`) the check runs whole.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from goalgraph.graph import DATA_GRAPH, VOCABULARY_GRAPH, from_rdflib_term

__all__ = ["Dependence", "TooWide", "dependence"]

THIS = Variable("this")
#: Beyond this many nodes at one step of a walk, the check runs whole instead.
LIMIT = 2000
_GRAPHS: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [DATA_GRAPH, VOCABULARY_GRAPH]
Term = ox.NamedNode | ox.BlankNode | ox.Literal


class TooWide(Exception):
    """A walk cannot be bounded here (too many nodes, or a blank node in a path query)."""


@dataclass(frozen=True)
class Pattern:
    """One triple pattern: subject, predicate (IRI, variable or property path), object."""

    subject: Node
    path: Node | Path
    object: Node

    def predicates(self) -> set[str] | None:
        """The IRIs the pattern reads; ``None`` for any predicate."""
        return _iris(self.path)


@dataclass
class Dependence:
    """What one check's results depend on."""

    patterns: list[Pattern] = field(default_factory=list)
    #: The check cannot be narrowed to focus nodes (it runs whole when its predicates change).
    whole: bool = False
    #: False when the analysis could not read the query: then every change touches the check.
    readable: bool = True
    #: ``?this`` is one variable throughout (no sub-select hides its own ``?this``), so a
    #: run with it bound is the full run's rows of that focus node.
    bindable: bool = False
    #: variable -> the patterns from ``?this`` to it, each with True when walked subject-to-object
    chains: dict[Node, list[tuple[Pattern, bool]]] = field(default_factory=dict)

    def reads(self, predicates: set[str]) -> bool:
        """Whether a change of triples with *predicates* can touch the check."""
        if not self.readable:
            return True
        for pattern in self.patterns:
            iris = pattern.predicates()
            if iris is None or iris & predicates:
                return True
        return False

    def focus_nodes(self, store: ox.Store, triples: Iterable[ox.Triple]) -> set[Term]:
        """A superset of the focus nodes whose results *triples* can reach in *store* as it is.

        :raises TooWide: if the walk cannot be bounded.
        """
        found: set[Term] = set()
        for triple in triples:
            for pattern in self.patterns:
                found |= self._reached(store, triple, pattern)
        return found

    def _reached(self, store: ox.Store, triple: ox.Triple, pattern: Pattern) -> set[Term]:
        iris = pattern.predicates()
        if iris is not None and triple.predicate.value not in iris:
            return set()
        subjects, objects = _path_ends(store, triple, pattern.path)
        ends = [(pattern.subject, subjects), (pattern.object, objects)]
        for term, value in ends:
            if not isinstance(term, Variable) and from_rdflib_term(term) not in value:
                return set()  # a constant the matches through the triple do not have
        best: tuple[int, Node, set[Term]] | None = None
        for term, value in ends:
            if isinstance(term, Variable) and term in self.chains:
                length = len(self.chains[term])
                if best is None or length < best[0]:
                    best = (length, term, value)
        if best is None:
            raise TooWide("a pattern not linked to ?this")
        _, var, values = best
        for step, forward in reversed(self.chains[var]):
            values = _step_back(store, values, step.path, forward=forward)
        return values


def dependence(query: str) -> Dependence:
    """The patterns of a compiled check's *query* (with its placeholders resolved) and how
    each variable is linked to ``?this``.

    >>> found = dependence("SELECT ?this WHERE { ?this <urn:p> ?x . ?x <urn:q> ?y }")
    >>> found.whole, [len(found.chains[v]) for v in sorted(found.chains)]
    (False, [0, 1, 2])
    >>> dependence("SELECT ?this WHERE { ?this <urn:p> ?x . ?other <urn:q> ?y }").whole
    True
    """
    from goalgraph.validation._validate import _quiet_rdflib

    with _quiet_rdflib():  # ill-formed literals of a resolved condition are meant
        algebra = prepareQuery(query).algebra
    found = Dependence()
    try:
        found.patterns = list(_patterns(algebra, {}, itertools.count()))
        certain = _certain(algebra["p"]) if "p" in algebra else set()
    except _Unreadable:
        return Dependence(whole=True, readable=False)
    found.chains = _chains(found.patterns)
    found.bindable = not any(
        isinstance(t, Variable) and str(t).startswith("this__")
        for p in found.patterns
        for t in (p.subject, p.object)
    )
    linked = all(
        any(isinstance(t, Variable) and t in found.chains for t in (p.subject, p.object))
        for p in found.patterns
    )
    found.whole = not linked or THIS not in certain or not _projects_this_everywhere(algebra)
    return found


class _Unreadable(Exception):
    """A part of the query the analysis does not read."""


def _iris(path: Node | Path) -> set[str] | None:
    if isinstance(path, URIRef):
        return {str(path)}
    if isinstance(path, Variable | NegatedPath):
        return None
    if isinstance(path, InvPath):
        return _iris(path.arg)
    if isinstance(path, MulPath):
        return _iris(path.path)
    if isinstance(path, SequencePath | AlternativePath):
        found: set[str] = set()
        for part in path.args:
            iris = _iris(part)
            if iris is None:
                return None
            found |= iris
        return found
    raise _Unreadable(str(path))


def _patterns(
    node: Any, rename: dict[Variable, Variable], counter: Iterator[int]
) -> Iterator[Pattern]:
    """Every triple pattern under *node*, variables of unprojecting sub-selects renamed."""
    if isinstance(node, CompValue):
        if node.name == "ToMultiSet" and _project(node) is not None:
            project = _project(node)
            assert project is not None
            kept = {v for v in project["PV"]}
            scope = next(counter)
            inner = {
                v: (rename.get(v, v) if v in kept else Variable(f"{v}__{scope}"))
                for v in project["_vars"]
            }
            yield from _patterns(project["p"], inner, counter)
            return
        if node.name in ("SubSelect", "SelectQuery") and "where" in node:
            raise _Unreadable("a sub-select inside an expression")
        if node.name in ("BGP", "TriplesBlock"):
            for s, p, o in node["triples"]:
                if isinstance(p, CompValue):
                    raise _Unreadable("a path inside an expression")
                yield Pattern(_renamed(s, rename), _renamed(p, rename), _renamed(o, rename))
            return
        for value in node.values():
            yield from _patterns(value, rename, counter)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _patterns(item, rename, counter)


def _renamed(term: Any, rename: dict[Variable, Variable]) -> Any:
    return rename.get(term, term) if isinstance(term, Variable) else term


def _project(node: CompValue) -> CompValue | None:
    inner = node.get("p")
    while isinstance(inner, CompValue) and inner.name in (
        "Distinct",
        "Reduced",
        "Slice",
        "OrderBy",
    ):
        inner = inner.get("p")
    return inner if isinstance(inner, CompValue) and inner.name == "Project" else None


def _certain(node: Any) -> set[Variable]:
    """The variables bound in every solution of *node* (a subset, when unsure)."""
    if not isinstance(node, CompValue):
        return set()
    name = node.name
    if name == "BGP":
        return {t for triple in node["triples"] for t in triple if isinstance(t, Variable)}
    if name == "Join":
        return _certain(node["p1"]) | _certain(node["p2"])
    if name in ("LeftJoin", "Minus"):
        return _certain(node["p1"])
    if name == "Union":
        return _certain(node["p1"]) & _certain(node["p2"])
    if name in ("Filter", "Extend", "Distinct", "Reduced", "Slice", "OrderBy", "Graph"):
        return _certain(node["p"])
    if name == "Project":
        return _certain(node["p"]) & set(node["PV"])
    if name == "ToMultiSet":
        return _certain(node["p"])
    if name == "values":
        rows = node["res"]
        return set.intersection(*(set(r) for r in rows)) if rows else set()
    return set()


def _projects_this_everywhere(algebra: Any) -> bool:
    """Whether every sub-select that projects ``?this`` binds it in each of its solutions
    (so that a ``VALUES ?this`` row inside it only narrows it)."""
    stack = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ToMultiSet":
                project = _project(node)
                if (
                    project is not None
                    and THIS in project["PV"]
                    and THIS not in _certain(project["p"])
                ):
                    return False
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return True


def _chains(patterns: list[Pattern]) -> dict[Node, list[tuple[Pattern, bool]]]:
    """For each variable linked to ``?this``: the shortest chain of patterns from ``?this``."""
    chains: dict[Node, list[tuple[Pattern, bool]]] = {THIS: []}
    queue = deque([THIS])
    while queue:
        var = queue.popleft()
        for pattern in patterns:
            for near, far, forward in (
                (pattern.subject, pattern.object, True),
                (pattern.object, pattern.subject, False),
            ):
                if near == var and isinstance(far, Variable) and far not in chains:
                    chains[far] = [*chains[var], (pattern, forward)]
                    queue.append(far)
    return chains


def _step_back(
    store: ox.Store, values: set[Term], path: Node | Path, *, forward: bool
) -> set[Term]:
    """The nodes one pattern leads from to *values* (to its object when *forward*)."""
    found: set[Term] = set()
    if isinstance(path, URIRef | Variable):
        predicate = ox.NamedNode(str(path)) if isinstance(path, URIRef) else None
        for value, graph in itertools.product(values, _GRAPHS):
            if forward:
                quads = store.quads_for_pattern(None, predicate, value, graph)
                found.update(q.subject for q in quads)  # type: ignore[misc]
            elif not isinstance(value, ox.Literal):
                quads = store.quads_for_pattern(value, predicate, None, graph)
                found.update(q.object for q in quads)  # type: ignore[misc]
            if len(found) > LIMIT:
                raise TooWide(f"more than {LIMIT} nodes")
        return found
    if any(isinstance(v, ox.BlankNode) for v in values):
        raise TooWide("a blank node on a property path")
    if not values:
        return found
    rows = " ".join(str(v) for v in values)
    text = path.n3()
    where = f"?x {text} ?y" if forward else f"?y {text} ?x"
    result = store.query(
        f"SELECT DISTINCT ?x WHERE {{ VALUES ?y {{ {rows} }} {where} }}", default_graph=_GRAPHS
    )
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        node = row["x"]
        if isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal):
            found.add(node)
        if len(found) > LIMIT:
            raise TooWide(f"more than {LIMIT} nodes")
    return found


def _path_ends(
    store: ox.Store, triple: ox.Triple, path: Node | Path
) -> tuple[set[Term], set[Term]]:
    """The subjects and objects of the matches of *path* that go through *triple*.

    :raises TooWide: if they are too many, or the path is one not read here.
    """
    s, o = triple.subject, triple.object
    if isinstance(path, URIRef | Variable):
        return {s}, {o}  # type: ignore[arg-type]
    if isinstance(path, InvPath):
        objects, subjects = _path_ends(store, triple, path.arg)
        return subjects, objects
    if isinstance(path, AlternativePath):
        subjects, objects = set(), set()
        for part in path.args:
            iris = _iris(part)
            if iris is None or triple.predicate.value in iris:
                more_subjects, more_objects = _path_ends(store, triple, part)
                subjects |= more_subjects
                objects |= more_objects
        return subjects, objects
    if isinstance(path, SequencePath):
        subjects, objects = set(), set()
        steps = list(path.args)
        for k, step in enumerate(steps):
            iris = _iris(step)
            if iris is not None and triple.predicate.value not in iris:
                continue
            first, last = _path_ends(store, triple, step)
            if k > 0:
                first = _step_back(store, first, _sequence(steps[:k]), forward=True)
            if k < len(steps) - 1:
                last = _step_back(store, last, _sequence(steps[k + 1 :]), forward=False)
            subjects |= first
            objects |= last
        return subjects, objects
    if isinstance(path, MulPath):
        first, last = _path_ends(store, triple, path.path)
        around = MulPath(path.path, "*")
        return (
            first | _step_back(store, first, around, forward=True),
            last | _step_back(store, last, around, forward=False),
        )
    raise TooWide(f"the path {path}")


def _sequence(steps: list[Any]) -> Any:
    return steps[0] if len(steps) == 1 else SequencePath(*steps)
