"""Tests of goalgraph.structure: orphan goals, cycles and hubs of the goal chain."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from goalgraph import load
from goalgraph.structure import cycles, hubs, orphans
from support import mini_graph

V = "https://w3id.org/goalgraph/id/0685/"
GG = "https://w3id.org/goalgraph/ontology#"


@pytest.fixture(scope="module")
def graph():
    return mini_graph()


def test_orphans_are_goals_linked_to_nothing_upward(graph) -> None:
    """Only BUN-2 has no KF goal, delstrategi or riktning above it."""
    frame = orphans(graph)
    assert list(frame["node"]) == [V + "goal/BUN-2"]
    assert frame.iloc[0]["organisation"] == V + "organisation/BUN"


def test_no_cycles_in_a_well_formed_chain(graph) -> None:
    """The fixture's upward links form no loop."""
    assert cycles(graph).empty


def test_a_loop_of_contributing_goals_is_reported() -> None:
    """KF1 contributing to KFN-1, which contributes to KF1, is one cycle of length 2."""
    graph = mini_graph()
    graph.add(
        [
            ox.Triple(
                ox.NamedNode(V + "goal/KF1"),
                ox.NamedNode(GG + "contributesToGoal"),
                ox.NamedNode(V + "goal/KFN-1"),
            )
        ]
    )
    frame = cycles(graph)
    assert list(frame["length"]) == [2]
    assert set(frame.iloc[0]["nodes"].split()) == {V + "goal/KF1", V + "goal/KFN-1"}
    assert "→" in frame.iloc[0]["explanation"]


def test_hubs_rank_kf_goals_and_substrategies_by_namnd_goals(graph) -> None:
    """KF1 and A-LEVA-1 carry two nämnd goals each and come first."""
    frame = hubs(graph)
    assert set(frame.head(2)["identifier"]) == {"KF1", "A-LEVA-1"}
    assert list(frame.head(2)["committee_goals"]) == [2, 2]
    assert set(frame["kind"]) == {"council_goal", "substrategy"}


def test_hubs_top_keeps_the_first_rows(graph) -> None:
    """top=1 keeps one hub."""
    assert len(hubs(graph, top=1)) == 1


EXAMPLES = Path(__file__).parent.parent / "examples"
ORPHANS = {
    "vetlanda": ["MBN-2"],
    # KS mål 6-8 are only named in the minutes ("bearbetas vidare"), linked to no area.
    "vaggeryd": ["BUN-3", "KS6", "KS7", "KS8"],
    "norberg": ["SBU-3"],
}


@pytest.mark.parametrize("name", sorted(ORPHANS))
def test_orphans_of_each_example_agree_with_the_orphan_goals_query(name: str) -> None:
    """orphans() and the orphan-goals query name the same goals, those without a KF goal."""
    from goalgraph import run_query

    if not list((EXAMPLES / name).glob("*.ttl")):
        pytest.skip(f"examples/{name} not generated yet")
    graph = load(EXAMPLES / name)
    frame = orphans(graph)
    assert sorted(frame["identifier"]) == ORPHANS[name]
    assert sorted(frame["node"]) == sorted(run_query(graph, "orphan-goals")["goal"])
