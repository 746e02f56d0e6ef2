"""The fast engine: run compiled checks (see ``_compile``) on the pyoxigraph store.

Class targets and ``sh:class`` are resolved here against the store's own
``rdfs:subClassOf`` triples, and the checks run in parallel threads.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pyoxigraph as ox
from rdflib import RDFS, URIRef
from rdflib.term import Node

from goalgraph.graph import DATA_GRAPH, VOCABULARY_GRAPH, GoalGraph, to_rdflib_term
from goalgraph.validation._check import Check, Unsupported
from goalgraph.validation._compile import compile_shapes
from goalgraph.validation._focus_groups import Suffixed, focus_groups, grouped_query, grouped_rows
from goalgraph.validation._raw import RawResult
from goalgraph.validation._shapes import SH
from goalgraph.validation._sparql_prebinding import prebound_solutions
from goalgraph.validation._tabled import TabledRun
from goalgraph.validation._written import WrittenLiterals

__all__ = [
    "Check",
    "Unsupported",
    "compile_shapes",
    "only_checked_graphs",
    "results_per_check",
    "run_checks",
]

_SUBCLASS_OF = f"<{RDFS.subClassOf}>"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

_DEFAULT_GRAPH: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [DATA_GRAPH, VOCABULARY_GRAPH]
_CHECKED_GRAPHS = frozenset(_DEFAULT_GRAPH)


def only_checked_graphs(store: object) -> bool:
    """Whether *store* is a pyoxigraph store whose triples are all in the data and
    vocabulary graphs, so that the union of all its graphs is what the checks read.

    pyoxigraph evaluates the checks over the union of all graphs in about 28 % less time
    than over a list of two named graphs (one index lookup per pattern instead of two),
    with the same solutions (a triple in both graphs counts twice either way).

    >>> store = ox.Store()
    >>> only_checked_graphs(store)
    True
    >>> store.add(ox.Quad(ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p"),
    ...     ox.Literal("x"), ox.NamedNode("https://e.org/other")))
    >>> only_checked_graphs(store)
    False
    """
    if not isinstance(store, ox.Store):
        return False  # a remote store: its other graphs are not ours to see
    if any(store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        return False
    return not any(
        any(store.quads_for_pattern(None, None, None, name))
        for name in store.named_graphs()
        if name not in _CHECKED_GRAPHS
    )


def _solutions(
    store: ox.Store,
    query: str,
    this: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
    *,
    union: bool = False,
) -> ox.QuerySolutions:
    """The solutions of *query* over the data and vocabulary graphs of *store*; with
    *union*, read as the union of all graphs (see :func:`only_checked_graphs`)."""
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None
    substitutions = {ox.Variable("this"): this} if this is not None else None
    if union:
        result = store.query(query, use_default_graph_as_union=True, substitutions=substitutions)
    else:
        result = store.query(query, default_graph=_DEFAULT_GRAPH, substitutions=substitutions)
    assert isinstance(result, ox.QuerySolutions)  # every compiled query is a SELECT
    return result


#: a row of a check's query, or its share of a row of a grouped query (``_focus_groups``)
_Row = ox.QuerySolution | Suffixed

_PLACEHOLDER = re.compile(r"%%(INST|FOCUS|WELLFORMED) (\?\w+) <([^>]*)>%%")


class _Resolver:
    """Replaces class placeholders by ``rdf:type`` over the subclass closure in the store,
    and well-formedness placeholders by the ill-formed literals of the graph's ledger."""

    def __init__(self, store: ox.Store, literals: WrittenLiterals, *, union: bool = False) -> None:
        self.store = store
        self.union = union
        self.literals = literals
        self.closures: dict[str, list[str]] = {}
        self.counter = 0
        self.recheck = False

    def closure(self, cls: str) -> list[str]:
        if cls not in self.closures:
            query = f"SELECT DISTINCT ?c WHERE {{ ?c {_SUBCLASS_OF}* <{cls}> }}"
            found = {
                row["c"].value
                for row in _solutions(self.store, query, union=self.union)
                if isinstance(row["c"], ox.NamedNode)
            }
            self.closures[cls] = sorted(found | {cls})
        return self.closures[cls]

    def __call__(self, query: str, *, recheck: bool = False) -> str:
        self.recheck = recheck
        return _PLACEHOLDER.sub(self._replace, query)

    def _replace(self, match: re.Match[str]) -> str:
        kind, var, cls = match.groups()
        if kind == "WELLFORMED":
            return self.literals.condition(var, cls, recheck=self.recheck)
        classes = self.closure(cls)
        if len(classes) == 1:
            pattern = f"{var} {_RDF_TYPE} <{classes[0]}> ."
            return f"{{ {pattern} }}" if kind == "FOCUS" else pattern
        self.counter += 1
        values = " ".join(f"<{c}>" for c in classes)
        pattern = (
            f"VALUES ?class{self.counter} {{ {values} }} {var} {_RDF_TYPE} ?class{self.counter} ."
        )
        if kind == "FOCUS":
            return f"{{ SELECT DISTINCT {var} WHERE {{ {pattern} }} }}"
        return pattern


def _rows(
    store: ox.Store, check: Check, *, union: bool = False
) -> list[tuple[Node, ox.QuerySolution]]:
    rows: list[tuple[Node, ox.QuerySolution]] = []
    if check.per_focus:
        for focus_row in _solutions(store, check.focus_query, union=union):
            this = focus_row["this"]
            if this is None or isinstance(this, ox.Triple):
                continue
            focus = to_rdflib_term(this)
            found = prebound_solutions(
                check, this, lambda text: _solutions(store, text, union=union)
            )
            rows.extend((focus, row) for row in found)
    else:
        for row in _solutions(store, check.query, union=union):
            this = row["this"]
            if this is not None and not isinstance(this, ox.Triple):
                rows.append((to_rdflib_term(this), row))
    return rows


def _merged_results(check: Check, rows: list[tuple[Node, _Row]]) -> list[RawResult]:
    found: dict[tuple[Node, URIRef, Node | None], None] = {}
    for focus, row in rows:
        term = row["v"]
        value = (
            to_rdflib_term(term) if term is not None and not isinstance(term, ox.Triple) else None
        )
        for component, ok in check.merged:
            if component == SH.MinCountConstraintComponent:
                if value is None:
                    found[(focus, component, None)] = None
            elif component == SH.MaxCountConstraintComponent:
                if row["v2"] is not None:
                    found[(focus, component, None)] = None
            elif value is not None:
                met = row[ok]
                if not (isinstance(met, ox.Literal) and met.value == "true"):
                    found[(focus, component, value)] = None
    return [
        RawResult(focus, component, check.shape, value, check.path, check.severity)
        for focus, component, value in found
    ]


def judged_datatypes(checks: list[Check]) -> set[str]:
    """The datatypes whose literals *checks* judge as written (their WELLFORMED placeholders)."""
    return {
        match.group(3)
        for check in checks
        for query in (check.query, check.focus_query, check.repeat_query)
        for match in _PLACEHOLDER.finditer(query)
        if match.group(1) == "WELLFORMED"
    }


def run_checks(graph: GoalGraph, checks: list[Check]) -> list[RawResult]:
    """Run compiled *checks* over the data and vocabulary graphs of *graph* (no inference).

    Literals are judged as written (see ``_written``).

    :raises Unsupported: if rewritten literals could change a check's answer.
    """
    return [result for found in results_per_check(graph, checks) for result in found]


def results_per_check(
    graph: GoalGraph, checks: list[Check], *, declined: dict[int, Unsupported] | None = None
) -> list[list[RawResult]]:
    """The results of each of *checks* (see :func:`run_checks`).

    With *declined*, a check the engine cannot run exactly is recorded there by its
    index, with the reason, and gets no results, instead of raising for all.

    :raises Unsupported: if a check cannot run exactly and *declined* is None.
    """

    def refused(indexes: list[int], exc: Unsupported) -> None:
        if declined is None:
            raise exc
        for index in indexes:
            declined.setdefault(index, exc)

    store = graph.store
    union = only_checked_graphs(store)
    tables = graph.current_tables()
    literals = WrittenLiterals(graph, datatypes=judged_datatypes(checks))
    resolve = _Resolver(store, literals, union=union)
    tabled = TabledRun(tables, store, resolve.closure) if tables is not None else None
    from_tables = {
        index for index, check in enumerate(checks) if tabled is not None and tabled.covers(check)
    }
    rechecks: list[bool] = []
    for index, check in enumerate(checks):
        try:
            rechecks.append(index not in from_tables and literals.screen(check))
        except Unsupported as exc:
            refused([index], exc)
            rechecks.append(False)
    taken: dict[int, Unsupported] = declined if declined is not None else {}
    groups = [
        kept
        for group in focus_groups(checks)
        if (kept := [index for index in group if index not in taken and index not in from_tables])
    ]
    if tabled is not None:
        # the longest queries first, so that none is left to run alone at the end: the
        # SHACL-SPARQL constraints with the most focus nodes (the rest keep their order)
        sizes = {group[0]: tabled.size(checks[group[0]]) for group in groups}
        groups.sort(key=lambda group: -sizes[group[0]])
    grouped = {
        group[0]: grouped_query([checks[i] for i in group], [rechecks[i] for i in group], resolve)
        for group in groups
        if len(group) > 1
    }
    checks = [
        replace(
            c,
            query=resolve(c.query, recheck=r),
            focus_query=resolve(c.focus_query),
            repeat_query=resolve(c.repeat_query),
        )
        for c, r in zip(checks, rechecks, strict=True)
    ]

    def group_rows(group: list[int]) -> list[list[tuple[Node, _Row]]] | Unsupported:
        try:
            if len(group) > 1:
                shared = grouped_rows(
                    _solutions(store, grouped[group[0]], union=union), to_rdflib_term
                )
                if shared is not None:
                    return [[(f, Suffixed(row, n)) for f, row in shared] for n in range(len(group))]
            return [list(_rows(store, checks[i], union=union)) for i in group]
        except Unsupported as exc:  # a pre-bound query the store cannot take (a blank node)
            return exc

    # pyoxigraph releases the GIL while it evaluates, so checks run in parallel.
    all_rows: list[list[tuple[Node, _Row]]] = [[] for _ in checks]
    tabled_results: dict[int, list[RawResult]] = {}
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        running = pool.map(group_rows, groups)
        # judged here while the pool's threads run the store's queries
        for index in sorted(from_tables):
            tabled_results[index] = tabled.results(checks[index])  # type: ignore[union-attr]
        for group, found_rows in zip(groups, running, strict=True):
            if isinstance(found_rows, Unsupported):
                refused(group, found_rows)
                continue
            for index, rows in zip(group, found_rows, strict=True):
                all_rows[index] = rows
    results: list[list[RawResult]] = []
    for index, (check, recheck, rows) in enumerate(zip(checks, rechecks, all_rows, strict=True)):
        if index in taken:
            results.append([])
            continue
        if index in tabled_results:
            results.append(tabled_results[index])
            continue
        found = (
            _merged_results(check, rows) if check.merged else _results(check, rows)  # type: ignore[arg-type]  # only merged ones are shared
        )
        try:
            found = literals.as_written(check, found, recheck=recheck)
        except Unsupported as exc:
            refused([index], exc)
            results.append([])
            continue
        if check.repeat_query:
            found = _repeated(store, check.repeat_query, found, union=union)
        results.append(found)
    return results


def _repeated(
    store: ox.Store, repeat_query: str, results: list[RawResult], *, union: bool = False
) -> list[RawResult]:
    """Each result repeated once per chain of outer focus nodes leading to its focus node
    (a shape nested in a property shape is validated once per such chain)."""
    times: dict[Node, int] = {}
    for row in _solutions(store, repeat_query, union=union):
        this, count = row["this"], row["n"]
        if this is not None and not isinstance(this, ox.Triple) and count is not None:
            times[to_rdflib_term(this)] = int(count.value)
    return [result for result in results for _ in range(times.get(result.focus, 1))]


def _results(check: Check, rows: list[tuple[Node, ox.QuerySolution]]) -> list[RawResult]:
    results: list[RawResult] = []
    is_sparql = check.component == SH.SPARQLConstraintComponent
    for focus, row in rows:
        value: Node | None = None
        if check.value_var is not None:
            bound = row[check.value_var]
            if bound is not None and not isinstance(bound, ox.Triple):
                value = to_rdflib_term(bound)
        if is_sparql and value is None:
            value = focus
        path = check.path
        if check.path_var is not None:
            bound_path = row[check.path_var]
            if isinstance(bound_path, ox.NamedNode):
                path = URIRef(bound_path.value)
        if is_sparql:
            try:
                bound_path = row["path"]
            except (KeyError, TypeError):
                bound_path = None
            if isinstance(bound_path, ox.NamedNode):
                path = URIRef(bound_path.value)
        results.append(
            RawResult(
                focus,
                check.component,
                check.shape,
                value,
                path,
                check.severity,
                check.constraint,
            )
        )
    return results
