"""Tests of the goal-chain network (goal_chain), name resolution (item_names) and traces."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from goalgraph import UnknownTermError, load
from goalgraph.goal_chain import describe, network
from goalgraph.graph import GoalGraph
from goalgraph.item_names import resolve
from goalgraph.traceability import trace
from support import mini_graph

DATA = Path(__file__).parent / "data" / "analysis"
V = "https://w3id.org/goalgraph/id/0685/"
SDG = "http://metadata.un.org/sdg/"
GG = "https://w3id.org/goalgraph/ontology#"


@pytest.fixture(scope="module")
def graph() -> GoalGraph:
    return mini_graph()


def test_trace_reaches_sdg_target_through_the_substrategy_marked_inferred(graph: GoalGraph) -> None:
    """KFN-1 reaches SDG 11.7 through delstrategi A-LEVA-1, and that path is marked inferred."""
    result = trace(graph, "KFN-1")
    paths = [p for p in result.paths if p.target == SDG + "11.7"]
    assert len(paths) == 1
    path = paths[0]
    assert path.nodes() == [V + "goal/KFN-1", V + "substrategy/A-LEVA-1", SDG + "11.7"]
    assert path.inferred
    assert path.entailed == GG + "tracesToSDG"
    assert all(link.stated for link in path.links)
    text = path.explain(result.net, "sv")
    assert text.startswith(
        "nämndmål KFN-1 «Fler mötesplatser för unga (illustrativt)» → delstrategi"
    )
    assert "Agenda 2030-delmål 11.7" in text
    assert "härlett" in text


def test_trace_explains_in_english_on_request(graph: GoalGraph) -> None:
    """In English: "committee goal … → sub-strategy … → SDG target 11.7 (inferred…)"."""
    result = trace(graph, "KFN-1")
    text = next(p for p in result.paths if p.target == SDG + "11.7").explain(result.net, "en")
    assert text.startswith("committee goal KFN-1")
    assert "→ sub-strategy A-LEVA-1" in text
    assert text.endswith(
        "SDG target 11.7 «By 2030, provide universal access to safe, inclusive and accessible,"
        " green and public spaces, in particular for women and children, older persons and"
        " persons with disabilities» (inferred, gg:tracesToSDG; illustrative)"
    )


def test_direct_links_are_marked_stated(graph: GoalGraph) -> None:
    """A goal's own link to its KF goal is a one-step stated path."""
    result = trace(graph, "KFN-1")
    kf = next(p for p in result.paths if p.target == V + "goal/KF1")
    assert not kf.inferred
    # KFN-1 and KF1 are invented examples, so the stated link is marked illustrative too
    assert "(angivet; illustrativt)" in kf.explain(result.net, "sv")


def test_trace_reaches_vision_kf_goal_area_perspective_rus_challenge_and_indicator(
    graph: GoalGraph,
) -> None:
    """The trace of KFN-1 covers every kind of item the modelling contract links to."""
    result = trace(graph, "KFN-1")
    assert result.reached("vision") == {V + "vision/V"}
    assert result.reached("council_goal") == {V + "goal/KF1"}
    assert result.reached("area") == {V + "area/ATTRAKTIV"}
    assert result.reached("substrategy") == {V + "substrategy/A-LEVA-1"}
    assert result.reached("perspective") == {"https://w3id.org/goalgraph/ref/perspective/leva"}
    assert result.reached("rus_area") == {"https://w3id.org/goalgraph/ref/rus/06/attraktiv"}
    assert result.reached("sdg") == {SDG + "11"}
    assert result.reached("challenge") == {V + "challenge/INKLUDERING", V + "challenge/FOLKHALSA"}
    assert result.reached("indicator") == {V + "indicator/BESOK"}


def test_trace_frame_and_json_have_one_row_per_path(graph: GoalGraph) -> None:
    """to_frame and to_json list every path with its status."""
    result = trace(graph, "KFN-1")
    frame = result.to_frame("sv")
    assert len(frame) == len(result.paths)
    assert set(frame["status"]) == {"stated", "inferred"}
    document = json.loads(result.to_json("en"))
    assert document["goal"] == V + "goal/KFN-1" and document["lang"] == "en"
    assert [row["target"] for row in document["paths"]] == list(frame["target"])


def test_an_orphan_goal_has_an_empty_trace(graph: GoalGraph) -> None:
    """BUN-2 links to nothing, so it has no paths."""
    assert trace(graph, "BUN-2").paths == []


def test_links_stated_as_inverse_properties_count_as_stated() -> None:
    """A KF goal stating gg:hasContributingGoal gives the nämnd goal a stated upward link."""
    graph = mini_graph()
    graph.add(
        [
            ox.Triple(
                ox.NamedNode(V + "goal/KF2"),
                ox.NamedNode(GG + "hasContributingGoal"),
                ox.NamedNode(V + "goal/BUN-2"),
            )
        ]
    )
    path = next(p for p in trace(graph, "BUN-2").paths if p.target == V + "goal/KF2")
    assert not path.inferred


def test_links_only_in_the_inferred_graph_are_marked_inferred() -> None:
    """An edge that only the inferred graph holds is drawn as inferred."""
    graph = mini_graph()
    graph.add(
        [
            ox.Triple(
                ox.NamedNode(V + "goal/BUN-2"),
                ox.NamedNode(GG + "contributesToGoal"),
                ox.NamedNode(V + "goal/KF2"),
            )
        ],
        graph="inferred",
    )
    path = next(p for p in trace(graph, "BUN-2").paths if p.target == V + "goal/KF2")
    assert path.inferred
    assert "⇢" in path.explain(network(graph), "sv")


@pytest.mark.parametrize(
    "name",
    [
        V + "goal/KFN-1",
        f"<{V}goal/KFN-1>",
        "KFN-1",
        "Fler mötesplatser för unga (illustrativt)",
        "fler mötesplatser för unga (ILLUSTRATIVT)",
    ],
)
def test_a_goal_is_found_by_iri_local_id_or_title(graph: GoalGraph, name: str) -> None:
    """IRI, <IRI>, local id and case-insensitive title all name the same goal."""
    assert resolve(graph, name) == V + "goal/KFN-1"


def test_sdg_codes_and_prefixed_names_resolve(graph: GoalGraph) -> None:
    """ "11.7" and "sdg:11.7" both name the UN's SDG target."""
    assert resolve(graph, "11.7") == SDG + "11.7"
    assert resolve(graph, "sdg:11.7") == SDG + "11.7"


def test_an_ambiguous_name_lists_the_candidates(graph: GoalGraph) -> None:
    """Local id "V" is the vision of both kommuner, so the error lists both."""
    with pytest.raises(UnknownTermError) as caught:
        resolve(graph, "V")
    assert set(caught.value.candidates) == {
        V + "vision/V",
        "https://w3id.org/goalgraph/id/1962/vision/V",
    }
    assert "0685/vision/V" in str(caught.value)


def test_an_unknown_name_suggests_similar_ones(graph: GoalGraph) -> None:
    """A misspelt id raises UnknownTermError suggesting close matches."""
    with pytest.raises(UnknownTermError, match="KFN-1") as caught:
        trace(graph, "KFN-9")
    assert V + "goal/KFN-1" in caught.value.candidates


def test_describe_names_kind_id_and_label(graph: GoalGraph) -> None:
    """A delstrategi is described as "delstrategi ID «title»"."""
    net = network(graph)
    assert describe(net, V + "substrategy/A-LEVA-1", "sv") == (
        "delstrategi A-LEVA-1 «Skapa meningsfulla och inkluderande mötesplatser»"
    )
    assert describe(net, SDG + "11", "sv") == "Agenda 2030-mål 11 «Hållbara städer och samhällen»"


EXAMPLES = Path(__file__).parent.parent / "examples"
needs_vetlanda = pytest.mark.skipif(
    not list((EXAMPLES / "vetlanda").glob("*.ttl")), reason="examples/vetlanda not generated yet"
)


@needs_vetlanda
def test_vetlanda_kfn1_reaches_its_sdg_targets_through_the_delstrategi_marked_inferred() -> None:
    """Vetlanda's KFN-1 reaches SDG 11.7 and 10.2 only through A-LEVA-1, each path inferred."""
    result = trace(load(EXAMPLES / "vetlanda"), "KFN-1")
    targets = [p for p in result.paths if p.target_kind == "sdg_target"]
    assert {p.target for p in targets} == {SDG + "11.7", SDG + "10.2"}
    for path in targets:
        assert path.nodes()[1] == V + "substrategy/A-LEVA-1"
        assert path.inferred and path.entailed == GG + "tracesToSDG"
        assert "(härlett, gg:tracesToSDG; illustrativt)" in path.explain(result.net, "sv")
    stated = {p.target for p in result.paths if not p.inferred}
    assert {V + "goal/KF1", "https://w3id.org/goalgraph/ref/rus/06/attraktiv"} <= stated
    assert result.reached("perspective") == {"https://w3id.org/goalgraph/ref/perspective/leva"}
    assert result.reached("vision") == {V + "vision/V"}


@needs_vetlanda
def test_vetlanda_bun1_links_its_sdg_target_directly() -> None:
    """BUN-1 meets the Agenda 2030 criterion directly, so its SDG-target path is stated."""
    result = trace(load(EXAMPLES / "vetlanda"), "BUN-1")
    targets = [p for p in result.paths if p.target_kind == "sdg_target"]
    assert targets and all(not p.inferred for p in targets)


def test_kind_label_names_kinds_and_refuses_unknown_ones() -> None:
    """kind_label gives "nämndmål"/"committee goal" and raises KeyError for an unknown kind."""
    from goalgraph.goal_chain import kind_label

    assert kind_label("committee_goal", "sv") == "nämndmål"
    assert kind_label("committee_goal", "en") == "committee goal"
    with pytest.raises(KeyError):
        kind_label("spaceship", "sv")
