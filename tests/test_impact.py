"""Tests of goalgraph.dependents: what depends on a KF goal, delstrategi or indicator."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalgraph import UnknownTermError, load
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


EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def two_kommuner():
    """Vetlanda and Vaggeryd together: both have goals with the ids KF1 and KFN-1."""
    return load(EXAMPLES / "vetlanda" / "vetlanda.ttl", EXAMPLES / "vaggeryd" / "vaggeryd.ttl")


def test_a_target_level_of_an_indicator_is_listed_once_as_a_target_level() -> None:
    """Norberg's ML-NT1-1 names both NT1-1 and its goal: one row, a target level, one link away."""
    frame = impact(load(EXAMPLES / "norberg" / "norberg.ttl"), "NT1-1")
    level = frame[frame["node"] == N + "target-level/ML-NT1-1"]
    assert len(level) == 1
    assert level.iloc[0]["kind"] == "target_level"
    assert level.iloc[0]["distance"] == 1
    assert frame["node"].is_unique


def test_an_observation_is_still_an_observation() -> None:
    """Norberg's yearly values of NT1-1 stay observations: the fix names only target levels."""
    frame = impact(load(EXAMPLES / "norberg" / "norberg.ttl"), "NT1-1")
    kinds = dict(zip(frame["node"], frame["kind"], strict=True))
    assert kinds[N + "observation/O-NT1-1-2015"] == "observation"
    assert kinds[N + "goal/M1"] == "council_goal"


def test_impact_ids_are_case_insensitive(graph) -> None:
    """'kf1' finds KF1 when no id is exactly 'kf1'."""
    assert impact(graph, "kf1").equals(impact(graph, "KF1"))


def test_impact_chooses_the_kommun_of_a_repeated_id(two_kommuner) -> None:
    """KF1 exists in Vetlanda and Vaggeryd: --kommun picks one; without it the error says so."""
    with pytest.raises(UnknownTermError, match="flera kommuner"):
        impact(two_kommuner, "KF1")
    frame = impact(two_kommuner, "kf1", kommun="0665")
    assert frame["node"].str.startswith("https://w3id.org/goalgraph/id/0665/").all()


def test_impact_with_a_kommun_the_data_lacks_is_an_error(two_kommuner) -> None:
    """A real kommun with no data (Stockholm, 0180) is named in the error."""
    with pytest.raises(UnknownTermError, match="0180"):
        impact(two_kommuner, "KF1", kommun="0180")
