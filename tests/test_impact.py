"""Tests of goalgraph.dependents: what depends on a KF goal, delstrategi or indicator."""

from __future__ import annotations

import pytest

from goalgraph import UnknownTermError
from goalgraph.dependents import impact
from support import mini_graph

V = "https://w3id.org/goalgraph/id/0685/"
N = "https://w3id.org/goalgraph/id/1962/"


@pytest.fixture(scope="module")
def graph():
    return mini_graph()


def test_kf_goal_impact_lists_the_contributing_namnd_goals(graph) -> None:
    """A change to KF1 touches KFN-1 and KFN-2, one link away."""
    frame = impact(graph, "KF1")
    assert set(frame["node"]) == {V + "goal/KFN-1", V + "goal/KFN-2"}
    assert set(frame["distance"]) == {1}
    assert frame.iloc[0]["explanation"].endswith("(angivet)")


def test_substrategy_impact_lists_supporting_goals(graph) -> None:
    """A change to A-LEVA-1 touches the two KFN goals supporting it."""
    frame = impact(graph, "A-LEVA-1", lang="en")
    assert set(frame["node"]) == {V + "goal/KFN-1", V + "goal/KFN-2"}
    assert set(frame["kind_label"]) == {"committee goal"}


def test_indicator_impact_lists_goals_and_observations(graph) -> None:
    """A change to indicator BESOK touches goal KFN-1 and its two observations."""
    frame = impact(graph, "BESOK")
    assert set(frame["node"]) == {
        V + "goal/KFN-1",
        V + "observation/BESOK-2022",
        V + "observation/BESOK-2023",
    }
    assert set(frame[frame["kind"] == "observation"]["via"]) == {V + "indicator/BESOK"}


def test_impact_reaches_through_several_levels(graph) -> None:
    """A change to SDG 11.7 touches its delstrategi (1 link) and the goals behind it (2 links)."""
    frame = impact(graph, "11.7")
    distances = dict(zip(frame["node"], frame["distance"], strict=True))
    assert distances[V + "substrategy/A-LEVA-1"] == 1
    assert distances[V + "goal/KFN-1"] == 2


def test_commitments_depend_on_the_goal_they_implement(graph) -> None:
    """Norberg's åtagande BU-1 depends on KF goal 1."""
    frame = impact(graph, N + "goal/1")
    assert list(frame["node"]) == [N + "commitment/BU-1"]


def test_nothing_depends_on_a_leaf_goal(graph) -> None:
    """No item links to nämnd goal KFN-2, so its impact is empty."""
    assert impact(graph, "KFN-2").empty


def test_impact_of_an_unknown_node_lists_candidates(graph) -> None:
    """An unknown name raises UnknownTermError."""
    with pytest.raises(UnknownTermError):
        impact(graph, "KF9")
