"""Tests of goalgraph.reasoning: materialised inferences and the HermiT consistency check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from goalgraph import ReasonerUnavailable, load
from goalgraph.graph import GoalGraph
from goalgraph.reasoning import check_consistency, infer, materialise
from support import mini_graph

DATA = Path(__file__).parent / "data" / "analysis"
EXAMPLES = Path(__file__).parent.parent / "examples"
GG = "https://w3id.org/goalgraph/ontology#"
V = "https://w3id.org/goalgraph/id/0685/"
SDG = "http://metadata.un.org/sdg/"


def example_dirs() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*") if p.is_dir() and any(p.rglob("*.ttl")))


def has(graph: GoalGraph, s: str, p: str, o: str, graphs: tuple[str, ...]) -> bool:
    rows = graph.select(
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
        bindings={"s": ox.NamedNode(s), "p": ox.NamedNode(p), "o": ox.NamedNode(o)},
        graphs=graphs,  # type: ignore[arg-type]
    )
    return bool(rows)


def test_infer_derives_sdg_target_and_goal_through_the_substrategy() -> None:
    """A nämnd goal supporting a delstrategi traces to that delstrategi's SDG target and goal."""
    graph = mini_graph()
    infer(graph)
    goal = V + "goal/KFN-1"
    assert has(graph, goal, GG + "tracesToSDG", SDG + "11.7", ("inferred",))
    assert has(graph, goal, GG + "tracesToSDG", SDG + "11", ("inferred",))
    assert has(
        graph,
        goal,
        GG + "tracesToPerspective",
        "https://w3id.org/goalgraph/ref/perspective/leva",
        ("inferred",),
    )
    assert has(graph, goal, GG + "tracesTo", V + "vision/V", ("inferred",))


def test_inferred_triples_never_enter_the_data_graph() -> None:
    """Inference writes to the inferred graph only and leaves the user's data untouched."""
    graph = mini_graph()
    before = len(graph)
    added = infer(graph)
    assert added > 0
    assert len(graph) == before
    assert graph.count("inferred") == added
    assert not has(graph, V + "goal/KFN-1", GG + "tracesToSDG", SDG + "11.7", ("data",))


def test_inverse_properties_are_inferred() -> None:
    """owl:inverseOf gives the KF goal its contributing nämnd goal."""
    graph = mini_graph()
    infer(graph)
    assert has(graph, V + "goal/KF1", GG + "hasContributingGoal", V + "goal/KFN-1", ("inferred",))


def test_clear_drops_every_inferred_triple() -> None:
    """graph.clear("inferred") removes the inferences and nothing else."""
    graph = mini_graph()
    before = len(graph)
    infer(graph)
    graph.clear("inferred")
    assert graph.count("inferred") == 0
    assert len(graph) == before


def test_infer_twice_gives_the_same_inferred_graph() -> None:
    """Running inference again replaces rather than piles up inferred triples."""
    graph = mini_graph()
    first = infer(graph)
    assert infer(graph) == first == graph.count("inferred")


def test_inferences_are_about_the_users_items_only() -> None:
    """No inferred triple is about a vocabulary term such as a class of the ontology."""
    graph = mini_graph()
    data_subjects = {t.subject for t in graph.triples(("data",))}
    inferred = materialise(graph)
    assert inferred
    assert all(t.subject in data_subjects for t in inferred)
    assert not any(str(t.subject).startswith("<" + GG) for t in inferred)


def test_empty_data_infers_nothing() -> None:
    """A graph without user data gets no inferred triples."""
    assert materialise(load()) == []


def test_unknown_engine_is_refused() -> None:
    """An engine other than rules or owlrl raises ValueError."""
    with pytest.raises(ValueError, match="pellet"):
        materialise(mini_graph(), engine="pellet")  # type: ignore[arg-type]


@pytest.mark.slow
def test_rules_engine_gives_the_same_triples_as_owlrl_on_the_fixture() -> None:
    """The fast rule engine and the owlrl OWL-RL closure infer exactly the same triples."""
    graph = mini_graph()
    assert materialise(graph, engine="rules") == materialise(graph, engine="owlrl")


@pytest.mark.slow
@pytest.mark.parametrize("example", example_dirs(), ids=lambda p: p.name)
def test_rules_engine_gives_the_same_triples_as_owlrl_on_every_example(example: Path) -> None:
    """On each shipped example the two engines agree triple for triple."""
    graph = load(example)
    rules = materialise(graph, engine="rules")
    assert rules
    assert rules == materialise(graph, engine="owlrl")


def test_hermit_finds_the_fixture_consistent() -> None:
    """Ontology plus the fixture data has no contradiction."""
    report = check_consistency(mini_graph())
    assert report.consistent
    assert bool(report)
    assert "konsistenta" in report.summary("sv")


def test_hermit_reports_a_goal_of_two_disjoint_kinds() -> None:
    """A goal typed both KF goal and nämnd goal is inconsistent, and the report names it."""
    graph = mini_graph()
    graph.add(
        [
            ox.Triple(
                ox.NamedNode(V + "goal/KF1"),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(GG + "CommitteeGoal"),
            )
        ]
    )
    report = check_consistency(graph)
    assert not report.consistent
    items = dict(report.offending)
    assert items[V + "goal/KF1"] == [GG + "CommitteeGoal", GG + "CouncilGoal"]
    assert "goal/KF1" in report.summary("en")


def test_missing_java_raises_reasoner_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Java the consistency check says so clearly instead of failing obscurely."""
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "java-that-is-not-installed")
    monkeypatch.setattr(shutil, "which", lambda *_args, **_kw: None)
    with pytest.raises(ReasonerUnavailable, match="Java"):
        check_consistency(mini_graph())


@pytest.mark.skipif(
    not list((EXAMPLES / "vetlanda").glob("*.ttl")), reason="no Vetlanda example yet"
)
def test_vetlanda_kfn1_inherits_its_delstrategis_targets_perspective_and_challenges() -> None:
    """In the Vetlanda example KFN-1 gets SDG 11.7, Leva and Inkludering through A-LEVA-1."""
    graph = load(EXAMPLES / "vetlanda")
    infer(graph)
    goal = V + "goal/KFN-1"
    assert has(graph, goal, GG + "tracesToSDG", SDG + "11.7", ("inferred",))
    assert has(
        graph,
        goal,
        GG + "tracesToPerspective",
        "https://w3id.org/goalgraph/ref/perspective/leva",
        ("inferred",),
    )
    assert has(graph, goal, GG + "tracesToChallenge", V + "challenge/INKLUDERING", ("inferred",))


@pytest.mark.slow
@pytest.mark.parametrize("example", example_dirs(), ids=lambda p: p.name)
def test_every_example_is_consistent_for_hermit(example: Path) -> None:
    """HermiT finds no contradiction in any shipped example."""
    assert check_consistency(load(example)).consistent


def test_restricting_to_properties_gives_the_same_triples_for_them() -> None:
    """properties= returns exactly the full inference's triples with those predicates."""
    graph = mini_graph()
    wanted = {GG + "tracesToSDG", GG + "tracesToArea"}
    full = [t for t in materialise(graph) if t.predicate.value in wanted]
    assert full
    assert materialise(graph, properties=wanted) == full


def test_restricting_to_items_keeps_their_conclusions() -> None:
    """about= with a goal and what it reaches gives that goal's derived links."""
    graph = mini_graph()
    reach = [
        V + "goal/KFN-1",
        V + "substrategy/A-LEVA-1",
        SDG + "11.7",
        V + "goal/KF1",
        V + "area/ATTRAKTIV",
    ]
    about = {t for t in materialise(graph, about=reach) if t.subject.value == V + "goal/KFN-1"}
    full = {t for t in materialise(graph) if t.subject.value == V + "goal/KFN-1"}
    assert {t for t in full if t.predicate.value == GG + "tracesToSDG"} <= about
    assert materialise(graph, about=[]) == []


def test_infer_with_an_unknown_engine_leaves_the_inferred_graph_alone() -> None:
    """infer(engine="pellet") raises ValueError before touching the inferred graph."""
    graph = mini_graph()
    count = infer(graph)
    with pytest.raises(ValueError, match="rules"):
        infer(graph, engine="pellet")  # type: ignore[arg-type]
    assert graph.count("inferred") == count
