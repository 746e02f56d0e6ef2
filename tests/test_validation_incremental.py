"""Validator: a goal graph kept validated while it changes, each delta equal to a fresh run."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, BNode, Literal, URIRef

from goalgraph import ChangeError, GoalGraph, GoalGraphError, Validator, load, validate
from goalgraph.graph import DATA_GRAPH
from goalgraph.literals import XSD
from goalgraph.namespace import GG

EXAMPLES = Path(__file__).parent.parent / "examples"


def _keys(results: object) -> list[tuple[str, ...]]:
    return sorted(r.key() for r in results)  # type: ignore[attr-defined]


def _data(graph: GoalGraph) -> set[ox.Triple]:
    return set(graph.triples(("data",), as_written=True))


@pytest.fixture
def vetlanda() -> GoalGraph:
    """Vetlanda's example, loaded fresh for a test that changes it."""
    return load(EXAMPLES / "vetlanda" / "vetlanda.ttl")


def _one(graph: GoalGraph, predicate: URIRef) -> tuple[URIRef, URIRef, object]:
    quad = next(graph.store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, DATA_GRAPH))
    return (URIRef(quad.subject.value), predicate, quad.object)


def test_removing_a_link_reports_the_new_finding_and_equals_a_fresh_validate(
    vetlanda: GoalGraph,
) -> None:
    """Removing a nämnd goal's link to its KF goal gives a new finding, as a fresh run does."""
    validator = Validator(vetlanda)
    link = _one(vetlanda, GG.contributesToGoal)
    delta = validator.apply(removed=[link])
    fresh = validate(vetlanda)
    assert _keys(delta.report) == _keys(fresh)
    assert [r.focus_node for r in delta.new] and {r.focus_node for r in delta.new} == {link[0]}
    assert delta.resolved == []
    back = validator.apply(added=[link])
    assert _keys(back.resolved) == _keys(delta.new) and back.new == []


def test_adding_an_ill_formed_date_is_judged_as_written(vetlanda: GoalGraph) -> None:
    """An added "2019-02-30"^^xsd:date fails sh:datatype, as it would in a loaded file."""
    validator = Validator(vetlanda)
    goal = _one(vetlanda, GG.contributesToGoal)[0]
    bad = Literal("2019-02-30", datatype=URIRef(XSD + "date"))
    delta = validator.apply(added=[(goal, GG.validFrom, bad)])
    assert any(str(r.value) == "2019-02-30" for r in delta.new)
    assert _keys(delta.report) == _keys(validate(vetlanda))
    gone = validator.apply(removed=[(goal, GG.validFrom, bad)])
    assert _keys(gone.resolved) == _keys(delta.new)
    assert not vetlanda.literals.ill_formed([DATA_GRAPH], datatypes=[XSD + "date"])


def test_removing_an_absent_triple_is_refused_and_changes_nothing(vetlanda: GoalGraph) -> None:
    """A change whose second removed triple is not in the data is refused whole."""
    validator = Validator(vetlanda)
    before = _data(vetlanda)
    link = _one(vetlanda, GG.contributesToGoal)
    absent = (URIRef("https://example.org/nothing"), RDF.type, GG.CouncilGoal)
    with pytest.raises(ChangeError, match=r"example\.org/nothing") as caught:
        validator.apply(removed=[link, absent])
    assert caught.value.absent
    assert _data(vetlanda) == before
    assert _keys(validator.report()) == _keys(validate(vetlanda))


def test_removing_a_blank_node_triple_is_refused(vetlanda: GoalGraph) -> None:
    """A blank node from outside cannot name a stored one: such a removal is refused."""
    validator = Validator(vetlanda)
    with pytest.raises(ChangeError) as caught:
        validator.apply(removed=[(BNode(), RDF.type, GG.CouncilGoal)])
    assert not caught.value.absent


@pytest.mark.parametrize(
    "item",
    [
        ("only", "two"),
        (Literal("x"), RDF.type, GG.CouncilGoal),
        (URIRef("https://example.org/a"), BNode(), GG.CouncilGoal),
        "not a triple",
    ],
)
def test_a_malformed_triple_is_refused(vetlanda: GoalGraph, item: object) -> None:
    """Something that is not an RDF triple is refused with a ChangeError, nothing changed."""
    validator = Validator(vetlanda)
    before = _data(vetlanda)
    with pytest.raises(ChangeError):
        validator.apply(added=[item])  # type: ignore[list-item]
    assert _data(vetlanda) == before


def test_added_blank_nodes_are_new_nodes(vetlanda: GoalGraph) -> None:
    """Added blank nodes never merge with stored ones; the delta still equals a fresh run."""
    validator = Validator(vetlanda)
    node = BNode("b0")
    delta = validator.apply(added=[(node, RDF.type, GG.CouncilGoal)])
    stored = [q.subject for q in vetlanda.store.quads_for_pattern(None, None, None, DATA_GRAPH)]
    assert ox.BlankNode("b0") not in stored
    assert _keys(delta.report) == _keys(validate(vetlanda))


def test_delta_json_holds_new_resolved_and_the_report(vetlanda: GoalGraph) -> None:
    """The delta's JSON has new, resolved and the report as ValidationReport.to_json gives it."""
    validator = Validator(vetlanda)
    delta = validator.apply(removed=[_one(vetlanda, GG.contributesToGoal)], lang="en")
    data = json.loads(delta.to_json())
    assert data["report"] == json.loads(delta.report.to_json())
    assert len(data["new"]) == len(delta.new) > 0 and data["resolved"] == []


# --- the property: after any sequence of edits, the delta equals a fresh validate -----------

_SDG = "http://metadata.un.org/sdg/"
_REF = "https://w3id.org/goalgraph/ref/"
_KINDS = [
    "remove contributesToGoal",
    "remove contributesToSDG",
    "remove relatesToRegionalArea",
    "remove hasPerspective",
    "remove validFrom",
    "remove validUntil",
    "remove mandatePeriod",
    "remove type",
    "remove label",
    "remove value",
    "add contributesToGoal",
    "add contributesToSDG",
    "add relatesToRegionalArea",
    "add hasPerspective",
    "add mandatePeriod",
    "add type",
    "add label",
    "add ill-formed date",
    "change value",
    "delete goal",
]


def _goals(graph: GoalGraph) -> list[ox.NamedNode]:
    found = graph.query(
        "SELECT DISTINCT ?g WHERE { VALUES ?c { gg:CouncilGoal gg:CommitteeGoal"
        " gg:ExecutiveBoardGoal } ?g a ?c } ORDER BY ?g",
        graphs=("data",),
    )
    return [row["g"] for row in found]  # type: ignore[union-attr,index]


def _with(graph: GoalGraph, predicate: str) -> list[ox.Triple]:
    iri = ox.NamedNode(predicate if predicate.startswith("http") else str(GG[predicate]))
    found = graph.store.quads_for_pattern(None, iri, None, DATA_GRAPH)
    triples = [q.triple for q in found if not isinstance(q.subject, ox.BlankNode)]
    triples = [t for t in triples if not isinstance(t.object, ox.BlankNode)]
    return sorted(graph.literals.as_written(triples, DATA_GRAPH), key=str)


def _edit(graph: GoalGraph, kind: str, pick: int) -> dict[str, list[ox.Triple]]:
    """The change of *kind* on *graph*, its items chosen by *pick* (empty when none fit)."""
    action, what = kind.split(" ", 1)
    goals = _goals(graph)
    if action == "remove":
        predicate = {"type": str(RDF.type), "label": "http://www.w3.org/2000/01/rdf-schema#label"}
        found = _with(graph, predicate.get(what, what))
        return {"removed": [found[pick % len(found)]]} if found else {}
    if not goals:
        return {}
    goal = goals[pick % len(goals)]
    if kind == "delete goal":
        triples = [q.triple for q in graph.store.quads_for_pattern(goal, None, None, DATA_GRAPH)]
        triples += [q.triple for q in graph.store.quads_for_pattern(None, None, goal, DATA_GRAPH)]
        return {"removed": sorted(graph.literals.as_written(set(triples), DATA_GRAPH), key=str)}
    if kind == "change value":
        found = _with(graph, "value")
        if not found:
            return {}
        old = found[pick % len(found)]
        new = ox.Literal(str(pick % 97), datatype=ox.NamedNode(XSD + "decimal"))
        return {"removed": [old], "added": [ox.Triple(old.subject, old.predicate, new)]}
    objects: dict[str, ox.NamedNode | ox.Literal] = {
        "contributesToGoal": goals[(pick // 7) % len(goals)],
        "contributesToSDG": ox.NamedNode(_SDG + ("4.1", "3", "13.2", "99.9")[pick % 4]),
        "relatesToRegionalArea": ox.NamedNode(_REF + "rus/06/a"),
        "hasPerspective": ox.NamedNode(_REF + ("perspective/social", "nothing")[pick % 2]),
        "mandatePeriod": ox.NamedNode(_REF + "period/2018-2022"),
        "type": ox.NamedNode(str((GG.CouncilGoal, GG.CommitteeGoal, GG.Indicator)[pick % 3])),
        "label": ox.Literal(f"Mål {pick}", language="sv"),
        "ill-formed date": ox.Literal("2019-02-30", datatype=ox.NamedNode(XSD + "date")),
    }
    predicates = {"type": str(RDF.type), "label": "http://www.w3.org/2000/01/rdf-schema#label"}
    predicates["ill-formed date"] = str(GG.validUntil)
    predicate = ox.NamedNode(predicates[what] if what in predicates else str(GG[what]))
    return {"added": [ox.Triple(goal, predicate, objects[what])]}


@pytest.mark.slow
@settings(max_examples=12, deadline=None, derandomize=True, database=None)
@given(
    example=st.sampled_from(["vetlanda", "vaggeryd", "norberg"]),
    edits=st.lists(
        st.tuples(st.sampled_from(_KINDS), st.integers(0, 10_000)), min_size=1, max_size=4
    ),
)
def test_any_sequence_of_edits_gives_the_deltas_of_fresh_validates(
    example: str, edits: list[tuple[str, int]]
) -> None:
    """After each random edit, the delta's report equals a fresh validate of the changed graph,
    and new and resolved are exactly the differences between the reports before and after."""
    graph = load(EXAMPLES / example / f"{example}.ttl")
    validator = Validator(graph, engine="fast")
    before = Counter(r.key() for r in validator.report())
    for kind, pick in edits:
        delta = validator.apply(**_edit(graph, kind, pick))
        after = Counter(r.key() for r in validate(graph, engine="fast"))
        assert Counter(r.key() for r in delta.report) == after, kind
        assert Counter(r.key() for r in delta.new) == after - before, kind
        assert Counter(r.key() for r in delta.resolved) == before - after, kind
        before = after


def test_pyshacl_validator_re_validates_whole_and_says_so(vetlanda: GoalGraph) -> None:
    """With pySHACL, a change is a full re-validate (incremental False) with the same delta."""
    validator = Validator(vetlanda, engine="pyshacl")
    link = _one(vetlanda, GG.contributesToGoal)
    delta = validator.apply(removed=[link])
    assert not delta.incremental and delta.report.engine == "pyshacl"
    assert {r.focus_node for r in delta.new} == {link[0]}


def test_fast_validator_re_checks_only_the_reached_focus_nodes(vetlanda: GoalGraph) -> None:
    """Removing one link re-checks a handful of focus nodes, not the whole graph."""
    validator = Validator(vetlanda, engine="fast")
    delta = validator.apply(removed=[_one(vetlanda, GG.contributesToGoal)])
    assert delta.incremental and 0 < delta.rechecked < 10
    assert validator.apply().rechecked == 0


def test_unknown_engine_is_refused(vetlanda: GoalGraph) -> None:
    """An engine name that does not exist is a GoalGraphError, as in validate()."""
    with pytest.raises(GoalGraphError):
        Validator(vetlanda, engine="turbo")  # type: ignore[arg-type]


def test_ledger_removes_literals_as_written_and_keeps_merged_ones() -> None:
    """Of "1.5" and "1.50" merged into one stored triple, removing "1.50" keeps "1.5"."""
    graph = load()
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    decimal = ox.NamedNode(XSD + "decimal")
    short, long = ox.Literal("1.5", datatype=decimal), ox.Literal("1.50", datatype=decimal)
    graph.add([ox.Triple(s, p, short), ox.Triple(s, p, long)])
    graph.literals.remove(graph.store, [ox.Triple(s, p, long)], graph=DATA_GRAPH)
    assert not graph.literals.holds(graph.store, ox.Triple(s, p, long), graph=DATA_GRAPH)
    assert graph.literals.holds(graph.store, ox.Triple(s, p, short), graph=DATA_GRAPH)
    assert _data(graph) == {ox.Triple(s, p, short)}
