"""Tests of goalgraph.query_library: the named SPARQL queries, their headers and safe parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalgraph import QueryError, UnknownTermError, load
from goalgraph.graph import GoalGraph
from goalgraph.query_library import bind, named_query, queries, run_query
from goalgraph.resources import queries_dir
from support import HOSTILE_VALUES, QUERY_PARAMS

DATA = Path(__file__).parent / "data" / "analysis"
V = "https://w3id.org/goalgraph/id/0685/"


@pytest.fixture(scope="module")
def graph() -> GoalGraph:
    return load(DATA / "mini.ttl")


def test_the_library_has_the_queries_the_issue_asks_for() -> None:
    """Goals per kommun/nämnd/period, traces, missing links, SDG coverage and the rest are there."""
    names = {q.name for q in queries()}
    assert {
        "goals-per-kommun",
        "goals-per-namnd",
        "goals-per-period",
        "goal-trace",
        "goals-missing-links",
        "sdg-coverage",
        "substrategies-by-perspective",
        "challenges-and-goals",
        "indicator-latest-values",
        "goals-for-sdg-target",
        "sdg-coverage-compare",
    } <= names


def test_every_query_opens_with_descriptions_and_declares_its_parameters() -> None:
    """Each .rq file starts with # lines saying what it answers (sv and en) and its parameters."""
    for query in queries():
        assert query.path.read_text(encoding="utf-8").startswith("# en: ")
        assert query.description("en") and query.description("sv")
        assert query.description("sv") != query.description("en")
        for param in query.params:
            assert param.description
            assert f"?{param.name}" in query.text.split("WHERE")[0], (query.name, param.name)


@pytest.mark.parametrize("query", queries(), ids=lambda q: q.name)
def test_every_query_runs_on_the_fixture(graph: GoalGraph, query) -> None:
    """Each named query runs on the embedded store and answers with rows."""
    frame = run_query(graph, query, QUERY_PARAMS.get(query.name))
    assert not frame.empty


def test_goals_per_kommun_counts_the_fixture(graph: GoalGraph) -> None:
    """Vetlanda has 2 KF goals and 4 nämnd goals; Norberg 2 KF goals."""
    frame = run_query(graph, "goals-per-kommun")
    assert [tuple(r) for r in frame[["kommun", "kind", "goals"]].to_numpy()] == [
        ("0685", "KF-mål", "2"),
        ("0685", "nämndmål", "4"),
        ("1962", "KF-mål", "2"),
    ]


def test_a_parameter_narrows_the_answer(graph: GoalGraph) -> None:
    """kommun=1962 keeps Norberg's rows only."""
    frame = run_query(graph, "goals-per-kommun", {"kommun": "1962"})
    assert list(frame["kommun"]) == ["1962"]


def test_goals_for_a_target_include_those_reaching_it_through_a_substrategy(
    graph: GoalGraph,
) -> None:
    """SDG target 11.7 is reached by KFN-1 and KFN-2 through A-LEVA-1."""
    frame = run_query(graph, "goals-for-sdg-target", {"target": "11.7"})
    assert list(frame["goalId"]) == ["KFN-1", "KFN-2"]
    assert set(frame["via"]) == {V + "substrategy/A-LEVA-1"}


def test_missing_links_of_the_orphan_goal(graph: GoalGraph) -> None:
    """BUN-2 lacks every kind of link; KFN-1 lacks none."""
    frame = run_query(graph, "goals-missing-links", {"kommun": "0685"})
    assert set(frame[frame["goalId"] == "BUN-2"]["missing"]) == {
        "kf-goal",
        "substrategy",
        "rus",
        "perspective",
        "sdg",
        "challenge",
        "indicator",
    }
    assert "KFN-1" not in set(frame["goalId"])


def test_latest_indicator_value_is_the_newest_year(graph: GoalGraph) -> None:
    """BESOK's latest value is 1350 for 2023."""
    frame = run_query(graph, "indicator-latest-values")
    assert frame[["goalId", "year", "value"]].to_numpy().tolist() == [["KFN-1", "2023", "1350"]]


@pytest.mark.parametrize("hostile", HOSTILE_VALUES)
def test_a_parameter_crafted_to_inject_sparql_is_a_plain_value(
    graph: GoalGraph, hostile: str
) -> None:
    """An injection attempt matches no kommun code, so the answer is empty and the data intact."""
    before = len(graph)
    assert run_query(graph, "goals-per-kommun", {"kommun": hostile}).empty
    assert run_query(graph, "goals-missing-links", {"missing": hostile}).empty
    assert len(graph) == before


def test_a_missing_required_parameter_is_refused(graph: GoalGraph) -> None:
    """goals-for-sdg-target without target raises QueryError naming the parameter."""
    with pytest.raises(QueryError, match="target"):
        run_query(graph, "goals-for-sdg-target")


def test_an_unknown_parameter_is_refused(graph: GoalGraph) -> None:
    """A parameter the header does not declare raises QueryError listing the known ones."""
    with pytest.raises(QueryError, match="kommun"):
        run_query(graph, "goals-per-kommun", {"lan": "06"})


def test_iri_and_integer_parameters_are_checked(tmp_path: Path) -> None:
    """An iri parameter accepts prefixed names and refuses broken IRIs; integers must be digits."""
    rq = tmp_path / "typed.rq"
    rq.write_text(
        "# en: Typed parameters.\n# sv: Typade parametrar.\n"
        "# param: item (iri) — an item\n# param: n (integer, optional) — a number\n"
        "SELECT ?item ?n WHERE { ?item ?p ?o }\n",
        encoding="utf-8",
    )
    query = named_query(rq)
    assert bind(query, {"item": "sdg:11.7"})["item"].value == "http://metadata.un.org/sdg/11.7"
    assert bind(query, {"item": "urn:x", "n": "12"})["n"].value == "12"
    with pytest.raises(QueryError):
        bind(query, {"item": "http://x/a> } DROP ALL { <y"})
    with pytest.raises(QueryError):
        bind(query, {"item": "sdg:1", "n": "1; DROP"})


def test_an_rq_file_outside_the_library_runs(graph: GoalGraph, tmp_path: Path) -> None:
    """named_query accepts the path of an .rq file."""
    rq = tmp_path / "count.rq"
    rq.write_text("# en: Count.\nSELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }\n", encoding="utf-8")
    assert int(run_query(graph, rq)["n"][0]) > 0


def test_an_unknown_query_name_lists_the_library(graph: GoalGraph) -> None:
    """An unknown name raises UnknownTermError with every query name as a candidate."""
    with pytest.raises(UnknownTermError) as caught:
        run_query(graph, "no-such-query")
    assert "sdg-coverage" in caught.value.candidates


def test_queries_live_where_resources_say() -> None:
    """resources.queries_dir() is the folder of the library's .rq files."""
    assert {q.path.parent for q in queries()} == {queries_dir()}


EXAMPLES = Path(__file__).parent.parent / "examples"
NAMND_GAPS = {
    "vetlanda": {
        "kf-goal": "MBN-2",
        "rus": "SN-2",
        "perspective": "KFN-2",
        "sdg": "BUN-3",
        "challenge": "SN-3",
    },
    "vaggeryd": {
        "kf-goal": "BUN-3",
        "rus": "SOCN-3",
        "perspective": "MBN-3",
        "sdg": "KFN-2",
        "challenge": "KFN-3",
    },
    "norberg": {
        "kf-goal": "SBU-3",
        "rus": "SOU-3",
        "perspective": "BUU-3",
        "sdg": "SBU-4",
        "challenge": "SOU-4",
    },
}
GOALS_IN_DOCUMENT = {
    # Vetlanda: KF goals and nämnd goals are illustrative (the strategy names none).
    "vetlanda": {("0685", "KF-mål"): "4", ("0685", "nämndmål"): "10"},
    # Vaggeryd: four övergripande mål 2020-2022 and eight KS mål 2019 (seed 000).
    "vaggeryd": {("0665", "KF-mål"): "4", ("0665", "KS-mål"): "8"},
    # Norberg: "sex strategiska områden samt tio mål" (seed 003).
    "norberg": {("1962", "KF-mål"): "10"},
}


def example(name: str) -> GoalGraph:
    if not list((EXAMPLES / name).glob("*.ttl")):
        pytest.skip(f"examples/{name} not generated yet")
    return load(EXAMPLES / name)


@pytest.mark.parametrize("name", sorted(NAMND_GAPS))
def test_every_query_runs_on_every_example(name: str) -> None:
    """Each named query answers on each example without error."""
    graph = example(name)
    code = next(iter(GOALS_IN_DOCUMENT[name]))[0]
    for query in queries():
        params = dict(QUERY_PARAMS.get(query.name, {}))
        if query.name == "sdg-coverage-compare":
            params["kommun_a"] = code
        run_query(graph, query, params)


@pytest.mark.parametrize("name", sorted(GOALS_IN_DOCUMENT))
def test_goals_per_kommun_match_the_documents(name: str) -> None:
    """KF and KS goal counts are those of the source documents."""
    frame = run_query(example(name), "goals-per-kommun")
    counts = {(k, kind): n for k, kind, n in frame[["kommun", "kind", "goals"]].to_numpy()}
    for key, expected in GOALS_IN_DOCUMENT[name].items():
        assert counts[key] == expected, key


@pytest.mark.parametrize("name", sorted(NAMND_GAPS))
def test_missing_links_match_the_examples_readme(name: str) -> None:
    """goals-missing-links names exactly the nämnd goal the README says misses each criterion."""
    graph = example(name)
    namnd = set(run_query(graph, "goals")[lambda f: f["kind"] == "nämndmål"]["goalId"])
    frame = run_query(graph, "goals-missing-links")
    for missing, goal in NAMND_GAPS[name].items():
        rows = frame[(frame["missing"] == missing) & frame["goalId"].isin(namnd)]
        assert set(rows["goalId"]) == {goal}, (name, missing)


def test_vetlanda_substrategies_per_perspective_match_bilaga_2() -> None:
    """Delstrategier per riktning and perspective are 2/2/1, 2/2/1 and 1/2/2, as in Bilaga 2."""
    frame = run_query(example("vetlanda"), "substrategies-by-perspective", {"kommun": "0685"})
    cells = {
        (a, p): int(n)
        for a, p, n in frame[["areaLabel", "perspectiveLabel", "substrategies"]].to_numpy()
    }
    assert cells == {
        ("Den attraktiva kommunen", "Bo"): 2,
        ("Den attraktiva kommunen", "Leva"): 2,
        ("Den attraktiva kommunen", "Verka"): 1,
        ("Den hållbara kommunen", "Bo"): 2,
        ("Den hållbara kommunen", "Leva"): 2,
        ("Den hållbara kommunen", "Verka"): 1,
        ("Den nytänkande kommunen", "Bo"): 1,
        ("Den nytänkande kommunen", "Leva"): 2,
        ("Den nytänkande kommunen", "Verka"): 2,
    }


def test_vetlanda_challenges_are_the_eight_of_bilaga_3() -> None:
    """The eight challenges of Bilaga 3 are listed; no goal addresses the two welfare ones."""
    frame = run_query(example("vetlanda"), "challenges-and-goals")
    assert len(set(frame["challenge"])) == 8
    unaddressed = set(frame[frame["goal"].isna()]["challengeLabel"])
    assert unaddressed == {
        "Välfärden slukar allt mer resurser",
        "Välfärdsbrottslighet slukar allt mer resurser",
    }


def test_vetlanda_goals_for_target_11_7_include_kfn1_through_a_leva_1() -> None:
    """KFN-1 contributes to SDG 11.7 through delstrategi A-LEVA-1."""
    frame = run_query(example("vetlanda"), "goals-for-sdg-target", {"target": "11.7"})
    row = frame[frame["goalId"] == "KFN-1"]
    assert list(row["via"]) == [V + "substrategy/A-LEVA-1"]


def test_norberg_kf_goals_have_their_indicators_from_the_bilaga() -> None:
    """Goal 1 has the five indicators of "Nyckeltal till mål 1"; the bilaga lists 67 in all."""
    frame = run_query(example("norberg"), "indicator-latest-values", {"kommun": "1962"})
    assert len(frame[frame["goalId"] == "M1"]) == 5
    assert len(frame) == 5 + 7 + 3 + 2 + 9 + 9 + 5 + 14 + 5 + 8


TRACE_KINDS = {
    "goal": ("council_goal", "executive_board_goal", "committee_goal", "sub_goal"),
    "substrategy": ("substrategy",),
    "riktning": ("area",),
    "vision": ("vision",),
    "rus": ("rus_area",),
    "perspective": ("perspective",),
    "sdg": ("sdg", "sdg_target", "sdg_indicator"),
    "challenge": ("challenge",),
    "indicator": ("indicator",),
}


@pytest.mark.parametrize("name", ["fixture", *sorted(NAMND_GAPS)])
def test_goal_trace_query_reaches_what_trace_reaches(name: str) -> None:
    """For every nämnd goal the goal-trace query and trace() reach the same items of each kind."""
    from goalgraph.goal_chain import network
    from goalgraph.traceability import trace

    graph = load(DATA / "mini.ttl") if name == "fixture" else example(name)
    net = network(graph)
    frame = run_query(graph, "goal-trace")
    assert not frame.empty
    for goal, rows in frame.groupby("goal"):
        result = trace(graph, str(goal), net=net)
        for link, kinds in TRACE_KINDS.items():
            from_query = set(rows[rows["link"] == link]["target"])
            from_trace = set().union(*(result.reached(kind) for kind in kinds))
            assert from_query == from_trace, (goal, link)
