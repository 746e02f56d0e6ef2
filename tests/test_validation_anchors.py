"""A SPARQL constraint whose own patterns make every $this a focus node runs without the
join with the focus nodes, with the same solutions."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalgraph.validation._check import TableTargets
from goalgraph.validation._compile import compile_shapes
from goalgraph.validation._sparql import _within_targets
from goalgraph.validation._sparql_prebinding import parse
from goalgraph.validation._validate import shapes_graph

HEADER = (
    "PREFIX ex: <urn:ex:>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
)
BY_P = TableTargets((), ("urn:ex:p",))
BY_C = TableTargets(("urn:ex:C",), ())
BY_BOTH = TableTargets(("urn:ex:C",), ("urn:ex:p",))

#: (query, the targets whose focus join it may leave out, those it may not)
CASES = [
    ("SELECT $this ?o WHERE { $this ex:p ?o }", [BY_P, BY_BOTH], [BY_C]),
    ("SELECT $this WHERE { $this a ex:C }", [BY_C, BY_BOTH], [BY_P]),
    ("SELECT $this WHERE { $this a/rdfs:subClassOf* ex:C }", [BY_C], [BY_P]),
    ("SELECT $this ?o WHERE { { $this ex:p ?o } UNION { $this a ex:C } }", [BY_BOTH], [BY_P, BY_C]),
    ("SELECT $this ?o WHERE { $this ex:q ?o . OPTIONAL { $this ex:p ?x } }", [], [BY_P, BY_BOTH]),
    ("SELECT $this WHERE { $this ex:q ?o . FILTER EXISTS { $this ex:p ?x } }", [], [BY_P]),
    ("SELECT $this ?o WHERE { { $this ex:p ?o } UNION { $this ex:q ?o } }", [], [BY_P, BY_BOTH]),
    ("SELECT $this ?o WHERE { $this ex:q ?o . { $this ex:p ?z } }", [BY_P], [BY_C]),
    ("SELECT $this WHERE { $this a ?c }", [], [BY_C, BY_BOTH]),
    ("SELECT $this WHERE { $this ex:p/ex:q ?o }", [], [BY_P]),
]


@pytest.mark.parametrize(("query", "within", "beyond"), CASES)
def test_the_anchors_of_a_query_say_which_targets_hold_its_solutions(
    query: str, within: list[TableTargets], beyond: list[TableTargets]
) -> None:
    """Mandatory patterns (every branch of a UNION) anchor $this; OPTIONAL, FILTER, a path
    other than rdf:type/rdfs:subClassOf* or a variable class do not."""
    anchors = parse(HEADER + query, frozenset({"this"}), "test").anchors
    assert [_within_targets(anchors, t) for t in within] == [True] * len(within)
    assert [_within_targets(anchors, t) for t in beyond] == [False] * len(beyond)


def test_a_node_target_never_leaves_the_focus_join_out() -> None:
    """Without class or subjects-of targets nothing is known of the focus nodes."""
    anchors = parse(HEADER + CASES[0][0], frozenset({"this"}), "test").anchors
    assert _within_targets(anchors, None) is False
    assert _within_targets(anchors, TableTargets((), ())) is False


def test_six_of_goalgraphs_own_constraints_run_without_the_focus_join() -> None:
    """Goalgraph's own constraints anchored in their targets leave the join out, the rest
    keep it (a quarter of such a query's time on the national graph); so does its
    SPARQL-based component's validator (``UniqueIdentifierShape``)."""
    checks = compile_shapes(shapes_graph())
    joined = {
        # without the focus pattern the constraint's own group comes first
        str(c.shape).rsplit("#", 1)[-1]: "SELECT * WHERE {  {" not in c.query
        for c in checks
        if str(c.component).endswith("SPARQLConstraintComponent") or c.prebound
    }
    assert sorted(name for name, kept in joined.items() if not kept) == [
        "CommitteeGoalAnchoredShape",
        "PeriodWithinHigherGoalShape",
        "RegionalAreaInCountyShape",
        "SameKommunShape",
        "SwedishLabelShape",
        "UniqueIdentifierShape",
    ]
    assert joined["CommitteeGoalChallengeShape"] and joined["NoCycleShape"]


_NODES = [f"<urn:n{i}>" for i in range(4)]
_TRIPLE = st.one_of(
    st.tuples(st.sampled_from(_NODES), st.sampled_from(["ex:p", "ex:q"]), st.sampled_from(_NODES)),
    st.tuples(st.sampled_from(_NODES), st.just("a"), st.sampled_from(["ex:C", "ex:D", "ex:E"])),
)
_FOCUS = {
    BY_P: "{ ?this ex:p ?f1 }",
    BY_C: "{ ?this a/rdfs:subClassOf* ex:C }",
    BY_BOTH: "{ ?this ex:p ?f1 } UNION { ?this a/rdfs:subClassOf* ex:C }",
}


@settings(deadline=None, max_examples=40)
@given(st.sets(_TRIPLE, max_size=10), st.booleans())
def test_leaving_the_focus_join_out_changes_no_solution(
    triples: set[tuple[str, str, str]], subclass: bool
) -> None:
    """Wherever the anchors allow it, the query alone has the solutions of its join with
    the focus nodes (ex:D a subclass of ex:C or not)."""
    store = ox.Store()
    facts = [f"{s} {p} {o} ." for s, p, o in triples]
    if subclass:
        facts.append("ex:D rdfs:subClassOf ex:C .")
    if facts:
        store.update(HEADER + "INSERT DATA { " + " ".join(facts) + " }")
    for query, within, _ in CASES:
        for targets in within:
            focus = f"{{ SELECT DISTINCT ?this WHERE {{ {_FOCUS[targets]} }} }}"
            joined = store.query(f"{HEADER}SELECT * WHERE {{ {focus} {{ {query} }} }}")
            alone = store.query(f"{HEADER}SELECT * WHERE {{ {{ {query} }} }}")
            assert sorted(map(str, joined)) == sorted(map(str, alone)), (query, targets)
