"""``goalgraph.Validator``: a goal graph kept validated while it changes.

The full report is computed once; after each change (:meth:`Validator.apply`)
only what can change is checked again and the difference is returned as a
:class:`ValidationDelta`. See docs/validation.md, "Incremental re-checks".
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from goalgraph.errors import ChangeError, GoalGraphError
from goalgraph.graph import DATA_GRAPH, GoalGraph, to_rdflib_term
from goalgraph.i18n import LANGUAGES, default_lang, message
from goalgraph.literals import well_formed
from goalgraph.validation._change import Change, Triple
from goalgraph.validation._check import Check, Unsupported
from goalgraph.validation._compile import compile_shapes
from goalgraph.validation._dependence import TooWide
from goalgraph.validation._findings import OrderedFindings
from goalgraph.validation._raw import RawResult, result_key
from goalgraph.validation._rechecks import CheckState, Run, Term, analysed, in_focus, narrowed
from goalgraph.validation._report import ValidationReport, ValidationResult
from goalgraph.validation._validate import (
    Engine,
    _quiet_rdflib,
    declined,
    run_engine,
    shapes_graph,
)

__all__ = ["ValidationDelta", "Validator"]

_GG = "https://w3id.org/goalgraph/ontology#"
#: the links a result's kommun and organisation are found through (see ``_validate._Lookup``)
_VIA = [ox.NamedNode(_GG + p) for p in ("assessedGoal", "indicator", "forGoal")]
_CLASS_HIERARCHY = {"http://www.w3.org/2000/01/rdf-schema#subClassOf"}


@dataclass(frozen=True)
class ValidationDelta:
    """What one change did to the findings.

    ``new`` are findings present after the change and absent before, ``resolved``
    the reverse (described as they were before it); ``report`` is the full report
    after the change, equal to a fresh :func:`~goalgraph.validate`. ``rechecked``
    counts the focus nodes checked again (0 when nothing could change);
    ``incremental`` is false when the whole graph was validated again (the
    pySHACL engine, or a change the incremental path does not bound).
    """

    new: list[ValidationResult]
    resolved: list[ValidationResult]
    report: ValidationReport
    rechecked: int
    incremental: bool

    def to_dict(self, *, with_report: bool = True) -> dict[str, Any]:
        """The delta as a JSON-ready document (``delta.schema.json``): its ``$schema``,
        ``new`` and ``resolved`` results, and the full ``report`` unless not *with_report*
        (the schema makes it optional)."""
        from goalgraph.contract import stamped

        data: dict[str, Any] = {
            "incremental": self.incremental,
            "rechecked": self.rechecked,
            "new": [r.to_dict() for r in self.new],
            "resolved": [r.to_dict() for r in self.resolved],
        }
        if with_report:
            data["report"] = self.report.to_dict()
        return stamped("delta", data)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The delta as JSON (see :meth:`to_dict`); the report as ``ValidationReport.to_json``."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


class Validator:
    """A goal graph kept validated: the full report once, then re-checks after each change.

    Changes go through :meth:`apply` (removed triples first, then added ones,
    all or nothing) and must not be made to the graph behind the validator's back.
    With the ``fast`` engine only the focus nodes whose results can change are
    checked again (see docs/validation.md, "Incremental re-checks"); with
    ``pyshacl`` (or ``auto`` when it had to use pySHACL) the whole graph is
    validated again and the results compared (``ValidationDelta.incremental``
    says which). One change runs at a time.

    :raises GoalGraphError: if *engine* is unknown or cannot run the shapes, or
        *graph* is a remote store (it cannot be changed here).
    :raises LoadError: if a shapes file cannot be read.

    >>> from rdflib import RDFS, Literal, URIRef
    >>> from goalgraph import load
    >>> validator = Validator(load())
    >>> validator.report().conforms
    True
    >>> goal = URIRef("https://example.org/goal")
    >>> delta = validator.apply(added=[(goal, RDFS.label, Literal("Mål"))])
    >>> delta.new, delta.resolved, delta.incremental
    ([], [], True)
    """

    def __init__(
        self,
        graph: GoalGraph,
        *,
        shapes: Any = None,
        extra_shapes: Iterable[Any] = (),
        engine: Engine = "auto",
    ) -> None:
        from goalgraph.store.remote import RemoteGraph
        from goalgraph.validation._sparql_prebinding import check_shapes_queries

        if isinstance(graph, RemoteGraph):
            raise ChangeError(message("change.remote"))
        if engine not in ("auto", "fast", "pyshacl"):
            raise GoalGraphError(message("validation.unknown_engine", engine=engine))
        self.graph = graph
        self.engine: Engine = engine
        self.shapes = shapes_graph(shapes, extra_shapes)
        check_shapes_queries(self.shapes)
        self._lock = threading.Lock()
        self._checks: list[Check] | None = None
        self._run: Run
        if engine != "pyshacl":
            try:
                self._checks = compile_shapes(self.shapes)
            except Unsupported as exc:
                declined(exc, engine)
        #: the fast engine's results per check; None when pySHACL validates
        self._states: list[CheckState] | None = None
        #: how many times each raw result is found now, and the results that mention a node
        self._counts: Counter[RawResult] = Counter()
        self._mentioning: dict[Node, set[RawResult]] = {}
        #: per language, the findings described and in the report's order
        self._findings: dict[str, OrderedFindings] = {}
        self._reset()

    def report(self, *, lang: str | None = None) -> ValidationReport:
        """The full report of the graph as it is now, in *lang* (default: the user's language)."""
        with self._lock:
            return self._report(_language(lang))

    def apply(
        self,
        *,
        added: Iterable[Triple] = (),
        removed: Iterable[Triple] = (),
        lang: str | None = None,
    ) -> ValidationDelta:
        """Remove *removed* from and add *added* to the data graph; what that did to the findings.

        :param added: triples to add; their blank nodes are new nodes (one per label).
        :param removed: triples to remove, each as written and without blank nodes.
        :param lang: language of the delta's results and report.
        :raises ChangeError: if a triple is malformed, or a removed one is not in the
            data; nothing is changed then.
        :raises GoalGraphError: if the engine ``fast`` cannot validate the changed
            graph (the change is undone).
        """
        chosen = _language(lang)
        with self._lock, _quiet_rdflib():
            change = Change.checked(self.graph, added=added, removed=removed)
            findings = self._described(chosen)
            touched = _touched(self.graph, change)
            plan = self._plan(change) if self._states is not None and change else None
            undo = change.apply(self.graph)
            net: Counter[RawResult] = Counter()
            try:
                if plan is not None:
                    net, rechecked, incremental = self._incremental(change, plan)
                elif change:
                    old = self._counts
                    raw, self._used = self._full()
                    net.update(raw)
                    net.subtract(old)
                    rechecked, incremental = _subjects(self.graph), False
                else:
                    rechecked, incremental = 0, True
            except BaseException:
                undo.apply(self.graph)
                self._reset()
                raise
            touched |= _touched(self.graph, change)
            gained, lost = +net, -net
            resolved = [findings.described[r] for r in sorted(lost.elements(), key=result_key)]
            self._count(gained, lost)
            affected = set(net)
            for node in touched:
                affected |= self._mentioning.get(node, set())
            for kept in self._findings.values():
                for item in affected:
                    kept.drop(item)
                    kept.add(item, self._counts[item])
            report = self._report(chosen)
            new = [findings.described[r] for r in sorted(gained.elements(), key=result_key)]
            return ValidationDelta(
                new=new,
                resolved=resolved,
                report=report,
                rechecked=rechecked,
                incremental=incremental,
            )

    # --- running the engine ---------------------------------------------------

    def _reset(self) -> None:
        """Validate the whole graph and forget every description."""
        raw, self._used = self._full()
        self._counts = Counter()
        self._mentioning = {}
        self._findings = {}
        self._count(Counter(raw), Counter())

    def _count(self, gained: Counter[RawResult], lost: Counter[RawResult]) -> None:
        """Add *gained* to and take *lost* from the results found now."""
        for raw, times in lost.items():
            self._counts[raw] -= times
            if self._counts[raw] <= 0:
                del self._counts[raw]
                for node in _nodes(raw):
                    self._mentioning[node].discard(raw)
        for raw, times in gained.items():
            if raw not in self._counts:
                for node in _nodes(raw):
                    self._mentioning.setdefault(node, set()).add(raw)
            self._counts[raw] += times

    def _full(self) -> tuple[list[RawResult], str]:
        """Every check on the whole graph (per check with the fast engine)."""
        if self._checks is not None:
            try:
                run = self._run = Run(self.graph, self._checks)
                rechecks = [run.screen(check) for check in self._checks]
                # resolved one by one (the resolver keeps state), then run in parallel:
                # pyoxigraph releases the GIL while it evaluates
                resolved = [
                    run.resolved(c, recheck=r) for c, r in zip(self._checks, rechecks, strict=True)
                ]
                with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
                    found = list(
                        pool.map(
                            lambda pair: run.results_of(pair[0], recheck=pair[1]),
                            zip(resolved, rechecks, strict=True),
                        )
                    )
            except Unsupported as exc:
                declined(exc, self.engine)
            else:
                self._states = [
                    CheckState(check, results, recheck)
                    for check, results, recheck in zip(self._checks, found, rechecks, strict=True)
                ]
                for state in self._states:
                    analysed(state, run)
                return [r for s in self._states for r in s.results], "fast"
        self._states = None
        results, used, _ = run_engine(self.graph, self.shapes, "pyshacl")
        return results, used

    def _plan(self, change: Change) -> dict[int, set[Term] | None] | None:
        """Before the change: per touched check, the focus nodes it can reach (None: all);
        None when the change needs every check run again."""
        assert self._states is not None
        predicates = change.predicates()
        if predicates & _CLASS_HIERARCHY:
            return None  # class targets and sh:class were resolved over the old hierarchy
        run = self._run
        triples = _stored(self.graph, change)
        plan: dict[int, set[Term] | None] = {}
        for index, state in enumerate(self._states):
            if not analysed(state, run).reads(predicates):
                continue
            plan[index] = _reach(state, self.graph, triples)
        return plan

    def _incremental(
        self, change: Change, plan: dict[int, set[Term] | None]
    ) -> tuple[Counter[RawResult], int, bool]:
        """After the change: re-run the planned checks for their focus nodes; the results
        gained (positive counts) and lost (negative), the focus nodes re-checked, and
        whether it was incremental."""
        assert self._states is not None
        if _literals_kept(self.graph, change):
            run = self._run
            rechecks = [state.recheck for state in self._states]
        else:
            # the ledger changes: literals are judged anew, and each check screened again
            run = self._run = Run(self.graph, [s.check for s in self._states])
            try:
                rechecks = [run.screen(state.check) for state in self._states]
            except Unsupported:
                net: Counter[RawResult] = Counter()
                raw, self._used = self._full()
                net.update(raw)
                net.subtract(self._counts)
                return net, _subjects(self.graph), False
        triples = _stored(self.graph, change)
        rechecked: set[Term] = set()
        changed: Counter[RawResult] = Counter()
        for index, state in enumerate(self._states):
            focus = plan.get(index, set())
            if rechecks[index] != state.recheck:
                focus = None  # how its literals are judged changed: run it whole
            elif index in plan and focus is not None:
                after = _reach(state, self.graph, triples)
                focus = None if after is None else focus | after
            if focus is not None and not focus and index not in plan:
                continue
            state.recheck = rechecks[index]
            narrowed_query = focus is not None and narrowed(state.check.query, focus) is not None
            if focus is None or not narrowed_query:
                changed.subtract(state.results)
                state.results = run.results(state.check, recheck=state.recheck)
                changed.update(state.results)
            elif focus:
                kept, dropped = in_focus(state.results, focus)
                bound = state.dependence is not None and state.dependence.bindable
                fresh = run.results(state.check, recheck=state.recheck, focus=focus, bound=bound)
                state.results = kept + fresh
                changed.subtract(dropped)
                changed.update(fresh)
                rechecked |= focus
        return changed, len(rechecked), True

    # --- descriptions -----------------------------------------------------------

    def _described(self, lang: str) -> OrderedFindings:
        """The findings in *lang*, every one described (kept until it may change)."""
        if lang not in self._findings:
            findings = self._findings[lang] = OrderedFindings(lang)
            for raw, times in self._counts.items():
                findings.add(raw, times)
        found = self._findings[lang]
        found.described_results(self.graph, self.shapes)
        return found

    def _report(self, lang: str) -> ValidationReport:
        results = self._described(lang).described_results(self.graph, self.shapes)
        return ValidationReport(results=results, engine=self._used, lang=lang, shapes=self.shapes)


def _reach(state: CheckState, graph: GoalGraph, triples: list[ox.Triple]) -> set[Term] | None:
    """The focus nodes of *state*'s check that *triples* can reach now; None: all of them."""
    if not state.narrowable:
        return None
    assert state.dependence is not None
    try:
        return state.dependence.focus_nodes(graph.store, triples)
    except TooWide:
        return None


def _literals_kept(graph: GoalGraph, change: Change) -> bool:
    """Whether *change* leaves the literal ledger as it was: no literal of it is ill-formed or
    rewritten by the store, nor does a removed one stand for literals the store rewrote."""
    for triple in (*change.removed, *change.added):
        o = triple.object
        if isinstance(o, ox.Literal) and (
            well_formed(o.value, o.datatype.value) is False
            or graph.literals.stored_form(o) != o
            or graph.literals.originals(triple, DATA_GRAPH) is not None
        ):
            return False
    return True


def _stored(graph: GoalGraph, change: Change) -> list[ox.Triple]:
    """The change's triples as the store keeps them (literals in their stored form)."""
    found = []
    for triple in (*change.removed, *change.added):
        o = triple.object
        if isinstance(o, ox.Literal):
            o = graph.literals.stored_form(o)
        found.append(ox.Triple(triple.subject, triple.predicate, o))
    return found


def _touched(graph: GoalGraph, change: Change) -> set[Node]:
    """Nodes whose descriptions a change can alter: its subjects and objects, and the
    nodes that reach them through the links a result's kommun and organisation follow."""
    nodes: set[Term] = {t for t in change.nodes() if not isinstance(t, ox.Triple)}
    reached = set(nodes)
    for _ in range(2):
        step: set[Term] = set()
        for node in reached:
            for via in _VIA:
                for quad in graph.store.quads_for_pattern(None, via, node):
                    step.add(quad.subject)  # type: ignore[arg-type]
        reached |= step
    return {to_rdflib_term(node) for node in reached}


def _nodes(result: RawResult) -> tuple[Node, ...]:
    """The nodes whose description a result's description reads: its focus node and value."""
    return (result.focus,) if result.value is None else (result.focus, result.value)


def _language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else default_lang()


def _subjects(graph: GoalGraph) -> int:
    """How many distinct subjects the data graph has (the focus nodes a full run may check)."""
    found = graph.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }", graphs=("data",))
    assert isinstance(found, ox.QuerySolutions)
    return int(next(found)["n"].value)
