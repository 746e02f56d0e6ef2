"""The fast engine reads the union of all graphs only when that union is the data and vocabulary."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from goalgraph import load
from goalgraph.graph import INFERRED_GRAPH, GoalGraph
from goalgraph.validation import _fast
from goalgraph.validation._fast import _Resolver, _rows, compile_shapes, only_checked_graphs
from goalgraph.validation._raw import result_key
from goalgraph.validation._validate import run_engine, shapes_graph
from goalgraph.validation._written import WrittenLiterals

EXAMPLES = Path(__file__).parent.parent / "examples"
GG = "https://w3id.org/goalgraph/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _resolved_rows(graph: GoalGraph, *, union: bool) -> list[list[str]]:
    """Every built-in check's rows on *graph* as sorted text, read one way or the other."""
    resolve = _Resolver(graph.store, WrittenLiterals(graph), union=union)
    found = []
    for check in compile_shapes(shapes_graph()):
        resolved = replace(
            check, query=resolve(check.query), focus_query=resolve(check.focus_query)
        )
        rows = _rows(graph.store, resolved, union=union)
        found.append(sorted(f"{focus} {sorted(map(str, row))}" for focus, row in rows))
    return found


def test_a_loaded_graph_is_read_as_the_union_of_its_graphs() -> None:
    """Data and vocabulary alone: the union of all graphs is what the checks read."""
    graph = load(EXAMPLES / "norberg" / "norberg.ttl")
    assert only_checked_graphs(graph.store)


def test_inferred_or_default_graph_triples_keep_the_two_named_graphs() -> None:
    """Triples in the inferred graph or the store's default graph would leak into a union."""
    graph = load(EXAMPLES / "vetlanda" / "vetlanda.ttl")
    triple = ox.Triple(ox.NamedNode(GG + "x"), ox.NamedNode(GG + "p"), ox.Literal("y"))
    graph.store.add(ox.Quad(*triple, INFERRED_GRAPH))
    assert not only_checked_graphs(graph.store)
    graph.store.remove(ox.Quad(*triple, INFERRED_GRAPH))
    assert only_checked_graphs(graph.store)  # an emptied graph no longer counts
    graph.store.add(ox.Quad(*triple, ox.DefaultGraph()))
    assert not only_checked_graphs(graph.store)


def test_a_store_that_is_not_pyoxigraph_is_never_read_as_a_union() -> None:
    """A remote store's other graphs are not known, so it keeps the two named graphs."""
    assert not only_checked_graphs(object())


def test_both_readings_give_the_same_rows_on_the_examples() -> None:
    """Every built-in check finds the same rows in the union as in the two named graphs."""
    for name in ("vetlanda", "vaggeryd", "norberg"):
        graph = load(EXAMPLES / name / f"{name}.ttl")
        assert _resolved_rows(graph, union=True) == _resolved_rows(graph, union=False)


def test_validation_ignores_inferred_triples_that_would_break_a_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An inferred triple that would add a finding stays out: the checks fall back to two graphs."""
    graph = load(EXAMPLES / "norberg" / "norberg.ttl")
    before = sorted(map(result_key, run_engine(graph, shapes_graph(), "fast")[0]))
    kinds = graph.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(GG + "CommitteeGoal"))
    goal = next(kinds).subject
    # a second kommun breaks the shapes' sh:maxCount 1 on gg:municipality if it is read
    extra = ox.Quad(goal, ox.NamedNode(GG + "municipality"), ox.Literal("extra"), INFERRED_GRAPH)
    graph.store.add(extra)
    after = sorted(map(result_key, run_engine(graph, shapes_graph(), "fast")[0]))
    assert after == before
    monkeypatch.setattr(_fast, "only_checked_graphs", lambda store: True)
    leaked = run_engine(graph, shapes_graph(), "fast")[0]
    assert len(leaked) > len(before)  # what the union would have found
