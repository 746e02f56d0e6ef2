"""The fast engine compiles the rest of SHACL Core exactly, checked against pySHACL and the spec.

Each fragment in tests/data/shapes/core/ names its focus nodes ``ok…`` (must
conform) and ``bad…`` (must give at least one result), so every component
has a conforming and a violating case; the fast engine must compile the
fragment and give pySHACL's results (the reference), multiplicities included.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from goalgraph import load
from goalgraph.errors import GoalGraphError
from goalgraph.graph import GoalGraph
from goalgraph.i18n import message
from goalgraph.validation import validate
from goalgraph.validation._fast import Unsupported, compile_shapes
from goalgraph.validation._raw import RawResult, result_key
from goalgraph.validation._shapes import SH
from goalgraph.validation._validate import run_engine, shapes_graph

CORE = Path(__file__).parent / "data" / "shapes" / "core"
EX = "urn:core:"

#: Each fragment with the components its bad nodes must show.
FRAGMENTS = {
    "closed": {"ClosedConstraintComponent", "NotConstraintComponent"},
    "xone": {"XoneConstraintComponent", "NotConstraintComponent"},
    "qualified": {
        "QualifiedMinCountConstraintComponent",
        "QualifiedMaxCountConstraintComponent",
        "OrConstraintComponent",
    },
    "range": {
        "MaxCountConstraintComponent",
        "MinInclusiveConstraintComponent",
        "MinExclusiveConstraintComponent",
        "MaxInclusiveConstraintComponent",
        "MaxExclusiveConstraintComponent",
        "OrConstraintComponent",
        "NotConstraintComponent",
    },
    "pairs": {
        "EqualsConstraintComponent",
        "DisjointConstraintComponent",
        "LessThanConstraintComponent",
        "LessThanOrEqualsConstraintComponent",
        "NotConstraintComponent",
    },
    "unique-lang": {"UniqueLangConstraintComponent", "OrConstraintComponent"},
    "nested-property": {
        "ClassConstraintComponent",
        "MinCountConstraintComponent",
        "NodeConstraintComponent",
    },
}


#: The components the fast engine compiles since issue 11.
NEW_COMPONENTS = [
    f"{name}ConstraintComponent"
    for name in (
        "Closed",
        "Xone",
        "QualifiedMinCount",
        "QualifiedMaxCount",
        "MinInclusive",
        "MinExclusive",
        "MaxInclusive",
        "MaxExclusive",
        "Equals",
        "Disjoint",
        "LessThan",
        "LessThanOrEquals",
        "UniqueLang",
    )
]


def _fragment(name: str) -> tuple[GoalGraph, rdflib.Graph]:
    return load(CORE / f"{name}-data.ttl"), shapes_graph(CORE / f"{name}-shapes.ttl")


def _graphs(data: str, shapes: str) -> tuple[GoalGraph, rdflib.Graph]:
    prefixes = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f"@prefix ex: <{EX}> .\n"
    )
    graph = GoalGraph()
    graph.add_rdflib(rdflib.Graph().parse(data=prefixes + data, format="turtle"))
    return graph, rdflib.Graph().parse(data=prefixes + shapes, format="turtle")


def _fast(graph: GoalGraph, shapes: rdflib.Graph) -> list[RawResult]:
    results, used, _ = run_engine(graph, shapes, "fast")
    assert used == "fast"
    return results


def _local(node: object) -> str:
    return str(node).removeprefix(EX)


@pytest.mark.parametrize("name", sorted(FRAGMENTS))
def test_fragment_gives_pyshacls_results_with_the_fast_engine(name: str) -> None:
    """The fast engine gives exactly pySHACL's results on the fragment, repeats included."""
    graph, shapes = _fragment(name)
    fast = _fast(graph, shapes)
    reference, _, _ = run_engine(graph, shapes, "pyshacl")
    assert Counter(map(result_key, fast)) == Counter(map(result_key, reference))


@pytest.mark.parametrize("name", sorted(FRAGMENTS))
def test_fragment_flags_every_bad_node_and_no_ok_node(name: str) -> None:
    """Each ``bad…`` focus node has a result, no ``ok…`` one has, and each component is shown."""
    graph, shapes = _fragment(name)
    fast = _fast(graph, shapes)
    flagged = {_local(r.focus) for r in fast}
    data = {_local(s) for s in graph.to_rdflib().subjects()}
    assert not {n for n in flagged if n.startswith("ok")}
    assert {n for n in data if n.startswith("bad")} <= flagged
    assert {str(r.component).rsplit("#", 1)[-1] for r in fast} == FRAGMENTS[name]


def test_closed_shape_reports_each_offending_triple_with_its_predicate_and_object() -> None:
    """sh:closed gives a result per triple with a predicate not allowed; rdf:type is not implied."""
    graph, shapes = _fragment("closed")
    closed = {
        (_local(r.focus), _local(r.path), _local(r.value))
        for r in _fast(graph, shapes)
        if r.component == SH.ClosedConstraintComponent
    }
    assert closed == {
        ("badItem", "colour", "red"),
        ("badItem", "colour", "blue"),
        ("badItem", "owns", "okItem"),
        ("badTyped", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "Thing"),
        ("badHolder", "weight", "5"),
    }


def test_nested_property_shape_results_repeat_once_per_path_from_a_focus_node() -> None:
    """A value node shared by two focus nodes is validated (and reported) once for each."""
    graph, shapes = _fragment("nested-property")
    shared = [r for r in _fast(graph, shapes) if r.component == SH.ClassConstraintComponent]
    assert [(_local(r.focus), _local(r.value)) for r in shared] == [("oslo", "norway")] * 2


def test_less_than_reports_one_result_per_pair_out_of_order() -> None:
    """sh:lessThan reports each (value, other value) pair not in order, incomparable pairs too."""
    graph, shapes = _graphs(
        'ex:a ex:first 1 , 2 ; ex:second "x" , 2 .',
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:first ; sh:lessThan ex:second ] .",
    )
    values = Counter(_local(r.value) for r in _fast(graph, shapes))
    assert values == {"1": 1, "2": 2}


def test_value_range_treats_an_incomparable_value_as_a_violation() -> None:
    """A date is not comparable with a decimal bound, so it violates sh:maxInclusive (SPARQL <=)."""
    graph, shapes = _graphs(
        'ex:a ex:p "2020-01-01"^^xsd:date , 2 , 3 .',
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxInclusive 2.5 ] .",
    )
    assert sorted(_local(r.value) for r in _fast(graph, shapes)) == ["2020-01-01", "3"]


def test_zero_length_path_reaches_a_focus_node_absent_from_the_data() -> None:
    """A target node in no triple is its own value along ``p*``, as pySHACL and the spec say."""
    graph, shapes = _graphs(
        "ex:a ex:p ex:b .",
        "ex:S sh:targetNode ex:ghost , ex:a ; sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ;"
        " sh:minCount 1 ; sh:maxCount 1 ; sh:hasValue ex:ghost ; sh:class ex:C ;"
        " sh:equals ex:q ; sh:closed true ] .",
    )
    fast = _fast(graph, shapes)
    reference, _, _ = run_engine(graph, shapes, "pyshacl")
    assert Counter(map(result_key, fast)) == Counter(map(result_key, reference))
    ghost = {str(r.component).rsplit("#", 1)[-1] for r in fast if _local(r.focus) == "ghost"}
    assert ghost == {"ClassConstraintComponent", "EqualsConstraintComponent"}


def test_xone_of_an_empty_list_is_met_by_nothing() -> None:
    """With no shapes to conform to, no value node conforms to exactly one of them."""
    graph, shapes = _graphs("ex:a ex:p 1 .", "ex:S sh:targetNode ex:a , ex:b ; sh:xone ( ) .")
    assert sorted(_local(r.focus) for r in _fast(graph, shapes)) == ["a", "b"]


def test_qualified_count_without_a_qualified_shape_constrains_nothing() -> None:
    """sh:qualifiedMinCount alone is not a constraint (the component needs its shape)."""
    graph, shapes = _graphs(
        "ex:a ex:p 1 .",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:qualifiedMinCount 3 ] .",
    )
    assert _fast(graph, shapes) == []


def test_boolean_switches_other_than_true_leave_the_constraint_out() -> None:
    """sh:closed false and sh:uniqueLang false check nothing; true does."""
    data = 'ex:a ex:p "x"@sv , "y"@sv .'
    off = (
        "ex:S sh:targetNode ex:a ; sh:closed false ;"
        " sh:property [ sh:path ex:p ; sh:uniqueLang false ] ."
    )
    assert _fast(*_graphs(data, off)) == []
    on = off.replace("false", "true")
    components = {r.component for r in _fast(*_graphs(data, on))}
    assert components == {SH.UniqueLangConstraintComponent}


@pytest.mark.parametrize(
    "shape",
    [
        "ex:S sh:targetNode ex:a ; sh:lessThan ex:q .",
        "ex:S sh:targetNode ex:a ; sh:uniqueLang true .",
        'ex:S sh:targetNode ex:a ; sh:closed "yes" .',
        "ex:S sh:targetNode ex:a ; sh:minInclusive ex:five .",
        "ex:S sh:targetNode ex:a ; sh:equals 5 .",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:qualifiedMinCount 1 ;"
        " sh:qualifiedValueShape [ sh:class ex:A ] , [ sh:class ex:B ] ] .",
    ],
)
def test_ill_formed_core_parameters_are_declined_not_guessed(shape: str) -> None:
    """Parameters the spec does not allow there (node shape, wrong kind of value) are declined."""
    _, shapes = _graphs("", shape)
    with pytest.raises(Unsupported):
        compile_shapes(shapes)


def test_well_formed_core_shapes_compile_without_falling_back() -> None:
    """Every fragment compiles, so ``auto`` keeps user shapes with these components fast."""
    for name in FRAGMENTS:
        graph, _ = _fragment(name)
        report = validate(graph, shapes=CORE / f"{name}-shapes.ttl")
        assert report.engine == "fast" and not report.conforms


def test_unsupported_fast_engine_is_a_goalgraph_error() -> None:
    """The fast engine refuses an ill-formed parameter with a GoalGraphError, not a traceback."""
    graph, shapes = _graphs("ex:a ex:p 1 .", "ex:S sh:targetNode ex:a ; sh:uniqueLang true .")
    with pytest.raises(GoalGraphError):
        run_engine(graph, shapes, "fast")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_new_component_has_a_message_in_both_languages(lang: str) -> None:
    """Results of the new components without sh:message get a specific, translated message."""
    for component in NEW_COMPONENTS:
        text = message(f"validation.component_{component}", lang)
        assert text and component not in text


# --- invariants on generated data ---------------------------------------------------

_NODES = [f"ex:n{i}" for i in range(4)]
_OBJECTS = [*_NODES, "1", "2", "2.5", '"a"', '"a"@sv', '"b"@sv', '"b"@en']
_TRIPLES = st.lists(
    st.tuples(
        st.sampled_from(_NODES), st.sampled_from(["ex:p", "ex:q"]), st.sampled_from(_OBJECTS)
    ),
    max_size=12,
)
_TARGETS = "sh:targetNode " + " , ".join(_NODES)


def _data(triples: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"{s} {p} {o} ." for s, p, o in triples)


def _flagged(triples: list[tuple[str, str, str]], shape: str) -> Counter[str]:
    results = _fast(*_graphs(_data(triples), f"ex:S {_TARGETS} ; {shape} ."))
    return Counter(_local(r.focus) for r in results)


def _values(triples: list[tuple[str, str, str]], node: str, predicate: str) -> set[str]:
    return {o for s, p, o in triples if s == node and p == predicate}


@settings(max_examples=25, deadline=None)
@given(_TRIPLES)
def test_xone_of_two_shapes_fails_where_both_or_neither_hold(
    triples: list[tuple[str, str, str]],
) -> None:
    """sh:xone (A B) flags exactly the focus nodes where A and B agree."""
    a, b = "[ sh:property [ sh:path ex:p ; sh:minCount 1 ] ]", "[ sh:class ex:C ]"
    triples = [*triples, ("ex:n0", "a", "ex:C")]
    flagged = _flagged(triples, f"sh:xone ( {a} {b} )")
    has_p = {n for n in _NODES if _values(triples, n, "ex:p")}
    expected = {n for n in _NODES if (n in has_p) == (n == "ex:n0")}
    assert flagged == Counter(n.removeprefix("ex:") for n in expected)


@settings(max_examples=25, deadline=None)
@given(_TRIPLES)
def test_closed_shape_flags_each_triple_outside_the_allowed_predicates(
    triples: list[tuple[str, str, str]],
) -> None:
    """Allowing ex:p leaves exactly one result per distinct ex:q triple of a focus node."""
    flagged = _flagged(triples, "sh:closed true ; sh:property [ sh:path ex:p ]")
    expected = Counter(s.removeprefix("ex:") for s, p, _ in set(triples) if p == "ex:q")
    assert flagged == expected


@settings(max_examples=25, deadline=None)
@given(_TRIPLES)
def test_equals_and_disjoint_with_the_own_path(triples: list[tuple[str, str, str]]) -> None:
    """A path equals itself (no result) and meets itself on every value (a result each)."""
    assert _flagged(triples, "sh:property [ sh:path ex:p ; sh:equals ex:p ]") == Counter()
    disjoint = _flagged(triples, "sh:property [ sh:path ex:p ; sh:disjoint ex:p ]")
    expected = Counter(s.removeprefix("ex:") for s, p, _ in set(triples) if p == "ex:p")
    assert disjoint == expected


@settings(max_examples=25, deadline=None)
@given(_TRIPLES, st.integers(min_value=0, max_value=3))
def test_qualified_counts_of_a_shape_everything_meets_are_plain_counts(
    triples: list[tuple[str, str, str]], count: int
) -> None:
    """With a qualified shape every value conforms to, qualified counts equal min/maxCount."""
    for qualified, plain in (("qualifiedMinCount", "minCount"), ("qualifiedMaxCount", "maxCount")):
        shape = "sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ ] ; sh:{} {} ]"
        assert _flagged(triples, shape.format(qualified, count)) == _flagged(
            triples, f"sh:property [ sh:path ex:p ; sh:{plain} {count} ]"
        )


@settings(max_examples=25, deadline=None)
@given(_TRIPLES)
def test_unique_lang_flags_each_language_used_twice(triples: list[tuple[str, str, str]]) -> None:
    """One result per focus node and language tag held by two ex:p values."""
    flagged = _flagged(triples, "sh:property [ sh:path ex:p ; sh:uniqueLang true ]")
    expected: Counter[str] = Counter()
    for node in _NODES:
        tags = Counter(o.rsplit("@", 1)[1] for o in _values(triples, node, "ex:p") if "@" in o)
        expected[node.removeprefix("ex:")] += sum(1 for n in tags.values() if n > 1)
    assert flagged == +expected
