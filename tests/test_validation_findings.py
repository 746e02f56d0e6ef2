"""Re-checks proportional to the change: findings kept in report order, one-node query forms."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from goalgraph import GoalGraph, Validator, load, validate
from goalgraph.namespace import GG
from goalgraph.validation._check import Check
from goalgraph.validation._findings import OrderedFindings
from goalgraph.validation._raw import RawResult
from goalgraph.validation._rechecks import SPARQL_CONSTRAINT, by_exists, per_node
from goalgraph.validation._validate import ordered_report, shapes_graph

EXAMPLES = Path(__file__).parent.parent / "examples"
SEVERITY = URIRef("http://www.w3.org/ns/shacl#Violation")
SHAPE = URIRef("urn:shape")


@pytest.fixture(scope="module")
def vaggeryd() -> GoalGraph:
    """Vaggeryd's example (read only by these tests)."""
    return load(EXAMPLES / "vaggeryd" / "vaggeryd.ttl")


def _raw_results(graph: GoalGraph) -> list[RawResult]:
    from goalgraph.validation._validate import run_engine

    raw, _, _ = run_engine(graph, shapes_graph(None, ()), "fast")
    return raw


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_findings_taken_out_and_put_back_stay_in_report_order(
    vaggeryd: GoalGraph, data: st.DataObject
) -> None:
    """After any drops and re-adds the findings are those of a sorted report, in its order."""
    raw = sorted(set(_raw_results(vaggeryd)))
    shapes = shapes_graph(None, ())
    findings = OrderedFindings("sv")
    for item in raw:
        findings.add(item)
    findings.described_results(vaggeryd, shapes)
    dropped = data.draw(st.lists(st.sampled_from(raw), unique=True, max_size=80))
    for item in dropped:
        findings.drop(item)
    back = data.draw(st.lists(st.sampled_from(dropped), unique=True) if dropped else st.just([]))
    for item in back:
        findings.add(item, 2)
    kept = [r for r in raw if r not in set(dropped)] + [r for r in back for _ in range(2)]
    got = findings.described_results(vaggeryd, shapes)
    expected = ordered_report(
        [findings.described[r] for r in kept], used="fast", lang="sv", shapes=shapes
    )
    assert got == expected.results


def test_dropping_a_finding_that_is_not_there_changes_nothing(vaggeryd: GoalGraph) -> None:
    """drop() of a raw result never placed leaves the findings as they were."""
    shapes = shapes_graph(None, ())
    raw = sorted(set(_raw_results(vaggeryd)))
    findings = OrderedFindings("en")
    for item in raw[1:]:
        findings.add(item)
    before = findings.described_results(vaggeryd, shapes)
    findings.drop(raw[0])
    assert findings.described_results(vaggeryd, shapes) == before and len(before) == len(raw) - 1


def test_reports_in_two_languages_equal_fresh_runs_after_changes() -> None:
    """A Validator read in sv and en gives, after changes, exactly the results of fresh runs."""
    graph = load(EXAMPLES / "vetlanda" / "vetlanda.ttl")
    validator = Validator(graph)
    assert _same(validator.report(lang="en"), validate(graph, lang="en"))
    quad = next(
        graph.store.quads_for_pattern(None, ox.NamedNode(str(GG.contributesToGoal)), None, None)
    )
    link = (URIRef(quad.subject.value), GG.contributesToGoal, URIRef(quad.object.value))
    delta = validator.apply(removed=[link], lang="sv")
    assert _same(delta.report, validate(graph, lang="sv"))
    assert _same(validator.report(lang="en"), validate(graph, lang="en"))
    validator.apply(added=[link], lang="en")
    for lang in ("sv", "en"):
        assert _same(validator.report(lang=lang), validate(graph, lang=lang))


def _same(left: object, right: object) -> bool:
    """Equal results in equal order (a blank-node constraint is a new node in each shapes graph)."""
    return [r.to_dict() for r in left] == [r.to_dict() for r in right]  # type: ignore[attr-defined]


def _check(query: str, component: URIRef = SPARQL_CONSTRAINT) -> Check:
    return Check(query, SHAPE, component, SEVERITY, None)


def test_a_sparql_constraint_minus_block_naming_this_is_narrowed_to_the_node() -> None:
    """The MINUS block of a SHACL-SPARQL check that names $this gets the node's VALUES row."""
    check = _check('SELECT $this { $this a <urn:C> MINUS { $this <urn:p> ?o . } ?x <urn:q> "}" }')
    assert per_node(check, ox.NamedNode("urn:a")) == (
        "SELECT $this { $this a <urn:C> MINUS { VALUES ?this { <urn:a> } $this <urn:p> ?o . }"
        ' ?x <urn:q> "}" }'
    )


def test_other_minus_blocks_and_blank_nodes_are_left_as_written() -> None:
    """A core check's MINUS, a block without $this and a blank focus node stay unchanged."""
    core = _check(
        "SELECT ?this { ?this a <urn:C> MINUS { ?this <urn:p> ?o } }",
        URIRef("http://www.w3.org/ns/shacl#MinCountConstraintComponent"),
    )
    assert per_node(core, ox.NamedNode("urn:a")) == core.query
    other = _check("SELECT $this { $this <urn:p> ?o MINUS { ?o <urn:q> ?z } }")
    assert per_node(other, ox.NamedNode("urn:a")) == other.query
    named = _check("SELECT $this { $this a <urn:C> MINUS { $this <urn:p> ?o } }")
    assert per_node(named, ox.BlankNode("b")) == named.query


def test_only_the_class_block_is_written_with_not_exists() -> None:
    """by_exists rewrites the sh:class placeholder block and no other MINUS."""
    check = _check(
        "SELECT ?this { ?this <urn:p> ?v MINUS { %%INST ?v <urn:C>%% } MINUS { ?this <urn:q> ?w } }"
    )
    assert by_exists(check) == (
        "SELECT ?this { ?this <urn:p> ?v FILTER NOT EXISTS { %%INST ?v <urn:C>%% }"
        " MINUS { ?this <urn:q> ?w } }"
    )
    plain = _check("SELECT ?this { ?this <urn:p> ?v MINUS { ?v a <urn:C> } }")
    assert by_exists(plain) == plain.query
