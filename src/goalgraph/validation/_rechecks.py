"""The fast engine's results kept per check, and re-run for the focus nodes a change can reach.

A narrowed run is the check's own query with ``VALUES ?this { … }`` at the
start of its top-level group and of each sub-select that projects ``?this``
by name: a join with the candidates, which is exactly the full run's rows
for those focus nodes when ``?this`` is bound in every solution (checked by
:mod:`._dependence`; otherwise the check runs whole).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from goalgraph.graph import GoalGraph, to_rdflib_term
from goalgraph.sparql_text import masked
from goalgraph.validation._check import Check
from goalgraph.validation._dependence import Dependence, dependence
from goalgraph.validation._fast import (
    _merged_results,
    _repeated,
    _Resolver,
    _results,
    _rows,
    _solutions,
    judged_datatypes,
)
from goalgraph.validation._raw import RawResult
from goalgraph.validation._written import WrittenLiterals

__all__ = ["CheckState", "Run", "by_exists", "narrowed", "per_node"]

SPARQL_CONSTRAINT = URIRef("http://www.w3.org/ns/shacl#SPARQLConstraintComponent")

_SELECT = re.compile(r"(?<![\w:\-.?$])SELECT\b([^{}]*?)(?:\bWHERE\b)?\s*\{", re.IGNORECASE)
_SELECT_WORD = re.compile(r"(?<![\w:\-.?$])SELECT\b", re.IGNORECASE)
_THIS = re.compile(r"[?$]this\b")
Term = ox.NamedNode | ox.BlankNode | ox.Literal
_BOUND_RUNS = 32  # up to this many focus nodes, one run each with ?this bound
# sh:class: "no type among the classes"; its variable is bound by the pattern before it
_CLASS_MINUS = re.compile(r"MINUS \{ (%%INST \?\w+ <[^>]*>%%) \}")
_FLAT_MINUS = re.compile(r"MINUS\s*\{([^{}]*)\}", re.IGNORECASE)


def by_exists(check: Check) -> str:
    """*check*'s query with its ``sh:class`` blocks written with ``FILTER NOT EXISTS``.

    Run for one focus node, ``FILTER NOT EXISTS`` is evaluated for that node's rows
    only, while the store evaluates a ``MINUS`` block whole (every goal's type). The
    two mean the same here: the block's variable is bound by the pattern before it.

    >>> from rdflib import URIRef
    >>> check = Check("SELECT ?this ?v { ?this <urn:p> ?v MINUS { %%INST ?v <urn:C>%% } }",
    ...     URIRef("urn:S"), URIRef("urn:component"), URIRef("urn:severity"), None)
    >>> by_exists(check)
    'SELECT ?this ?v { ?this <urn:p> ?v FILTER NOT EXISTS { %%INST ?v <urn:C>%% } }'
    """
    return _CLASS_MINUS.sub(r"FILTER NOT EXISTS { \1 }", check.query)


def per_node(check: Check, node: Term) -> str:
    """*check*'s (resolved) query for the focus node *node* alone.

    The ``MINUS`` blocks of a SHACL-SPARQL constraint (which can only come from
    ``minus_for_not_exists``: SHACL forbids ``MINUS`` there) are flat and bind
    ``$this`` in every solution when they name it; the store evaluates such a block
    whole, so ``VALUES ?this`` is put in it: its solutions of other focus nodes are
    compatible with no row of *node* and take nothing away.

    >>> from rdflib import URIRef
    >>> check = Check("SELECT $this { $this a <urn:C> MINUS { $this <urn:p> ?o } }",
    ...     URIRef("urn:S"), SPARQL_CONSTRAINT, URIRef("urn:severity"), None)
    >>> per_node(check, ox.NamedNode("urn:a"))
    'SELECT $this { $this a <urn:C> MINUS { VALUES ?this { <urn:a> } $this <urn:p> ?o } }'
    """
    query = check.query
    if check.component != SPARQL_CONSTRAINT or check.per_focus:
        return query
    if not isinstance(node, ox.NamedNode):
        return query  # a blank node in VALUES would be a new node
    # found in the text with strings and IRIs blanked, so that none is read as a block
    for match in reversed(list(_FLAT_MINUS.finditer(masked(query)))):
        if _THIS.search(match.group(1)):
            cut = match.start(1)
            query = f"{query[:cut]} VALUES ?this {{ {node} }}{query[cut:]}"
    return query


def narrowed(query: str, focus: set[Term]) -> str | None:
    """*query* with its solutions narrowed to ``?this`` in *focus*; ``None`` if it cannot be.

    >>> narrowed("SELECT ?this WHERE { ?this <urn:p> ?o }", {ox.NamedNode("urn:a")})
    'SELECT ?this WHERE { VALUES ?this { <urn:a> } ?this <urn:p> ?o }'
    """
    if any(isinstance(node, ox.BlankNode) for node in focus):
        return None  # a blank node in VALUES would be a new node, not the stored one
    stripped = masked(query)
    found = list(_SELECT.finditer(stripped))
    if not found or len(found) != len(_SELECT_WORD.findall(stripped)):
        return None
    cuts = [m.end() for i, m in enumerate(found) if i == 0 or _THIS.search(m.group(1))]
    row = " VALUES ?this { " + " ".join(sorted(str(node) for node in focus)) + " }"
    for cut in reversed(cuts):
        query = query[:cut] + row + query[cut:]
    return query


@dataclass
class CheckState:
    """One compiled check, what its results depend on, and its current results."""

    check: Check
    results: list[RawResult]
    recheck: bool
    dependence: Dependence | None = None

    @property
    def narrowable(self) -> bool:
        """Whether the check can be re-run for some focus nodes only."""
        return not (self.check.per_focus or self.check.repeat_query) and (
            self.dependence is not None and not self.dependence.whole
        )


class Run:
    """One pass of the fast engine over a graph: literals read, placeholders resolved."""

    def __init__(self, graph: GoalGraph, checks: list[Check]) -> None:
        self.graph = graph
        self.literals = WrittenLiterals(graph, datatypes=judged_datatypes(checks))
        self.resolve = _Resolver(graph.store, self.literals)

    def screen(self, check: Check) -> bool:
        """See :meth:`WrittenLiterals.screen` (raises ``Unsupported``)."""
        return self.literals.screen(check)

    def resolved(self, check: Check, *, recheck: bool) -> Check:
        """*check* with its placeholders resolved against the graph as it is now."""
        return replace(
            check,
            query=self.resolve(check.query, recheck=recheck),
            focus_query=self.resolve(check.focus_query),
            repeat_query=self.resolve(check.repeat_query),
        )

    def results(
        self, check: Check, *, recheck: bool, focus: set[Term] | None = None, bound: bool = False
    ) -> list[RawResult]:
        """The raw results of *check* (only of the focus nodes *focus*, when given).

        :raises ValueError: if *focus* is given and the query cannot be narrowed to it.
        """
        if focus is not None and bound and len(focus) <= _BOUND_RUNS:
            check = replace(check, query=by_exists(check))
        resolved = self.resolved(check, recheck=recheck)
        return self.results_of(resolved, recheck=recheck, focus=focus, bound=bound)

    def results_of(
        self,
        resolved: Check,
        *,
        recheck: bool,
        focus: set[Term] | None = None,
        bound: bool = False,
    ) -> list[RawResult]:
        """:meth:`results` of a check already :meth:`resolved` (safe in parallel threads).

        With *bound* (``?this`` is one variable throughout the query: see
        ``Dependence.bindable``), a few focus nodes are run one by one with
        ``?this`` bound, which the store evaluates as a join at the top.
        """
        store = self.graph.store
        if focus is not None and bound and len(focus) <= _BOUND_RUNS:
            # one run per focus node with ?this bound: the store then starts from it
            rows = [
                (to_rdflib_term(node), row)
                for node in sorted(focus, key=str)
                for row in _solutions(store, per_node(resolved, node), node)
            ]
        else:
            if focus is not None:
                query = narrowed(resolved.query, focus)
                if query is None:
                    raise ValueError("cannot narrow")
                resolved = replace(resolved, query=query)
            rows = _rows(store, resolved)
        found = _merged_results(resolved, rows) if resolved.merged else _results(resolved, rows)
        found = self.literals.as_written(resolved, found, recheck=recheck)
        if resolved.repeat_query:
            found = _repeated(store, resolved.repeat_query, found)
        return found


def analysed(state: CheckState, run: Run) -> Dependence:
    """The dependence of *state*'s check, read once from its resolved query."""
    if state.dependence is None:
        state.dependence = dependence(run.resolved(state.check, recheck=state.recheck).query)
    return state.dependence


def in_focus(results: list[RawResult], focus: set[Term]) -> tuple[list[RawResult], list[RawResult]]:
    """*results* split into those of other focus nodes and those of *focus*."""
    nodes: set[Node] = {to_rdflib_term(node) for node in focus}
    kept = [r for r in results if r.focus not in nodes]
    dropped = [r for r in results if r.focus in nodes]
    return kept, dropped
