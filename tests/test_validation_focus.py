"""validate(graph, focus=...): the findings about some nodes, equal to the full report's."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from goalgraph import GoalGraph, UnknownTermError, load, validate
from goalgraph.graph import DATA_GRAPH

EXAMPLES = Path(__file__).parent.parent / "examples"
KOMMUNER = ["vetlanda", "vaggeryd", "norberg"]


@pytest.fixture(scope="module")
def graphs() -> dict[str, GoalGraph]:
    """The three examples, loaded once (only read here)."""
    return {name: load(EXAMPLES / name / f"{name}.ttl") for name in KOMMUNER}


@pytest.fixture(scope="module")
def full(graphs: dict[str, GoalGraph]) -> dict[str, list[dict[str, object]]]:
    """The full report of each example, as JSON-ready results."""
    return {name: [r.to_dict() for r in validate(g, lang="en")] for name, g in graphs.items()}


def _subjects(graph: GoalGraph) -> list[str]:
    import pyoxigraph as ox

    return sorted(
        {
            q.subject.value
            for q in graph.store.quads_for_pattern(None, None, None, DATA_GRAPH)
            if isinstance(q.subject, ox.NamedNode)
        }
    )


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_the_focused_report_is_the_full_report_filtered(
    graphs: dict[str, GoalGraph], full: dict[str, list[dict[str, object]]], data: st.DataObject
) -> None:
    """For any set of nodes the focused report is the full report's findings about them."""
    name = data.draw(st.sampled_from(KOMMUNER))
    graph = graphs[name]
    with_findings = sorted({str(r["focus_node"]) for r in full[name]})
    pool = st.sampled_from(_subjects(graph)) | st.sampled_from(with_findings)
    nodes = set(data.draw(st.lists(pool, min_size=1, max_size=12)))
    got = [r.to_dict() for r in validate(graph, lang="en", focus=nodes)]
    assert got == [r for r in full[name] if r["focus_node"] in nodes]


def test_focused_reports_agree_between_engines(graphs: dict[str, GoalGraph]) -> None:
    """pySHACL filtered and the fast engine narrowed give the same findings for the same nodes."""
    graph = graphs["vetlanda"]
    nodes = {str(r.focus_node) for r in validate(graph)}
    fast = validate(graph, focus=nodes, engine="fast")
    reference = validate(graph, focus=nodes, engine="pyshacl")
    assert sorted(r.key() for r in fast) == sorted(r.key() for r in reference) and len(fast) > 0


def test_a_node_not_in_the_data_is_refused_by_name(graphs: dict[str, GoalGraph]) -> None:
    """A focus IRI that occurs nowhere in the data raises UnknownTermError naming it."""
    missing = "https://example.org/no-such-goal"
    with pytest.raises(UnknownTermError, match="no-such-goal"):
        validate(graphs["vetlanda"], focus=[URIRef(missing)], lang="en")
