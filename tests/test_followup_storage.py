"""Status results as RDF with PROV, in the named graph 'followup', apart from the user's data."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

import goalgraph
from goalgraph import GoalGraph, QueryError, load, validate
from goalgraph.followup import status

DATA = Path(__file__).parent / "data" / "followup"
K = "https://w3id.org/goalgraph/id/0685/"
IN_FOLLOWUP = "GRAPH <https://w3id.org/goalgraph/graph/followup>"


@pytest.fixture
def chain() -> GoalGraph:
    """A fresh copy of the follow-up chain, which a test may write results into."""
    return load(DATA / "chain.ttl")


def _objects(graph: GoalGraph, subject_pattern: str, predicate: str) -> set[str]:
    rows = graph.select(
        f"SELECT ?o WHERE {{ {IN_FOLLOWUP} {{ {subject_pattern} {predicate} ?o }} }}",
        graphs=("followup",),
    )
    return {row["o"].value for row in rows}


def test_store_writes_results_to_the_followup_graph_only(chain: GoalGraph) -> None:
    """Storing adds triples to 'followup'; the user's data and default queries do not change."""
    before = len(chain)
    written = status(chain).store()
    assert written == chain.count("followup") > 0
    assert len(chain) == before
    assert chain.select("SELECT ?s WHERE { ?s a gg:IndicatorProgress }") == []
    stored = chain.select("SELECT ?s WHERE { ?s a gg:IndicatorProgress }", graphs=("followup",))
    assert len(stored) == 4


def test_rerunning_replaces_the_earlier_results(chain: GoalGraph) -> None:
    """A second run leaves one activity and as many results as the first, not twice as many."""
    first = status(chain).store()
    second = status(chain).store()
    assert first == second == chain.count("followup")
    activities = chain.select("SELECT ?a WHERE { ?a a prov:Activity }", graphs=("followup",))
    assert len(activities) == 1


def test_clear_followup_drops_the_results(chain: GoalGraph) -> None:
    """graph.clear('followup') removes the stored results and nothing else."""
    status(chain).store()
    data = len(chain)
    chain.clear("followup")
    assert (chain.count("followup"), len(chain)) == (0, data)


def test_validation_never_sees_the_results(chain: GoalGraph) -> None:
    """Validating after storing gives the same findings as before: results are not data."""
    before = [(r.focus_node, r.message) for r in validate(chain).results]
    status(chain).store()
    assert [(r.focus_node, r.message) for r in validate(chain).results] == before


def test_activity_records_times_and_the_software_agent_with_its_version(
    chain: GoalGraph,
) -> None:
    """The run is a prov:Activity with start and end, associated with goalgraph <version>."""
    status(chain).store()
    rows = chain.select(
        "SELECT ?start ?end ?agent ?version WHERE { ?a a prov:Activity ;"
        " prov:startedAtTime ?start ; prov:endedAtTime ?end ; prov:wasAssociatedWith ?agent ."
        " ?agent a prov:SoftwareAgent ;"
        " owl:versionInfo ?version }",
        graphs=("followup",),
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["start"].value <= row["end"].value
    assert row["version"].value == goalgraph.__version__


def test_activity_used_the_total_observations_and_target_levels(chain: GoalGraph) -> None:
    """prov:used lists the observations read (totals only) and the target levels."""
    status(chain).store()
    used = _objects(chain, "?a", "prov:used")
    assert {K + "observation/I1-2015", K + "target-level/T2", K + "target-level/T4"} <= used
    assert K + "observation/I1-2020-K" not in used  # the value for women is no total


def test_indicator_result_is_derived_from_its_observations_and_target(chain: GoalGraph) -> None:
    """I2's result comes from its 2015 and 2020 observations and target level T2."""
    status(chain).store()
    subject = f"?r gg:progressOfIndicator <{K}indicator/I2> ; prov:wasDerivedFrom ?o . ?r"
    derived = _objects(chain, subject, "prov:wasDerivedFrom")
    assert derived == {
        K + "observation/I2-2015",
        K + "observation/I2-2020",
        K + "target-level/T2",
    }
    status_iri = _objects(
        chain, f"?r gg:progressOfIndicator <{K}indicator/I2> . ?r", "gg:progressStatus"
    )
    assert status_iri == {"https://w3id.org/goalgraph/ref/progress/on-track"}


def test_results_carry_the_values_rates_and_score(chain: GoalGraph) -> None:
    """An indicator result has base and latest year and value, observed and required rate, score."""
    status(chain).store()
    rows = chain.select(
        "SELECT ?i ?by ?bv ?ly ?lv ?cagr ?req ?ratio ?score WHERE { ?r gg:progressOfIndicator ?i ;"
        " gg:baseYear ?by ; gg:baseValue ?bv ; gg:latestYear ?ly ; gg:latestValue ?lv ;"
        " gg:observedGrowthRate ?cagr ; gg:requiredGrowthRate ?req ; gg:growthRatio ?ratio ;"
        " gg:progressScore ?score }",
        bindings={"i": ox.NamedNode(K + "indicator/I2")},
        graphs=("followup", "vocabulary"),
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row["by"].value, row["ly"].value) == ("2015", "2020")
    assert (float(row["bv"].value), float(row["lv"].value)) == (50.0, 40.0)
    assert float(row["ratio"].value) == pytest.approx(1.2457, abs=1e-4)


def test_goal_result_is_derived_from_its_children_with_rule_and_counts(chain: GoalGraph) -> None:
    """KF1's result comes from the results of N1, N2 and KS1, with the rule and the counts."""
    status(chain, rule="mean-score").store()
    subject = f"?r gg:progressOfGoal <{K}goal/KF1> . ?r"
    assert len(_objects(chain, subject, "prov:wasDerivedFrom")) == 3
    assert _objects(chain, subject, "gg:rollupRule") == {
        "https://w3id.org/goalgraph/ref/rollup/mean-score"
    }
    assert _objects(chain, subject, "gg:assessedCount") == {"2"}
    assert _objects(chain, subject, "gg:notAvailableCount") == {"1"}


def test_not_available_result_says_why(chain: GoalGraph) -> None:
    """I3's result has status not-available and the reason no-target."""
    status(chain).store()
    subject = f"?r gg:progressOfIndicator <{K}indicator/I3> . ?r"
    assert _objects(chain, subject, "gg:notAvailableReason") == {
        "https://w3id.org/goalgraph/ref/progress-reason/no-target"
    }


def test_results_from_kolada_carry_the_required_credit(chain: GoalGraph) -> None:
    """I1 (a Kolada nyckeltal) says 'egen bearbetning av data från Kolada'; I2 (SCB) does not."""
    status(chain).store()
    kolada = _objects(chain, f"?r gg:progressOfIndicator <{K}indicator/I1> . ?r", "rdfs:comment")
    assert kolada == {"egen bearbetning av data från Kolada", "own processing of data from Kolada"}
    assert (
        _objects(chain, f"?r gg:progressOfIndicator <{K}indicator/I2> . ?r", "rdfs:comment")
        == set()
    )
    sources = _objects(chain, f"?r gg:progressOfIndicator <{K}indicator/I1> . ?r", "dcterms:source")
    assert sources == {"https://w3id.org/goalgraph/ref/source/kolada"}


def test_to_graph_gives_the_same_triples_as_rdflib(chain: GoalGraph) -> None:
    """to_graph() is an rdflib graph of the results, one result per indicator and goal."""
    graph = status(chain).to_graph()
    gg = rdflib.Namespace("https://w3id.org/goalgraph/ontology#")
    assert len(set(graph.subjects(rdflib.RDF.type, gg.IndicatorProgress))) == 4
    assert len(set(graph.subjects(rdflib.RDF.type, gg.GoalProgress))) == 7


def test_results_use_only_terms_the_ontology_defines(chain: GoalGraph) -> None:
    """Every gg: term in the results is defined in the ontology (no invented property)."""
    defined = {str(t) for t in goalgraph.GG.__annotations__}
    used = set()
    for triple in status(chain).to_triples():
        for term in (triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(str(goalgraph.GG._NS)):
                used.add(term.value[len(str(goalgraph.GG._NS)) :])
    assert used and used <= defined


def test_a_store_that_refuses_the_update_is_a_query_error(chain: GoalGraph) -> None:
    """An update the store cannot take raises QueryError and leaves the earlier results."""
    status(chain).store()
    before = chain.count("followup")
    refusing = GoalGraph(_RefusingStore(chain.store))  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="gick inte att spara"):
        status(chain).store(refusing)
    assert chain.count("followup") == before > 0


class _RefusingStore:
    """A store whose updates fail, as a full disk or a broken store would."""

    def __init__(self, inner: ox.Store) -> None:
        self.inner = inner

    def update(self, text: str) -> None:
        raise OSError("disk full")

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)
