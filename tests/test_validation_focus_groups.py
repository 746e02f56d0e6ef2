"""Property checks over the same focus nodes run as one query and give the same results."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from goalgraph import load
from goalgraph.graph import GoalGraph
from goalgraph.validation import _fast
from goalgraph.validation._fast import compile_shapes, run_checks
from goalgraph.validation._focus_groups import focus_groups, grouped_rows
from goalgraph.validation._raw import result_key
from goalgraph.validation._validate import run_engine, shapes_graph

DATA = Path(__file__).parent / "data" / "validation" / "focus-groups.ttl"
MANY = DATA.with_name("focus-groups-many.ttl")
EXAMPLES = Path(__file__).parent.parent / "examples"
GGSH = "https://w3id.org/goalgraph/shapes#"
OBSERVATION_SHAPES = {"Observation-indicator", "Observation-value", "Observation-year"}


def _keys(graph: GoalGraph) -> Counter[tuple[str, ...]]:
    """The built-in checks' results on *graph* as a multiset of keys."""
    return Counter(map(result_key, run_checks(graph, compile_shapes(shapes_graph()))))


def _store_checked(path: Path) -> GoalGraph:
    """*path* loaded without the load's tables, so that every check runs in the store
    (the tables' own answers: test_validation_tabled.py)."""
    graph = load(path)
    graph.tables = None
    return graph


def _one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every check alone, as before the grouping."""
    monkeypatch.setattr(_fast, "focus_groups", lambda checks: [[i] for i in range(len(checks))])


def test_the_observation_shapes_form_one_group() -> None:
    """The three observation property shapes share their focus nodes and sh:maxCount 1."""
    checks = compile_shapes(shapes_graph())
    names = [
        {str(checks[i].shape).rsplit("#", 1)[-1] for i in group}
        for group in focus_groups(checks)
        if len(group) > 1
    ]
    assert OBSERVATION_SHAPES in names
    assert all(len(group) == 1 for group in focus_groups(checks[:1]))


def test_a_check_without_max_count_stays_alone() -> None:
    """Without sh:maxCount 1 a product of rows could hide behind the filter: not grouped."""
    checks = [c for c in compile_shapes(shapes_graph()) if "Observation-" in str(c.shape)]
    assert len(focus_groups(checks)) == 1
    merged = tuple(m for m in checks[0].merged if "MaxCount" not in m[0])
    without = checks[0].__class__(**{**checks[0].__dict__, "merged": merged})
    assert len(focus_groups([without, *checks[1:]])) == 2


def test_grouped_checks_find_what_each_check_finds_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Missing, repeated, ill-typed and wrong-class values, alone and together, as before."""
    graph = _store_checked(DATA)
    shared: list[int] = []

    def counted(*args: Any) -> Any:
        rows = grouped_rows(*args)
        shared.append(-1 if rows is None else len(rows))
        return rows

    monkeypatch.setattr(_fast, "grouped_rows", counted)
    grouped = _keys(graph)
    assert max(shared) > 5 and -1 not in shared  # the grouped query answered
    shapes = {key[2].rsplit("#", 1)[-1].rstrip(">") for key in grouped}
    assert shapes >= OBSERVATION_SHAPES
    assert sum(grouped.values()) > 15
    _one_by_one(monkeypatch)
    assert _keys(graph) == grouped


def test_grouped_checks_agree_with_pyshacl() -> None:
    """The reference engine finds the same results on the same observations."""
    graph = load(DATA)
    fast, used, _ = run_engine(graph, shapes_graph(), "fast")
    reference, _, _ = run_engine(graph, shapes_graph(), "pyshacl")
    assert used == "fast"
    assert Counter(map(result_key, fast)) == Counter(map(result_key, reference))


def test_many_values_make_the_group_run_one_by_one_in_bounded_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """40 values on two properties would be millions of shared rows: the group gives up early."""
    graph = _store_checked(MANY)
    checks = compile_shapes(shapes_graph())
    group = next(g for g in focus_groups(checks) if len(g) == len(OBSERVATION_SHAPES))
    resolve = _fast._Resolver(graph.store, _fast.WrittenLiterals(graph))
    query = _fast.grouped_query([checks[i] for i in group], [False] * len(group), resolve)
    began = time.perf_counter()
    assert grouped_rows(_fast._solutions(graph.store, query), _fast.to_rdflib_term) is None
    assert time.perf_counter() - began < 5
    results = _keys(graph)  # the checks one by one instead
    many = {(key[1].rsplit("#", 1)[-1], key[2]) for key in results if key[0].endswith("many>")}
    for name in OBSERVATION_SHAPES:
        assert ("MaxCountConstraintComponent", f"<{GGSH}{name}>") in many
    assert ("ClassConstraintComponent", f"<{GGSH}Observation-indicator>") in many
    _one_by_one(monkeypatch)
    assert _keys(graph) == results


def test_a_group_on_clean_data_returns_its_rows() -> None:
    """On the examples the grouped query answers, and the results match the checks alone."""
    graph = load(EXAMPLES / "norberg" / "norberg.ttl")
    checks = compile_shapes(shapes_graph())
    group = next(g for g in focus_groups(checks) if len(g) == len(OBSERVATION_SHAPES))
    resolve = _fast._Resolver(graph.store, _fast.WrittenLiterals(graph))
    query = _fast.grouped_query([checks[i] for i in group], [False] * len(group), resolve)
    assert grouped_rows(_fast._solutions(graph.store, query), _fast.to_rdflib_term) == []


def test_examples_give_the_same_results_grouped_or_not(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example kommun: the same results with and without the grouping."""
    names = ("vetlanda", "vaggeryd", "norberg")
    graphs = [_store_checked(EXAMPLES / name / f"{name}.ttl") for name in names]
    grouped = [_keys(graph) for graph in graphs]
    _one_by_one(monkeypatch)
    assert [_keys(graph) for graph in graphs] == grouped


def test_a_focus_pattern_with_an_optional_of_its_own_is_not_cut_apart() -> None:
    """A focus sub-select holding ``OPTIONAL { ?this …`` leaves its checks alone."""
    checks = [c for c in compile_shapes(shapes_graph()) if "Observation-" in str(c.shape)]
    own = "{ SELECT DISTINCT ?this WHERE { ?x <urn:p> ?y OPTIONAL { ?this <urn:q> ?y } } }"
    odd = [
        c.__class__(**{**c.__dict__, "query": c.query.replace("%%FOCUS", own + " %%FOCUS", 1)})
        for c in checks
    ]
    assert len(focus_groups(checks)) == 1
    assert len(focus_groups(odd)) == len(odd)
