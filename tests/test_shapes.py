"""Every built-in shape: a conforming fragment and a violating one, on both engines."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import rdflib

from goalgraph import load
from goalgraph.validation import builtin_shapes_files, validate
from goalgraph.validation._shapes import SH

SHAPES_DATA = Path(__file__).parent / "data" / "shapes"
VALID = SHAPES_DATA / "valid.ttl"
FRAGMENTS = sorted(p for p in SHAPES_DATA.glob("*.ttl") if p != VALID)


def _expected(path: Path) -> Counter[str]:
    """The ``# expect: Shape:count …`` header of a fragment as a counter."""
    with path.open(encoding="utf-8") as handle:
        words = handle.readline().split(":", 1)[1].split()
    if words == ["nothing"]:
        return Counter()
    return Counter({w.rsplit(":", 1)[0]: int(w.rsplit(":", 1)[1]) for w in words})


def _found(report) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(str(r.source_shape).rsplit("#", 1)[-1] for r in report.results)


def test_valid_fragment_conforms_on_both_engines() -> None:
    """The conforming Vetlanda fragment gives no result with either engine."""
    graph = load(VALID)
    assert validate(graph, engine="fast").conforms
    assert validate(graph, engine="pyshacl").conforms


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda p: p.stem)
def test_fragment_gives_exactly_its_expected_findings(fragment: Path) -> None:
    """Each fragment added to the valid one gives exactly the findings its header lists."""
    report = validate(load(VALID, fragment), engine="fast")
    assert _found(report) == _expected(fragment)


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda p: p.stem)
def test_fast_engine_matches_pyshacl_on_fragment(fragment: Path) -> None:
    """The fast engine reports the same (focus, component, shape, value, path) as pySHACL."""
    graph = load(VALID, fragment)
    fast = sorted(r.key() for r in validate(graph, engine="fast"))
    reference = sorted(r.key() for r in validate(graph, engine="pyshacl"))
    assert fast == reference


def test_every_shape_with_results_has_a_violating_fragment() -> None:
    """Each shape that can report something is exercised by at least one violating fragment."""
    shapes = rdflib.Graph()
    for path in builtin_shapes_files():
        shapes.parse(path)
    reporting = {
        str(s).rsplit("#", 1)[-1]
        for s in set(shapes.subjects(SH.message, None))
        if isinstance(s, rdflib.URIRef)
    }
    covered: set[str] = set()
    for fragment in FRAGMENTS:
        covered.update(_expected(fragment))
    assert reporting - covered == set()


def test_every_named_shape_has_name_description_and_bilingual_message() -> None:
    """Shapes that report carry sh:name, sh:description and sh:message in sv and en."""
    shapes = rdflib.Graph()
    for path in builtin_shapes_files():
        shapes.parse(path)
    for shape in set(shapes.subjects(SH.message, None)):
        langs = {m.language for m in shapes.objects(shape, SH.message)}
        assert langs == {"sv", "en"}, shape
        assert {n.language for n in shapes.objects(shape, SH.name)} == {"sv", "en"}, shape
        assert {d.language for d in shapes.objects(shape, SH.description)} == {"sv", "en"}, shape
        assert shapes.value(shape, SH.severity) is not None, shape


def test_nämnd_goal_tracing_only_through_its_delstrategi_passes() -> None:
    """A nämnd goal with perspective, SDG, RUS and challenge only via its delstrategi conforms."""
    report = validate(load(VALID, SHAPES_DATA / "ok-chain.ttl"))
    assert report.conforms


def test_challenge_criterion_is_not_judged_without_an_omvärldsanalys() -> None:
    """A kommun with no challenges in the data gets no challenge finding."""
    report = validate(load(VALID, SHAPES_DATA / "ok-no-omvarldsanalys.ttl"))
    assert "CommitteeGoalChallengeShape" not in _found(report)


def test_class_checks_use_asserted_data_not_inferred_types(fresh_graph) -> None:  # type: ignore[no-untyped-def]
    """A wrongly linked node typed only in the inferred graph is still reported."""
    import pyoxigraph as ox

    fresh_graph.add(load(VALID, SHAPES_DATA / "cons-link-classes.ttl").triples())
    goal = ox.NamedNode("https://w3id.org/goalgraph/id/0685/goal/KF1")
    gg = "https://w3id.org/goalgraph/ontology#"
    inferred = ox.Triple(
        goal,
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode(gg + "SubStrategy"),
    )
    fresh_graph.add([inferred], graph="inferred")
    found = _found(validate(fresh_graph))
    assert found["SupportsSubStrategy-class"] == 1
