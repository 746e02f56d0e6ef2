"""Simple property shapes answered from the load's tables give exactly pySHACL's results."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from goalgraph import load
from goalgraph.validation import _tabled, validate
from goalgraph.validation._check import TableTargets
from goalgraph.validation._fast import compile_shapes
from goalgraph.validation._validate import run_engine, shapes_graph
from tabled_support import (
    EX,
    EXSH,
    REF,
    TABLED,
    Answered,
    counting,
    found_pairs,
    result_keys,
    same_as_pyshacl_and_store,
)

ROOT = Path(__file__).parent.parent
SHAPES = TABLED / "shapes.ttl"
SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_IDENTIFIER = "http://purl.org/dc/terms/identifier"


def _named_shapes(shapes: rdflib.Graph) -> set[str]:
    return {str(s) for s in shapes.subjects(rdflib.URIRef(SH + "path"), None)}


# --- each supported constraint, on hand-written data ------------------------------

EXPECTED = {
    # minCount 0 cannot fail; its maxCount 1 does
    "optional": {("ex:b", "")},
    "required": {("ex:b", ""), ("ex:d", ""), ("ex:nowhere", "")},
    # ex:a's two values are in two files; ex:d's one value is written twice
    "pair": {("ex:c", ""), ("ex:d", ""), ("ex:nowhere", "")},
    "forbidden": {("ex:b", "")},
    # ex:a's one value is written three times over two files; ex:b's "1" and "01" are two
    "single": {("ex:b", "")},
    "atMostTwo": {("ex:b", "")},
    # ex:lyon is an ex:SubPlace (a subclass declared in the data)
    "place": {("ex:b", "ex:nowhere")},
    # ref:kommun/0114 is a gg:Municipality in the vocabulary graph only
    "kommun": {("ex:b", "ref:lan/01"), ("ex:b", "ex:a")},
    "count": {("ex:b", f'"x"^^<{XSD}integer>'), ("ex:b", f'"1.5"^^<{XSD}decimal>')},
    "byte": {("ex:b", f'"300"^^<{XSD}byte>')},
    "date": {("ex:b", f'"2019-04-31"^^<{XSD}date>')},
    # "1.50" and "1.5", which the store keeps as one, are two values as written
    "amount": {("ex:b", "")},
    "when": {("ex:b", f'"2019-13-01"^^<{XSD}date>'), ("ex:b", f'"spring"^^<{XSD}string>')},
    "colour": {
        ("ex:b", "ex:blue"),
        ("ex:b", f'"Yes"^^<{XSD}string>'),
        ("ex:b", '"yes"@en'),
        ("ex:b", f'"no"^^<{XSD}token>'),
    },
}


def test_each_supported_constraint_is_answered_from_the_tables_as_pyshacl_does(
    answered: Answered,
) -> None:
    """Counts 0/1/2, classes (subclass, vocabulary-typed), datatypes (ill-formed and
    rewritten literals), sh:or, sh:in: ex:a conforms, the others fail as pySHACL says."""
    graph = load(TABLED / "data.ttl", TABLED / "more.ttl", shapes=[SHAPES])
    shapes = shapes_graph(SHAPES)
    keys = same_as_pyshacl_and_store(graph, shapes)
    assert set(answered.shapes) == _named_shapes(shapes)
    assert {name: found_pairs(keys, name) for name in EXPECTED} == EXPECTED
    assert sum(keys.values()) == sum(len(found) for found in EXPECTED.values())
    assert not [k for k in keys if k[0] == f"<{EX}a>"]


def test_node_kinds_and_blank_nodes_are_answered_as_pyshacl_does(answered: Answered) -> None:
    """Each node kind on IRI, blank and literal values, with blank-node focus nodes and values
    (a file that goes through the ledger's add rather than the bulk load)."""
    graph = load(TABLED / "blank.ttl", TABLED / "data.ttl", shapes=[SHAPES])
    shapes = shapes_graph(SHAPES)
    keys = same_as_pyshacl_and_store(graph, shapes)
    assert set(answered.shapes) == _named_shapes(shapes)
    kinds = Counter(k[0] for k in keys if k[1] == f"{SH}NodeKindConstraintComponent")
    # each value is of one kind and fails the three kinds that exclude it
    assert {kinds[f"<{EX}{name}>"] for name in ("iri", "blank", "literal")} == {3}
    assert sorted(kinds.values()) == [3, 3, 3, 9]
    assert {focus for focus, _ in found_pairs(keys, "kindIRI") if focus.startswith("ex:")} == {
        "ex:blank",
        "ex:literal",
    }
    assert {
        focus for focus, _ in found_pairs(keys, "kindBlankNode") if focus.startswith("ex:")
    } == {
        "ex:iri",
        "ex:literal",
    }
    blank_things = [
        k for k in keys if k[0].startswith("_:") and not k[2].startswith(f"<{EXSH}kind")
    ]
    assert Counter(k[2] for k in blank_things) == Counter(
        {f"<{EXSH}required>": 1, f"<{EXSH}pair>": 1, f"<{EXSH}place>": 1}
    )


def test_a_trig_files_named_graphs_are_answered_as_pyshacl_does(answered: Answered) -> None:
    """A TriG file's named graphs fold into the data: ex:e conforms, ex:f (a subclass
    instance typed in another file) fails across two graphs."""
    graph = load(TABLED / "data.ttl", TABLED / "quads.trig", shapes=[SHAPES])
    shapes = shapes_graph(SHAPES)
    keys = same_as_pyshacl_and_store(graph, shapes)
    assert answered.shapes
    assert not [k for k in keys if k[0] == f"<{EX}e>"]
    assert {k[2].removeprefix(f"<{EXSH}") for k in keys if k[0] == f"<{EX}f>"} == {
        "byte>",
        "colour>",
        "forbidden>",
        "pair>",
        "required>",
    }


def test_a_spreadsheet_example_is_answered_from_the_tables_as_pyshacl_does(
    answered: Answered,
) -> None:
    """Vetlanda's workbook with the built-in shapes: tables, store and pySHACL agree."""
    graph = load(ROOT / "examples" / "vetlanda" / "vetlanda.xlsx")
    keys = same_as_pyshacl_and_store(graph, shapes_graph())
    assert answered.shapes
    assert keys


def test_after_a_write_the_tables_are_not_used_and_results_follow_the_new_data(
    answered: Answered,
) -> None:
    """graph.add after loading: the store's checks run instead, and find what pySHACL finds
    in the changed data (ex:d gets its ex:one, ex:a an ex:none)."""
    graph = load(TABLED / "data.ttl", TABLED / "more.ttl", shapes=[SHAPES])
    shapes = shapes_graph(SHAPES)
    before = result_keys(run_engine(graph, shapes, "fast").results)
    assert answered.shapes
    answered.shapes.clear()
    graph.add(
        [
            ox.Triple(ox.NamedNode(EX + "d"), ox.NamedNode(EX + "one"), ox.NamedNode(EX + "x")),
            ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "none"), ox.Literal("no")),
        ]
    )
    # "1.50"/"1.5" merged by the store: the fast engine alone declines ex:amount now
    after = result_keys(run_engine(graph, shapes, "auto").results)
    assert answered.shapes == []
    assert after == result_keys(run_engine(graph, shapes, "pyshacl").results)
    assert found_pairs(after, "required") == {("ex:b", ""), ("ex:nowhere", "")}
    assert found_pairs(after, "forbidden") == {("ex:a", ""), ("ex:b", "")}
    assert after != before


def test_focus_nodes_values_and_subclasses_in_the_vocabulary_graph_count_too(
    answered: Answered,
) -> None:
    """Kommuner typed, coded and subclassed in the vocabulary graph only, with more codes in
    the data, and an implicit class target: as pySHACL and the store's checks find."""
    shapes_file = TABLED / "vocabulary-shapes.ttl"
    graph = load(TABLED / "vocabulary.ttl", shapes=[shapes_file])
    keys = same_as_pyshacl_and_store(graph, shapes_graph(shapes_file))
    assert set(answered.shapes) == {EX + "vocabulary#code", EX + "vocabulary#noCode"}
    found = {(k[0], k[1].removeprefix(SH), k[3]) for k in keys}
    assert found == {
        (f"<{REF}kommun/0115>", "DatatypeConstraintComponent", f'"115"^^<{XSD}integer>'),
        (f"<{REF}kommun/0115>", "MaxCountConstraintComponent", ""),
        (f"<{REF}kommun/0114>", "MaxCountConstraintComponent", ""),
        (f"<{EX}coded>", "MaxCountConstraintComponent", ""),
    }


def test_shapes_whose_paths_were_not_gathered_run_in_the_store(answered: Answered) -> None:
    """Validating with shapes not given to load(): their properties have no tables, so the
    store's checks answer them, with pySHACL's results."""
    graph = load(TABLED / "blank.ttl")
    assert graph.current_tables() is not None
    shapes = shapes_graph(SHAPES)
    keys = result_keys(run_engine(graph, shapes, "fast").results)
    assert keys == result_keys(run_engine(graph, shapes, "pyshacl").results)
    assert answered.shapes == []
    assert found_pairs(keys, "kindIRI")


def test_validate_with_extra_shapes_answers_them_from_the_tables(answered: Answered) -> None:
    """The public validate(extra_shapes=...) on a graph loaded with those shapes: the built-in
    and the user's simple shapes come from the tables, with pySHACL's result ids."""
    graph = load(TABLED / "data.ttl", TABLED / "more.ttl", shapes=[SHAPES])
    tabled = sorted(r.id for r in validate(graph, extra_shapes=[SHAPES], engine="auto").results)
    assert _named_shapes(shapes_graph(SHAPES)) <= set(answered.shapes)
    assert any(s.startswith("https://w3id.org/goalgraph/shapes#") for s in answered.shapes)
    reference = validate(graph, extra_shapes=[SHAPES], engine="pyshacl")
    assert tabled == sorted(r.id for r in reference.results)
    assert len(tabled) >= sum(len(found) for found in EXPECTED.values())


def test_rdf_1_2_reifiers_are_named_as_the_store_holds_them(answered: Answered) -> None:
    """A Turtle file whose only blank node is an RDF 1.2 reifier (``<< … >>``): the tables'
    results name that blank node as it is in the store, as the store's checks do.

    (pySHACL cannot be the reference here: the reifier's ``rdf:reifies`` triple term does
    not cross into rdflib.)
    """
    graph = load(TABLED / "reified.ttl", shapes=[SHAPES], vocabulary=False)
    shapes = shapes_graph(SHAPES)
    tabled = run_engine(graph, shapes, "fast").results
    assert answered.shapes
    in_store = {
        rdflib.BNode(q.subject.value)
        for q in graph.store.quads_for_pattern(None, None, None)
        if isinstance(q.subject, ox.BlankNode)
    }
    assert len(in_store) == 1
    assert {r.focus for r in tabled} == in_store
    graph.tables = None
    assert result_keys(tabled) == result_keys(run_engine(graph, shapes, "fast").results)


def test_inferred_triples_keep_the_tables_and_change_no_result(answered: Answered) -> None:
    """A new instance, a subclass axiom and a missing value added to the inferred graph keep
    the tables current and change nothing: inferred triples are never validated."""
    graph = load(TABLED / "data.ttl", TABLED / "more.ttl", shapes=[SHAPES])
    shapes = shapes_graph(SHAPES)
    before = result_keys(run_engine(graph, shapes, "fast").results)
    rdfs_sub = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    graph.add(
        [
            ox.Triple(ox.NamedNode(EX + "new"), _RDF_TYPE, ox.NamedNode(EX + "Thing")),
            ox.Triple(ox.NamedNode(EX + "Other"), rdfs_sub, ox.NamedNode(EX + "Thing")),
            ox.Triple(ox.NamedNode(EX + "q"), _RDF_TYPE, ox.NamedNode(EX + "Other")),
            ox.Triple(ox.NamedNode(EX + "d"), ox.NamedNode(EX + "one"), ox.NamedNode(EX + "x")),
            ox.Triple(ox.NamedNode(EX + "nowhere"), _RDF_TYPE, ox.NamedNode(EX + "Place")),
        ],
        graph="inferred",
    )
    assert graph.current_tables() is not None
    answered.shapes.clear()
    assert same_as_pyshacl_and_store(graph, shapes) == before
    assert set(answered.shapes) == _named_shapes(shapes)


def test_a_shape_on_rdf_type_gives_pyshacls_results(answered: Answered) -> None:
    """A class-targeted shape with the path rdf:type (no column in the tables) is run in the
    store and finds what pySHACL finds: ex:b and ex:c are ex:SubThings, ex:c twice typed."""
    type_shapes = TABLED / "type-shapes.ttl"
    graph = load(TABLED / "data.ttl", shapes=[type_shapes])
    keys = same_as_pyshacl_and_store(graph, shapes_graph(type_shapes))
    assert {(k[0], k[1].removeprefix(SH)) for k in keys} == {
        (f"<{EX}b>", "InConstraintComponent"),
        (f"<{EX}c>", "InConstraintComponent"),
        (f"<{EX}c>", "MaxCountConstraintComponent"),
    }
    assert answered.shapes == []


def test_subjects_of_targets_are_answered_from_the_tables_as_pyshacl_does(
    answered: Answered,
) -> None:
    """sh:targetSubjectsOf alone and beside a class target: the focus nodes are the
    property's subjects in the tables, with pySHACL's and the store's results."""
    shapes_file = TABLED / "subjects-of-shapes.ttl"
    graph = load(TABLED / "data.ttl", TABLED / "more.ttl", shapes=[shapes_file])
    keys = same_as_pyshacl_and_store(graph, shapes_graph(shapes_file))
    prefix = f"<{EX}subjects-of#"
    found = {
        (k[2].removeprefix(prefix).removesuffix(">"), k[1].removeprefix(SH), k[0], k[3])
        for k in keys
    }
    assert found == {
        ("twoOnce", "MaxCountConstraintComponent", f"<{EX}a>", ""),
        ("twoOnce", "MaxCountConstraintComponent", f"<{EX}b>", ""),
        ("kommun", "MinCountConstraintComponent", f"<{EX}paris>", ""),
        ("kommun", "MinCountConstraintComponent", f"<{EX}lyon>", ""),
        ("kommun", "ClassConstraintComponent", f"<{EX}b>", f"<{REF}lan/01>"),
        ("kommun", "ClassConstraintComponent", f"<{EX}b>", f"<{EX}a>"),
    }
    assert set(answered.shapes) == {prefix[1:] + "twoOnce", prefix[1:] + "kommun"}


def test_subjects_of_a_property_not_gathered_is_left_to_the_store(answered: Answered) -> None:
    """The same shapes on a graph loaded without them: ex:two and ex:place are not gathered,
    so the store's checks answer, with the same results."""
    shapes_file = TABLED / "subjects-of-shapes.ttl"
    shapes = shapes_graph(shapes_file)
    gathered = load(TABLED / "data.ttl", TABLED / "more.ttl", shapes=[shapes_file])
    expected = result_keys(run_engine(gathered, shapes, "fast").results)
    answered.shapes.clear()
    graph = load(TABLED / "data.ttl", TABLED / "more.ttl")
    assert result_keys(run_engine(graph, shapes, "fast").results) == expected
    assert answered.shapes == []


def test_an_or_of_simple_members_is_answered_from_the_tables_as_pyshacl_does(
    answered: Answered,
) -> None:
    """sh:or of minCount 1 on a property or a two-step path, and of "not hasValue": the
    focus nodes conforming to no member, as pySHACL and the store's checks find them; an
    sh:or with any other member is left to the store."""
    shapes_file = TABLED / "or-shapes.ttl"
    graph = load(TABLED / "or-data.ttl", shapes=[shapes_file])
    keys = same_as_pyshacl_and_store(graph, shapes_graph(shapes_file))
    prefix = f"<{EX}or#"
    found = {
        (k[2].removeprefix(prefix).removesuffix(">"), k[0].removeprefix(f"<{EX}").rstrip(">"))
        for k in keys
        if k[1] == SH + "OrConstraintComponent"
    }
    failing_linked = {"deadEnd", "bare", "off", "on", "onString"}
    assert found == {
        *(("Linked", node) for node in failing_linked),
        ("OnNeedsP", "on"),
        *(("TwoOrNothing", n) for n in ("through", "deadEnd")),
    }
    assert set(answered.shapes) == {EX + "or#Linked", EX + "or#OnNeedsP"}


def test_sparql_constraints_are_sized_by_their_focus_nodes_for_the_thread_pool() -> None:
    """The pool starts the SHACL-SPARQL constraints with the most focus nodes first: their
    size comes from the tables (items with an identifier, goals of each kind); a check
    without class or subjects-of targets, or over a property not gathered, has none."""
    graph = load(ROOT / "examples" / "norberg" / "norberg.ttl")
    assert graph.tables is not None
    run = _tabled.TabledRun(graph.tables, graph.store, lambda cls: [cls])
    by_name = {str(c.shape).rsplit("#", 1)[-1]: c for c in compile_shapes(shapes_graph())}
    identified = {
        q.subject for q in graph.store.quads_for_pattern(None, ox.NamedNode(_IDENTIFIER), None)
    }
    assert run.size(by_name["UniqueIdentifierShape"]) == len(identified) > 0
    assert run.size(by_name["Observation-value"]) == 0  # answered from the tables: no targets
    unknown = by_name["UniqueIdentifierShape"].__class__(
        **{
            **by_name["UniqueIdentifierShape"].__dict__,
            "targets": TableTargets((), (EX + "notGathered",)),
        }
    )
    assert run.size(unknown) == 0


# --- checks the tables must not answer --------------------------------------------


def test_shapes_beyond_the_tables_are_left_to_the_store_and_agree_with_pyshacl(
    answered: Answered,
) -> None:
    """A node target, mixed targets, a sequence path, sh:pattern and a typed sh:in are not
    answered from the tables, and still give pySHACL's results."""
    untabled = TABLED / "untabled.ttl"
    graph = load(TABLED / "data.ttl", TABLED / "more.ttl", shapes=[untabled])
    shapes = shapes_graph(untabled)
    keys = result_keys(run_engine(graph, shapes, "auto").results)
    assert keys == result_keys(run_engine(graph, shapes, "pyshacl").results)
    assert answered.shapes == []
    found = Counter(k[2].removeprefix(f"<{EX}untabled#").removesuffix(">") for k in keys)
    assert found == {"byNodeOne": 1, "mixedTwo": 4, "sequence": 1, "pattern": 1, "typedIn": 1}


def test_tabled_and_untabled_shapes_together_agree_with_pyshacl(answered: Answered) -> None:
    """Both shapes files at once: only the simple shapes are answered from the tables."""
    files = [SHAPES, TABLED / "untabled.ttl"]
    graph = load(TABLED / "data.ttl", TABLED / "more.ttl", TABLED / "blank.ttl", shapes=files)
    shapes = shapes_graph(files)
    keys = result_keys(run_engine(graph, shapes, "auto").results)
    assert keys == result_keys(run_engine(graph, shapes, "pyshacl").results)
    assert set(answered.shapes) == _named_shapes(shapes_graph(SHAPES))


# --- random data and shapes ---------------------------------------------------------

_VALUES = [
    "ex:s0",
    "ex:s1",
    "ex:o",
    "_:b0",
    "_:b1",
    '"a"',
    '"b"',
    '"a"@en',
    '"a"@EN',
    '"a"^^xsd:string',
    '"a"^^xsd:token',
    '"a"^^ex:dt',
    '"true"^^xsd:boolean',
    '"1"^^xsd:boolean',
    '"+1"^^xsd:integer',
    '"1"^^xsd:int',
    '"1"^^xsd:integer',
    '"01"^^xsd:integer',
    '"x"^^xsd:integer',
    '"1.50"^^xsd:decimal',
    '"1.5"^^xsd:decimal',
    '"300"^^xsd:byte',
    '"12"^^xsd:byte',
    '"2019-04-31"^^xsd:date',
    '"2019-04-30"^^xsd:date',
    '"2019"^^xsd:gYear',
]
_DATATYPES = [
    "xsd:integer",
    "xsd:decimal",
    "xsd:byte",
    "xsd:int",
    "xsd:date",
    "xsd:gYear",
    "xsd:boolean",
    "xsd:string",
    "rdf:langString",
    "ex:dt",
]
_IN_ITEMS = ["ex:s0", "ex:o", '"a"', '"b"', '"a"@en', '"a"@EN', '"a"^^xsd:string']
_KINDS = ["IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral"]
_SUBJECTS = ["ex:s0", "ex:s1", "ex:s2", "ex:s3", "_:b0"]
_PREDICATES = ["ex:p0", "ex:p1", "ex:p2"]

_subject = st.tuples(
    st.lists(st.sampled_from(["ex:C", "ex:D", "ex:Sub"]), min_size=1, max_size=2),
    st.lists(st.tuples(st.sampled_from(_PREDICATES), st.sampled_from(_VALUES)), max_size=6),
)
_constraint = st.one_of(
    st.integers(0, 2).map(lambda n: f"sh:minCount {n}"),
    st.integers(0, 2).map(lambda n: f"sh:maxCount {n}"),
    st.sampled_from(["ex:C", "ex:Sub", "ex:Place"]).map(lambda c: f"sh:class {c}"),
    st.sampled_from(_DATATYPES).map(lambda d: f"sh:datatype {d}"),
    st.lists(st.sampled_from(_DATATYPES), min_size=1, max_size=2, unique=True).map(
        lambda ds: "sh:or ( " + " ".join(f"[ sh:datatype {d} ]" for d in ds) + " )"
    ),
    st.lists(st.sampled_from(_IN_ITEMS), max_size=3).map(
        lambda items: f"sh:in ( {' '.join(items)} )"
    ),
    st.sampled_from(_KINDS).map(lambda k: f"sh:nodeKind sh:{k}"),
)
_shape = st.tuples(
    st.lists(st.sampled_from(["ex:C", "ex:D", "ex:Sub"]), min_size=1, max_size=2, unique=True),
    st.sampled_from(_PREDICATES),
    st.lists(_constraint, min_size=1, max_size=3, unique_by=lambda c: c.split()[0]),
    st.sampled_from(["", " ; sh:severity sh:Warning", ' ; sh:name "n" ; sh:message "m"@en']),
)

_PREFIXES = (
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    f"@prefix ex: <{EX}> .\n"
)


def _data_texts(
    subjects: list[tuple[list[str], list[tuple[str, str]]]], place: bool, files: int
) -> list[str]:
    """The data as Turtle, its triples dealt over *files* files in turn."""
    lines = ["ex:Sub rdfs:subClassOf ex:C ."]
    if place:
        lines.append("ex:o a ex:Place . _:b1 a ex:Place .")
    for name, (classes, values) in zip(_SUBJECTS, subjects, strict=False):
        lines.extend(f"{name} a {cls} ." for cls in classes)
        lines.extend(f"{name} {p} {v} ." for p, v in values)
    return [_PREFIXES + "\n".join(lines[n::files]) + "\n" for n in range(files)]


def _shapes_text(shapes: list[tuple[list[str], str, list[str], str]]) -> str:
    lines = []
    for number, (classes, predicate, constraints, extra) in enumerate(shapes):
        targets = " ; ".join(f"sh:targetClass {c}" for c in classes)
        body = " ; ".join(constraints)
        lines.append(
            f"ex:S{number} a sh:NodeShape ; {targets} ; sh:property ex:P{number} .\n"
            f"ex:P{number} sh:path {predicate} ; {body}{extra} ."
        )
    return _PREFIXES + "\n".join(lines) + "\n"


@settings(max_examples=40)
@given(
    subjects=st.lists(_subject, min_size=1, max_size=len(_SUBJECTS)),
    place=st.booleans(),
    shapes=st.lists(_shape, min_size=1, max_size=3),
    files=st.integers(1, 2),
)
def test_random_simple_shapes_on_random_data_agree_with_pyshacl(
    tmp_path_factory: pytest.TempPathFactory,
    subjects: list[tuple[list[str], list[tuple[str, str]]]],
    place: bool,
    shapes: list[tuple[list[str], str, list[str], str]],
    files: int,
) -> None:
    """Random typed subjects with IRIs, blank nodes, strings and well-formed, ill-formed and
    non-canonical literals, in one file or two, and random simple shapes: the tables give
    pySHACL's results, and the store's checks' wherever the store does not decline."""
    folder = tmp_path_factory.mktemp("tabled")
    shapes_file = folder / "shapes.ttl"
    data = [folder / f"data-{n}.ttl" for n in range(files)]
    for path, text in zip(data, _data_texts(subjects, place, files), strict=True):
        path.write_text(text, encoding="utf-8")
    shapes_file.write_text(_shapes_text(shapes), encoding="utf-8")
    graph = load(*data, shapes=[shapes_file], vocabulary=False)
    shapes_g = shapes_graph(shapes_file)
    with counting() as answered:
        same_as_pyshacl_and_store(graph, shapes_g, store_may_decline_all=True)
    # a lone sh:minCount 0 constrains nothing and makes no check
    assert set(answered) == {
        f"{EX}P{n}" for n, (_, _, c, _) in enumerate(shapes) if set(c) != {"sh:minCount 0"}
    }


# --- the national benchmark graph ---------------------------------------------------


@pytest.fixture(scope="module")
def national_10(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The benchmark graph of 10 kommuner (generated if missing; skipped if that fails)."""
    path = ROOT / "benchmarks" / "out" / "national-10.ttl"
    if not path.is_file():
        try:
            made = subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "10"],
                capture_output=True,
                timeout=120,
                check=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"benchmarks/out/national-10.ttl cannot be generated: {exc}")
        path = tmp_path_factory.mktemp("national") / "national-10.ttl"
        path.write_bytes(made.stdout)
    yield path


def test_the_national_graph_gives_the_same_ids_with_and_without_tables(
    national_10: Path, answered: Answered
) -> None:
    """Ten kommuner with the built-in shapes: the same result ids from the tables and from
    the store's checks alone."""
    graph = load(national_10)
    with_tables = sorted(r.id for r in validate(graph, engine="fast").results)
    assert answered.shapes
    graph.tables = None
    answered.shapes.clear()
    without = sorted(r.id for r in validate(graph, engine="fast").results)
    assert answered.shapes == []
    assert with_tables == without
    assert with_tables
