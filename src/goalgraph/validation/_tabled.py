"""Simple property checks judged from the tables gathered while loading.

A property shape whose focus nodes are the instances of classes, whose path
is one property and whose constraints are ``sh:minCount``, ``sh:maxCount``,
``sh:class``, ``sh:datatype`` (or an ``sh:or`` of datatypes), ``sh:in`` or
``sh:nodeKind`` (``Check.tabled``) needs no join in the store: the load's
:class:`~goalgraph.property_tables.PropertyTables` hold its property's
triples as written and the instances of every class, as numbered nodes.
Each check becomes a few set operations over node numbers, and each value
test runs once per distinct value (290 000 observations have 10 distinct
years). Only where a set operation finds a failure are the triples walked
one by one, to name the focus nodes.

The answer is SHACL's on the data and vocabulary graphs with every literal
as written (docs/validation.md, "Literals as written"): the tables were
filled from the parser, before the store rewrote anything, so no rewritten
literal needs judging again. The vocabulary graph's triples of the property
and the class are read from the store, which keeps its literals as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.term import Node

from goalgraph.graph import VOCABULARY_GRAPH, from_rdflib_term, to_rdflib_term
from goalgraph.literals import RDF, well_formed
from goalgraph.property_tables import Key, PropertyTables, key
from goalgraph.validation._check import (
    Check,
    Member,
    Tabled,
    TabledOr,
    TabledUnique,
    TableTargets,
    ValueTest,
)
from goalgraph.validation._raw import RawResult
from goalgraph.validation._shapes import SH

__all__ = ["TabledRun"]

_RDF_TYPE = ox.NamedNode(RDF + "type")
_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (str,),
    SH.BlankNode: (ox.BlankNode,),
    SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, str),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (str, ox.Literal),
}


class _Numbers:
    """The tables' node numbers, and numbers of this run's own (negative) for
    vocabulary nodes the tables do not hold: the tables are never written here."""

    def __init__(self, tables: PropertyTables) -> None:
        self.shared = tables.nodes
        self.own: dict[Key, int] = {}
        self.own_keys: list[Key] = []

    def number(self, node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> int:
        kept = key(node)
        found = self.shared.numbers.get(kept)
        if found is None:
            found = self.own.get(kept)
        if found is None:
            self.own_keys.append(kept)
            found = self.own[kept] = -len(self.own_keys)
        return found

    def key(self, number: int) -> Key:
        return self.shared.keys[number] if number >= 0 else self.own_keys[-number - 1]


class _Property:
    """One property's triples over the data (from the tables) and the vocabulary (from
    the store), and what the checks ask of them, worked out once."""

    def __init__(
        self, tables: PropertyTables, store: ox.Store, predicate: str, numbers: _Numbers
    ) -> None:
        column = tables.column(predicate)
        self.subjects: list[int] | Iterable[int] = column.subjects
        self.values: list[int] | Iterable[int] = column.values
        added = list(store.quads_for_pattern(None, ox.NamedNode(predicate), None, VOCABULARY_GRAPH))
        if added:
            self.subjects = [*column.subjects, *(numbers.number(q.subject) for q in added)]
            self.values = [*column.values, *(numbers.number(q.object) for q in added)]
        self.distinct = set(self.values)
        self.with_values = set(self.subjects)
        self.triples = len(column.subjects) + len(added)
        self._counts: dict[int, int] | None = None

    def counts(self) -> dict[int, int]:
        """How many distinct values each subject has, for the subjects with more than one
        triple (every other subject in :attr:`with_values` has one)."""
        if self._counts is None:
            counts: dict[int, int] = {}
            if len(self.with_values) != self.triples:
                values: dict[int, set[int]] = {}
                for subject, value in zip(self.subjects, self.values, strict=True):
                    values.setdefault(subject, set()).add(value)
                counts = {s: len(v) for s, v in values.items() if len(v) > 1}
            self._counts = counts
        return self._counts

    def pairs_with(self, bad: set[int], focus: set[int]) -> dict[tuple[int, int], None]:
        """The (focus node, value) pairs whose value is in *bad*, each once."""
        return {
            (subject, value): None
            for subject, value in zip(self.subjects, self.values, strict=True)
            if value in bad and subject in focus
        }


class TabledRun:
    """The tabled checks of one validation run, sharing focus sets and properties."""

    def __init__(
        self, tables: PropertyTables, store: ox.Store, closure: Callable[[str], list[str]]
    ) -> None:
        self.tables = tables
        self.store = store
        self.closure = closure
        self.numbers = _Numbers(tables)
        self._instances: dict[tuple[str, ...], set[int]] = {}
        self._properties: dict[str, _Property] = {}

    def covers(self, check: Check) -> bool:
        """Whether *check* can be answered from the tables."""
        spec = check.tabled
        if spec is None:
            return False
        if not all(self.tables.covers(p) for p in (*spec.predicates, *spec.targets.subjects_of)):
            return False
        # RDF 1.2 triple terms as values are left to the store's checks
        return not any(self.tables.column(p).triple_terms for p in spec.predicates)

    def instances(self, classes: Iterable[str]) -> set[int]:
        """The instances of *classes* or their subclasses, in the data and the vocabulary."""
        wanted = tuple(sorted({c for cls in classes for c in self.closure(cls)}))
        if wanted not in self._instances:
            found: set[int] = set()
            for cls in wanted:
                found.update(self.tables.instances(cls))
                typed = self.store.quads_for_pattern(
                    None, _RDF_TYPE, ox.NamedNode(cls), VOCABULARY_GRAPH
                )
                found.update(self.numbers.number(q.subject) for q in typed)
            self._instances[wanted] = found
        return self._instances[wanted]

    def focus(self, targets: TableTargets) -> set[int]:
        """The instances of the target classes and the subjects of the target properties
        (gathered ones)."""
        focus = self.instances(targets.classes)
        if targets.subjects_of:
            focus = focus.union(*(self._property(p).with_values for p in targets.subjects_of))
        return focus

    def size(self, check: Check) -> int:
        """How many focus nodes a SHACL-SPARQL *check* has, from the tables (0 if they
        cannot tell): the larger, the longer its query runs, as a rule."""
        targets = check.targets
        if targets is None or not all(self.tables.covers(p) for p in targets.subjects_of):
            return 0
        return len(self.focus(targets))

    def _property(self, predicate: str) -> _Property:
        if predicate not in self._properties:
            self._properties[predicate] = _Property(
                self.tables, self.store, predicate, self.numbers
            )
        return self._properties[predicate]

    def results(self, check: Check) -> list[RawResult]:
        """The results of *check* (one that :meth:`covers`)."""
        spec = check.tabled
        assert spec is not None
        if isinstance(spec, TabledOr):
            return self._or_results(check, spec)
        if isinstance(spec, TabledUnique):
            return self._described(check, [(s, check.component, v) for s, v in self._shared(spec)])
        focus = self.focus(spec.targets)
        prop = self._property(spec.predicate)
        found: list[tuple[int, URIRef, int | None]] = _count_failures(spec, focus, prop)
        for test in spec.tests:
            passes = self._test(test)
            bad = {number for number in prop.distinct if not passes(number)}
            if bad:
                found.extend((s, test.component, v) for s, v in prop.pairs_with(bad, focus))
        return self._described(check, found)

    def _described(
        self, check: Check, found: Sequence[tuple[int, URIRef, int | None]]
    ) -> list[RawResult]:
        """The results of *check* for (focus node, component, value) by number."""
        results = []
        for subject, component, value in found:
            focus_node = _focus_term(self.numbers.key(subject))
            if focus_node is None:
                continue  # not a focus node the store's checks give either
            results.append(
                RawResult(
                    focus_node,
                    component,
                    check.shape,
                    _rdflib(self.numbers.key(value)) if value is not None else None,
                    check.path,
                    check.severity,
                    check.constraint,
                )
            )
        return results

    def _or_results(self, check: Check, spec: TabledOr) -> list[RawResult]:
        """A result, its value the focus node itself, for each focus node that conforms to
        no member of the ``sh:or``."""
        focus = self.focus(spec.targets)
        failing = set(focus)
        for member in spec.members:
            failing -= self._conforming(member, focus)
        return [
            RawResult(
                node,
                SH.OrConstraintComponent,
                check.shape,
                node,
                check.path,
                check.severity,
                check.constraint,
            )
            for node in map(_focus_term, map(self.numbers.key, failing))
            if node is not None
        ]

    def _shared(self, spec: TabledUnique) -> dict[tuple[int, int], None]:
        """The (focus node, value) pairs whose value another node of one of the focus
        node's types has too, within one of the focus node's values of ``within``."""
        prop = self._property(spec.predicate)
        within = self._property(spec.within)
        only_scope = dict(zip(within.subjects, within.values, strict=True))
        if len(only_scope) == within.triples:
            # one scope per node, as a rule: no (value, scope) twice means no result
            keys = list(zip(prop.values, map(only_scope.get, prop.subjects), strict=True))
            if len(set(keys)) == len(keys):
                return {}
        scopes: dict[int, list[int]] = {}
        for subject, scope in zip(within.subjects, within.values, strict=True):
            scopes.setdefault(subject, []).append(scope)
        # first the nodes sharing a value within a scope (few), then their types
        first: dict[tuple[int, int], int] = {}
        sharing: dict[tuple[int, int], set[int]] = {}
        for subject, value in zip(prop.subjects, prop.values, strict=True):
            for scope in scopes.get(subject, ()):
                held = first.setdefault((value, scope), subject)
                if held != subject:
                    sharing.setdefault((value, scope), {held}).add(subject)
        if not sharing:
            return {}
        kinds = self._types_of(set().union(*sharing.values()))
        focus = self.focus(spec.targets)
        found: dict[tuple[int, int], None] = {}
        for (value, _), subjects in sharing.items():
            typed: dict[int, list[int]] = {}
            for subject in subjects:
                for kind in kinds.get(subject, ()):
                    typed.setdefault(kind, []).append(subject)
            for same in typed.values():
                if len(same) > 1:
                    found.update(((s, value), None) for s in same if s in focus)
        return found

    def _types_of(self, subjects: set[int]) -> dict[int, set[int]]:
        """The classes (by number) of each of *subjects*, in the data and the vocabulary."""
        found = self.tables.types_of(subjects)
        for quad in self.store.quads_for_pattern(None, _RDF_TYPE, None, VOCABULARY_GRAPH):
            subject = self.numbers.number(quad.subject)
            if subject in subjects:
                found.setdefault(subject, set()).add(self.numbers.number(quad.object))
        return found

    def _conforming(self, member: Member, focus: set[int]) -> set[int]:
        """The focus nodes that conform to *member*."""
        first = self._property(str(member.arguments[0]))
        if member.kind == "has":
            return focus & first.with_values
        if member.kind == "has2":
            then = self._property(str(member.arguments[1])).with_values
            return {s for s, v in zip(first.subjects, first.values, strict=True) if v in then}
        value = self.numbers.number(from_rdflib_term(member.arguments[1]))
        having = {s for s, v in zip(first.subjects, first.values, strict=True) if v == value}
        return focus - having

    def _test(self, test: ValueTest) -> Callable[[int], bool]:
        """Whether a value, by its number, meets *test*."""
        if test.kind == "class":
            return self.instances([str(test.arguments[0])]).__contains__
        if test.kind == "in":
            allowed = {self.numbers.number(from_rdflib_term(item)) for item in test.arguments}
            return allowed.__contains__
        keys = self.numbers.key
        if test.kind == "nodeKind":
            kinds = _NODE_KINDS[test.arguments[0]]
            return lambda number: isinstance(keys(number), kinds)
        datatypes = [str(d) for d in test.arguments]

        def has_datatype(number: int) -> bool:
            value = keys(number)
            return isinstance(value, ox.Literal) and any(
                value.datatype.value == d and well_formed(value.value, d) is not False
                for d in datatypes
            )

        return has_datatype


def _count_failures(
    spec: Tabled, focus: set[int], prop: _Property
) -> list[tuple[int, URIRef, int | None]]:
    """The focus nodes with fewer values than ``min_count`` or more than ``max_count``."""
    failures: list[tuple[int, URIRef, int | None]] = []
    if spec.min_count is None and spec.max_count is None:
        return failures
    counts = prop.counts()
    if spec.min_count is not None and spec.min_count > 0:
        failures.extend((s, SH.MinCountConstraintComponent, None) for s in focus - prop.with_values)
        if spec.min_count > 1:
            failures.extend(
                (s, SH.MinCountConstraintComponent, None)
                for s in focus & prop.with_values
                if counts.get(s, 1) < spec.min_count
            )
    if spec.max_count is not None:
        over = (
            focus & prop.with_values
            if spec.max_count == 0
            else {s for s, n in counts.items() if n > spec.max_count} & focus
        )
        failures.extend((s, SH.MaxCountConstraintComponent, None) for s in over)
    return failures


def _focus_term(kept: Key) -> Node | None:
    """A focus node as rdflib's term; ``None`` for a literal or triple term (no focus node
    the store's checks give either)."""
    return None if isinstance(kept, ox.Triple | ox.Literal) else _rdflib(kept)


def _rdflib(kept: Key) -> Node:
    if isinstance(kept, str):
        return URIRef(kept)
    if isinstance(kept, ox.BlankNode):
        return BNode(kept.value)
    assert isinstance(kept, ox.Literal)  # triple terms are left to the store's checks
    return to_rdflib_term(kept)
