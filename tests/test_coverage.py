"""Tests of goalgraph.gaps: goal × item matrices, gaps, summaries and the delstrategi grid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalgraph import QueryError, load
from goalgraph.gaps import DIMENSIONS, coverage, substrategy_grid
from goalgraph.graph import GoalGraph
from support import mini_graph

DATA = Path(__file__).parent / "data" / "analysis"
EXAMPLES = Path(__file__).parent.parent / "examples"
V = "https://w3id.org/goalgraph/id/0685/"
N = "https://w3id.org/goalgraph/id/1962/"
SDG = "http://metadata.un.org/sdg/"
VETLANDA = "https://w3id.org/goalgraph/ref/kommun/0685"
NORBERG = "https://w3id.org/goalgraph/ref/kommun/1962"


@pytest.fixture(scope="module")
def graph() -> GoalGraph:
    return mini_graph()


def gaps_of(report, kommun: str) -> set[str]:
    return set(report.gaps[report.gaps["kommun"] == kommun]["item"])


def test_sdg_matrix_marks_goals_reaching_an_sdg_through_their_substrategy(graph: GoalGraph) -> None:
    """KFN-1 reaches SDG 11 via A-LEVA-1 → 11.7; Norberg goal 1 reaches SDG 4 via its target 4.1."""
    report = coverage(graph, "sdg")
    assert report.matrix.loc[V + "goal/KFN-1", SDG + "11"] == 1
    assert report.matrix.loc[V + "goal/KFN-1", SDG + "13"] == 0
    assert report.matrix.loc[N + "goal/1", SDG + "4"] == 1
    assert report.matrix.shape == (8, 17)


def test_sdg_gaps_are_the_sdgs_no_goal_of_the_kommun_reaches(graph: GoalGraph) -> None:
    """Vetlanda's goals reach SDG 11, 13 and 16, so the other 14 SDGs are its gaps."""
    report = coverage(graph, "sdg")
    reached = {SDG + "11", SDG + "13", SDG + "16"}
    assert gaps_of(report, VETLANDA) == {SDG + str(i) for i in range(1, 18)} - reached
    assert gaps_of(report, NORBERG) == {SDG + str(i) for i in range(1, 18)} - {SDG + "3", SDG + "4"}


def test_target_gaps_leave_out_reached_targets(graph: GoalGraph) -> None:
    """SDG targets 11.7, 16.7 and 13.2 are reached in Vetlanda, 9.5 is not (no goal supports it)."""
    gaps = gaps_of(coverage(graph, "target"), VETLANDA)
    assert {SDG + "11.7", SDG + "16.7", SDG + "13.2"}.isdisjoint(gaps)
    assert SDG + "9.5" in gaps
    assert len(gaps) == 169 - 3


def test_rus_gaps_use_the_areas_of_the_kommuns_own_rus(graph: GoalGraph) -> None:
    """Vetlanda is measured against the six areas of RUS 06, Norberg against RUS 19's three."""
    report = coverage(graph, "rus")
    ref = "https://w3id.org/goalgraph/ref/rus/"
    assert gaps_of(report, VETLANDA) == {
        ref + "06/" + a for a in ("tillganglig", "smart", "kompetent", "global")
    }
    assert gaps_of(report, NORBERG) == {ref + "19/tillgangligt", ref + "19/nyskapande"}


def test_perspective_challenge_and_riktning_gaps(graph: GoalGraph) -> None:
    """No Vetlanda goal reaches Verka or Den nytänkande kommunen; every challenge is reached."""
    assert gaps_of(coverage(graph, "perspective"), VETLANDA) == {
        "https://w3id.org/goalgraph/ref/perspective/verka"
    }
    assert gaps_of(coverage(graph, "challenge"), VETLANDA) == set()
    assert gaps_of(coverage(graph, "riktning"), VETLANDA) == {V + "area/NYTANKANDE"}


def test_summaries_per_namnd_and_per_kommun(graph: GoalGraph) -> None:
    """KFN has 2 goals both reaching an SDG; Vetlanda has 6 goals of which 3 reach none."""
    report = coverage(graph, "sdg")
    kfn = report.by_organisation.set_index("organisation").loc[V + "organisation/KFN"]
    assert (kfn["goals"], kfn["goals_reaching"], kfn["items_reached"]) == (2, 2, 2)
    vetlanda = report.by_kommun.set_index("kommun").loc[VETLANDA]
    assert (vetlanda["goals"], vetlanda["goals_without"], vetlanda["items_reached"]) == (6, 3, 3)


def test_coverage_restricted_to_one_kommun_and_kind(graph: GoalGraph) -> None:
    """kommun= and kinds= narrow the rows to Vetlanda's nämnd goals."""
    report = coverage(graph, "perspective", kommun="0685", kinds=("CommitteeGoal",))
    assert sorted(report.matrix.index) == sorted(
        V + f"goal/{g}" for g in ("BUN-1", "BUN-2", "KFN-1", "KFN-2")
    )


def test_coverage_json_is_valid_and_lists_reached_items(graph: GoalGraph) -> None:
    """to_json gives valid JSON (no NaN) with each goal's reached items."""
    document = json.loads(coverage(graph, "challenge").to_json())
    assert set(document["reached"][V + "goal/KFN-1"]) == {
        V + "challenge/INKLUDERING",
        V + "challenge/FOLKHALSA",
    }
    assert document["by_organisation"][-1]["organisation"] is None


def test_labelled_matrix_uses_readable_names(graph: GoalGraph) -> None:
    """Rows and columns of the labelled matrix carry ids and titles instead of IRIs."""
    matrix = coverage(graph, "riktning", kommun="0685").labelled_matrix()
    assert "KFN-1 Fler mötesplatser för unga (illustrativt)" in matrix.index
    assert "ATTRAKTIV Den attraktiva kommunen" in matrix.columns


def test_unknown_dimension_is_refused(graph: GoalGraph) -> None:
    """A dimension outside sdg/target/rus/perspective/challenge/riktning raises QueryError."""
    with pytest.raises(QueryError, match="sdg, target"):
        coverage(graph, "colour")  # type: ignore[arg-type]


def test_every_dimension_is_computed(graph: GoalGraph) -> None:
    """Every advertised dimension gives a matrix with one row per goal."""
    for dimension in DIMENSIONS:
        assert len(coverage(graph, dimension).matrix) == 8  # type: ignore[arg-type]


def test_substrategy_grid_counts_per_riktning_and_perspective(graph: GoalGraph) -> None:
    """The fixture's four delstrategier fall in four cells of the riktning × perspective grid."""
    grid = substrategy_grid(graph, kommun="0685")
    assert grid.loc["Den attraktiva kommunen"].tolist() == [1, 1, 0]
    assert grid.loc["Den hållbara kommunen"].tolist() == [1, 0, 0]
    assert grid.loc["Den nytänkande kommunen"].tolist() == [0, 0, 1]
    assert list(grid.columns) == ["Bo", "Leva", "Verka"]


def test_substrategy_grid_of_a_kommun_without_substrategies_is_empty(graph: GoalGraph) -> None:
    """Norberg has no delstrategier, so its grid is empty."""
    assert substrategy_grid(graph, kommun="1962").empty


def test_substrategy_grid_lists_names_on_request(graph: GoalGraph) -> None:
    """names=True puts the delstrategier's titles in the cells."""
    grid = substrategy_grid(graph, kommun="0685", names=True)
    assert (
        grid.loc["Den attraktiva kommunen", "Leva"]
        == "Skapa meningsfulla och inkluderande mötesplatser"
    )


@pytest.mark.skipif(
    not list((EXAMPLES / "vetlanda").rglob("*.ttl")), reason="examples/vetlanda not generated yet"
)
def test_vetlanda_grid_reproduces_bilaga_2() -> None:
    """Vetlanda's 15 delstrategier per riktning × perspective match the grid of Bilaga 2."""
    grid = substrategy_grid(load(EXAMPLES / "vetlanda"), kommun="0685")
    assert list(grid.columns) == ["Bo", "Leva", "Verka"]
    assert [row.tolist() for _, row in grid.iterrows()] == [[2, 2, 1], [2, 2, 1], [1, 2, 2]]
    assert [name.split()[1] for name in grid.index] == ["attraktiva", "hållbara", "nytänkande"]
    assert int(grid.to_numpy().sum()) == 15


DELIBERATE_GAPS = {
    "vetlanda": {"rus": "SN-2", "perspective": "KFN-2", "sdg": "BUN-3", "challenge": "SN-3"},
    "vaggeryd": {"rus": "SOCN-3", "perspective": "MBN-3", "sdg": "KFN-2", "challenge": "KFN-3"},
    "norberg": {"rus": "SOU-3", "perspective": "BUU-3", "sdg": "SBU-4", "challenge": "SOU-4"},
}


@pytest.mark.parametrize("example", sorted(DELIBERATE_GAPS))
def test_each_examples_goal_missing_a_criterion_reaches_nothing_in_that_dimension(
    example: str,
) -> None:
    """The nämnd goals the README lists as missing RUS, perspective, SDG or challenge are gaps."""
    if not list((EXAMPLES / example).glob("*.ttl")):
        pytest.skip(f"examples/{example} not generated yet")
    graph = load(EXAMPLES / example)
    for dimension, goal in DELIBERATE_GAPS[example].items():
        report = coverage(graph, dimension, kinds=("CommitteeGoal",))  # type: ignore[arg-type]
        without = {iri.rsplit("/", 1)[-1] for iri, row in report.matrix.iterrows() if not row.any()}
        assert without == {goal}, (example, dimension)


@pytest.mark.skipif(
    not list((EXAMPLES / "vetlanda").rglob("*.ttl")), reason="examples/vetlanda not generated yet"
)
def test_vetlanda_challenge_gaps_are_the_two_welfare_challenges() -> None:
    """No goal addresses VALFARDEN or VALFARDSBROTT (Bilaga 3 names each at one delstrategi)."""
    report = coverage(load(EXAMPLES / "vetlanda"), "challenge")
    assert set(report.gaps["item"]) == {V + "challenge/VALFARDEN", V + "challenge/VALFARDSBROTT"}
    assert report.by_kommun.iloc[0]["items_total"] == 8


def test_an_unknown_goal_kind_is_refused(graph: GoalGraph) -> None:
    """kinds= with a class that is not a goal class raises QueryError listing the choices."""
    with pytest.raises(QueryError, match="CommitteeGoal"):
        coverage(graph, "sdg", kinds=("Spaceship",))
