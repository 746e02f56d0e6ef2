"""The raw results of some focus nodes only, by the same narrowed runs as the re-checks.

Each check of the fast engine that can be narrowed (see :mod:`._rechecks`)
runs for the given focus nodes only; any other check runs whole and its
results are filtered. Either way the results are exactly the full run's
results of those nodes.
"""

from __future__ import annotations

import rdflib
from rdflib.term import Node

from goalgraph.graph import GoalGraph, from_rdflib_term
from goalgraph.validation._compile import compile_shapes
from goalgraph.validation._raw import RawResult
from goalgraph.validation._rechecks import CheckState, Run, Term, analysed, narrowed

__all__ = ["focused_results"]


def focused_results(graph: GoalGraph, shapes: rdflib.Graph, focus: set[Node]) -> list[RawResult]:
    """The fast engine's results in *graph* whose focus node is in *focus*.

    :raises Unsupported: if the fast engine cannot run the shapes on this graph
        (the caller falls back as :func:`run_engine` does).

    >>> from goalgraph import load
    >>> from goalgraph.validation._validate import shapes_graph
    >>> focused_results(load(), shapes_graph(None, ()), set())
    []
    """
    checks = compile_shapes(shapes)
    run = Run(graph, checks)
    nodes: set[Term] = set()
    for node in focus:
        term = from_rdflib_term(node)
        if term is not None:
            nodes.add(term)
    found: list[RawResult] = []
    for check in checks:
        recheck = run.screen(check)
        state = CheckState(check, [], recheck)
        dependence = analysed(state, run)
        query = run.resolved(check, recheck=recheck).query
        if nodes and state.narrowable and narrowed(query, nodes) is not None:
            found += run.results(check, recheck=recheck, focus=nodes, bound=dependence.bindable)
        elif nodes:
            found += [r for r in run.results(check, recheck=recheck) if r.focus in focus]
    return found
