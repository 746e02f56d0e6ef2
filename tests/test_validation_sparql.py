"""SHACL-SPARQL in both engines: components, pre-binding, restrictions, prefixes, errors."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalgraph import load
from goalgraph.errors import GoalGraphError, ShapesError
from goalgraph.validation import validate
from goalgraph.validation._check import Unsupported
from goalgraph.validation._compile import compile_shapes
from goalgraph.validation._raw import result_key
from goalgraph.validation._shapes import SH
from goalgraph.validation._sparql_prebinding import mark_groups, prebind
from goalgraph.validation._validate import run_engine, shapes_graph
from support import run_cli

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "shapes" / "sparql"
EX = "https://example.org/sparql-test#"
ENGINES = ["fast", "auto", "pyshacl"]


def _findings(shapes: Path, engine: str, data: Path = DATA / "data.ttl") -> set[tuple[str, ...]]:
    report = validate(load(data, vocabulary=False), shapes=[shapes], engine=engine)  # type: ignore[arg-type]
    return {
        (
            str(r.focus_node).removeprefix(EX),
            str(r.constraint_component).rsplit("#", 1)[-1],
            str(r.value).removeprefix(EX),
        )
        for r in report
    }


@pytest.mark.parametrize("engine", ["fast", "auto"])
def test_sparql_components_report_their_violations(engine: str) -> None:
    """A SELECT property validator and an ASK validator with parameters give their results."""
    assert _findings(DATA / "components.ttl", engine) == {
        ("english", "LanguageComponent", "Safe municipality"),
        ("english", "MinLengthComponent", "short"),
    }


def test_pyshacl_reports_the_same_components_but_no_value_for_ask_validators() -> None:
    """pySHACL finds the same violations; for an ASK validator it leaves out sh:value."""
    assert _findings(DATA / "components.ttl", "pyshacl") == {
        ("english", "LanguageComponent", "Safe municipality"),
        ("english", "MinLengthComponent", "None"),
    }


def test_sparql_component_on_the_vetlanda_example_matches_pyshacl() -> None:
    """On a real example, a language component flags every goal without an English label."""
    graph = load(ROOT / "examples" / "vetlanda" / "vetlanda.ttl")
    shapes_g = shapes_graph([DATA / "components.ttl"])
    # English instead of Swedish; without the ASK component, whose values pySHACL leaves out
    shapes_g.update(
        "PREFIX ex: <https://example.org/sparql-test#> DELETE { ?p ex:lang 'sv' } "
        "INSERT { ?p ex:lang 'en' } WHERE { ?p ex:lang 'sv' }; "
        "PREFIX ex: <https://example.org/sparql-test#> DELETE WHERE { ?p ex:atLeast ?n }"
    )
    fast, used, _ = run_engine(graph, shapes_g, "fast")
    reference, _, _ = run_engine(graph, shapes_g, "pyshacl")
    assert used == "fast"
    assert sorted(map(result_key, fast)) == sorted(map(result_key, reference))
    without_english = {
        row["goal"].value
        for row in graph.select(
            "SELECT ?goal WHERE { ?goal a gg:CouncilGoal ; rdfs:label ?label . "
            "FILTER NOT EXISTS { ?goal rdfs:label ?en . FILTER(LANGMATCHES(LANG(?en), 'en')) } }",
            graphs=("data",),
        )
    }
    assert len(without_english) >= 3
    assert {str(r.focus) for r in fast} == without_english


def test_sparql_component_in_a_nested_shape_is_declined_by_fast_and_run_by_auto(
    tmp_path: Path,
) -> None:
    """A component inside sh:node is not compiled: fast declines; auto runs that shape with
    pySHACL and the other shapes itself, with pySHACL's results for all of them."""
    nested = tmp_path / "nested.ttl"
    nested.write_text(
        (DATA / "components.ttl").read_text(encoding="utf-8")
        + "\nex:Outer a sh:NodeShape ; sh:targetClass gg:CouncilGoal ; sh:node ex:Inner .\n"
        'ex:Inner a sh:NodeShape ; sh:property [ sh:path rdfs:label ; ex:lang "sv" ] .\n',
        encoding="utf-8",
    )
    with pytest.raises(Unsupported, match="nested"):
        compile_shapes(shapes_graph([nested]))
    data = load(DATA / "data.ttl", vocabulary=False)
    report = validate(data, shapes=[nested], engine="auto")
    assert (report.engine, report.pyshacl_shapes) == ("fast", (EX + "Outer",))
    reference = validate(data, shapes=[nested], engine="pyshacl")
    # the same findings, but for the ASK validator's, whose value pySHACL leaves out
    differing = {r for r in report if r.id not in {x.id for x in reference}}
    differing |= {r for r in reference if r.id not in {x.id for x in report}}
    assert {str(r.constraint_component).rsplit("#", 1)[-1] for r in differing} <= {
        "MinLengthComponent"
    }
    assert ("english", "NodeConstraintComponent", "english") in {
        (
            str(r.focus_node).removeprefix(EX),
            str(r.constraint_component).rsplit("#", 1)[-1],
            str(r.value).removeprefix(EX),
        )
        for r in report
    }


@pytest.mark.parametrize("engine", ["fast", "auto"])
def test_this_only_in_filter_union_or_bind_is_prebound(engine: str) -> None:
    """$this inside FILTER NOT EXISTS, a UNION branch or an early BIND has the focus node's value.

    (pySHACL adds a result for the early BIND, whose ``?value`` it takes from an unbound run.)
    """
    assert _findings(DATA / "prebinding.ttl", engine) == {
        ("unlabelled", "SPARQLConstraintComponent", "unlabelled"),
        ("english", "SPARQLConstraintComponent", "english"),
        ("swedish", "SPARQLConstraintComponent", "2023-01-01"),
    }


def test_constraints_needing_prebinding_run_per_focus_and_goalgraphs_own_run_setwise() -> None:
    """Only queries where a join differs from pre-binding run per focus node; goalgraph's
    own SHACL-SPARQL constraints, and its SPARQL-based component, run set-wise."""
    own = compile_shapes(shapes_graph())
    sparql = [c for c in own if c.component == SH.SPARQLConstraintComponent or c.prebound]
    assert len(sparql) >= 9
    assert any(c.prebound for c in sparql)
    assert not any(c.per_focus for c in sparql)
    prebinding = compile_shapes(shapes_graph([DATA / "prebinding.ttl"]))
    assert [c.per_focus for c in prebinding] == [True, True, True]


_RESTRICTED = {
    "MINUS": "SELECT $this WHERE { $this ?p ?o . MINUS { $this a ?c } }",
    "VALUES": "SELECT $this WHERE { VALUES ?o { 1 } $this ?p ?o }",
    "SERVICE": "SELECT $this WHERE { $this ?p ?o . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "assigned": "SELECT $this WHERE { BIND (<urn:x> AS $this) }",
    "sub-select": "SELECT $this WHERE { $this ?p ?o . { SELECT ?o WHERE { ?s ?q ?o } } }",
}


def _restricted_shapes(tmp_path: Path, query: str) -> Path:
    path = tmp_path / "restricted.ttl"
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:shape:Restricted> a sh:NodeShape ; "
        "sh:targetClass <https://w3id.org/goalgraph/ontology#CouncilGoal> ;\n"
        f'    sh:sparql [ sh:select """{query}""" ] .\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("construct", sorted(_RESTRICTED))
def test_queries_breaking_the_prebinding_restrictions_make_the_shapes_an_error(
    construct: str, engine: str, tmp_path: Path
) -> None:
    """MINUS, VALUES, SERVICE, AS $this and narrow sub-selects are refused by every engine."""
    shapes = _restricted_shapes(tmp_path, _RESTRICTED[construct])
    with pytest.raises(ShapesError) as raised:
        validate(load(DATA / "data.ttl", vocabulary=False), shapes=[shapes], engine=engine)  # type: ignore[arg-type]
    if engine != "pyshacl" or construct == "SERVICE":
        assert "urn:shape:Restricted" in str(raised.value)


def test_our_own_not_exists_rewrite_is_not_taken_for_a_users_minus() -> None:
    """goalgraph's shapes, whose NOT EXISTS the compiler turns into MINUS, stay valid."""
    report = validate(load(DATA / "data.ttl"), engine="fast")
    assert report.engine == "fast"


def test_service_in_a_rule_is_refused_before_pyshacl_runs(tmp_path: Path) -> None:
    """A SPARQL rule reaching out with SERVICE is an error: a rule must not reach the network."""
    rule = tmp_path / "rule.ttl"
    rule.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:shape:Ruled> a sh:NodeShape ; sh:targetNode <urn:x> ;\n"
        '    sh:rule [ a sh:SPARQLRule ; sh:construct """CONSTRUCT { $this <urn:p> ?o } '
        'WHERE { SERVICE <http://127.0.0.1:9/sparql> { $this <urn:p> ?o } }""" ] .\n',
        encoding="utf-8",
    )
    with pytest.raises(ShapesError, match="SERVICE"):
        validate(load(DATA / "data.ttl", vocabulary=False), shapes=[rule], engine="pyshacl")


@pytest.mark.parametrize("engine", ENGINES)
def test_prefixes_are_found_through_owl_imports(engine: str) -> None:
    """sh:prefixes declarations reached through owl:imports in the shapes graph are used."""
    assert _findings(DATA / "prefixes.ttl", engine) == {
        ("english", "SPARQLConstraintComponent", "english")
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_malformed_sparql_is_a_shapes_error_not_a_crash(engine: str, tmp_path: Path) -> None:
    """A query that does not parse (an undeclared prefix) raises ShapesError."""
    shapes = _restricted_shapes(tmp_path, "SELECT $this WHERE { $this a undeclared:Thing }")
    with pytest.raises(ShapesError):
        validate(load(DATA / "data.ttl", vocabulary=False), shapes=[shapes], engine=engine)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "place", "english"),
    [("sv", "rad 4, kolumn 3", False), ("en", "line 4, column 3", True)],
)
def test_malformed_sparql_names_its_place_in_the_users_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, place: str, english: bool
) -> None:
    """A shape's query that does not parse names the shape and the line and column in the
    query, worded in the user's language (no parser's "line:3, col:5" in a Swedish message)."""
    monkeypatch.setenv("GOALGRAPH_LANG", lang)
    shapes = _restricted_shapes(tmp_path, "SELECT $this WHERE {\n  $this a ?t .\n  FILTER(?t >\n}")
    with pytest.raises(ShapesError) as raised:
        validate(load(DATA / "data.ttl", vocabulary=False), shapes=[shapes], engine="auto")
    text = str(raised.value)
    assert "urn:shape:Restricted" in text
    assert place in text
    assert ("line" in text) == english and ("col:" not in text)


def test_blank_focus_node_needing_prebinding_is_declined_by_fast(tmp_path: Path) -> None:
    """A blank focus node cannot be pre-bound in SPARQL text: fast declines, auto uses pySHACL."""
    data = tmp_path / "blank.ttl"
    data.write_text("[] a <https://w3id.org/goalgraph/ontology#CouncilGoal> .\n", encoding="utf-8")
    graph = load(data, vocabulary=False)
    with pytest.raises(GoalGraphError) as raised:
        validate(graph, shapes=[DATA / "prebinding.ttl"], engine="fast")
    assert isinstance(raised.value.__cause__, Unsupported)
    report = validate(graph, shapes=[DATA / "prebinding.ttl"], engine="auto")
    assert report.engine == "pyshacl"
    assert EX + "LabelledShape" in {str(r.source_shape) for r in report}


def test_cli_reports_an_ill_formed_shapes_graph_in_one_paragraph(tmp_path: Path) -> None:
    """`goalgraph validate --shapes` with a MINUS query exits 2 with a message, no traceback."""
    shapes = _restricted_shapes(tmp_path, _RESTRICTED["MINUS"])
    result = run_cli("validate", str(DATA / "data.ttl"), "--shapes", str(shapes))
    assert result.returncode == 2
    assert "MINUS" in result.stderr
    assert "Traceback" not in result.stderr


def test_prebinding_puts_the_values_row_in_every_group_but_subselect_wrappers() -> None:
    """Marks go after each group's brace; strings, IRIs and comments are left alone."""
    query = 'SELECT $this WHERE { { FILTER ($this = "{") } UNION { SELECT $this WHERE { } } } # {'
    marked = mark_groups(query)
    assert marked.count("%%PREBIND%%") == 3
    text = prebind(marked, [("this", ox.NamedNode("urn:a"))])
    assert text.count("VALUES (?this) { (<urn:a>) }") == 3
    assert '"{"' in text


@pytest.mark.parametrize(
    "name",
    [
        "goalgraph.validation._sparql_prebinding",
        "goalgraph.validation._sparql_components",
        "goalgraph.validation._sparql",
    ],
)
def test_docstring_examples_of_the_sparql_modules_pass(name: str) -> None:
    """Every >>> example of the SHACL-SPARQL modules runs as written."""
    results = doctest.testmod(importlib.import_module(name), verbose=False, report=False)
    assert results.failed == 0


def test_keywords_inside_names_strings_and_iris_are_not_restricted(tmp_path: Path) -> None:
    """?values, minus:service, "SERVICE" and <urn:VALUES> are names, not forbidden keywords.

    (pySHACL refuses this query: it looks for the word MINUS anywhere in the text.)
    """
    shapes = tmp_path / "names.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:shape:Names> a sh:NodeShape ; "
        "sh:targetClass <https://w3id.org/goalgraph/ontology#CouncilGoal> ;\n"
        '    sh:sparql [ sh:prefixes [ sh:declare [ sh:prefix "minus" ; '
        'sh:namespace "urn:minus:" ] ] ; sh:select """SELECT $this ?values WHERE {\n'
        '        $this minus:service ?values . FILTER (?values != "SERVICE") # VALUES\n'
        '        FILTER NOT EXISTS { $this <urn:VALUES> ?minus } }""" ] .\n',
        encoding="utf-8",
    )
    for engine in ("fast", "auto"):
        report = validate(load(DATA / "data.ttl", vocabulary=False), shapes=[shapes], engine=engine)  # type: ignore[arg-type]
        assert report.conforms


@pytest.mark.parametrize("engine", ["fast", "auto"])
def test_query_only_pyoxigraph_rejects_is_a_shapes_error_naming_the_shape(
    engine: str, tmp_path: Path
) -> None:
    """BIND to a bound variable passes rdflib, not pyoxigraph: ShapesError, not SyntaxError."""
    shapes = _restricted_shapes(tmp_path, "SELECT $this WHERE { $this ?p ?o . BIND (1 AS ?o) }")
    with pytest.raises(ShapesError, match="urn:shape:Restricted"):
        validate(load(DATA / "data.ttl", vocabulary=False), shapes=[shapes], engine=engine)  # type: ignore[arg-type]


def test_one_prefix_declared_with_two_namespaces_is_a_shapes_error(tmp_path: Path) -> None:
    """Two sh:declare of ex: with different namespaces leave the query ambiguous: ShapesError."""
    shapes = tmp_path / "conflict.ttl"
    shapes.write_text(
        (DATA / "prefixes.ttl").read_text(encoding="utf-8")
        + '\nex:Prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "urn:other#" ] .\n',
        encoding="utf-8",
    )
    with pytest.raises(ShapesError, match="urn:other#"):
        validate(load(DATA / "data.ttl", vocabulary=False), shapes=[shapes], engine="fast")


#: Queries over ex:p / ex:q; for each, where parse() says set-wise, the join must equal pre-binding.
_SHAPED_QUERIES = [
    "SELECT $this ?o WHERE { $this ex:p ?o }",
    "SELECT $this WHERE { $this ex:p ?o . FILTER NOT EXISTS { $this ex:q ?o } }",
    "SELECT $this ?o WHERE { $this ex:p ?o . OPTIONAL { ?o ex:q ?x . FILTER(?x != $this) } }",
    "SELECT $this ?o WHERE { { $this ex:p ?o } UNION { $this ex:q ?o } }",
    "SELECT $this WHERE { $this (ex:p|ex:q)+ $this }",
    "SELECT $this ?o WHERE { $this ex:p ?o . BIND ($this AS ?s) FILTER (?s != ?o) }",
    "SELECT $this WHERE { FILTER NOT EXISTS { $this ex:p ?o } }",
    "SELECT $this WHERE { { FILTER (false) } UNION { $this ex:p ?o } }",
    "SELECT $this ?o WHERE { OPTIONAL { $this ex:p ?o } }",
    "SELECT $this ?o WHERE { ?o ex:q ?z . { $this ex:p ?o } }",
    "SELECT $this WHERE { $this ex:p ?o . { FILTER ($this != ?o) } }",
]
_NODES = [f"<urn:n{i}>" for i in range(4)]


@settings(deadline=None, max_examples=40)
@given(
    st.sets(
        st.tuples(
            st.sampled_from(_NODES), st.sampled_from(["ex:p", "ex:q"]), st.sampled_from(_NODES)
        ),
        max_size=8,
    )
)
def test_setwise_join_equals_prebinding_wherever_it_is_chosen(
    triples: set[tuple[str, ...]],
) -> None:
    """For every query the analysis runs set-wise, the join gives the pre-bound answer."""
    from goalgraph.validation._sparql_prebinding import parse

    store = ox.Store()
    header = "PREFIX ex: <urn:ex:>\n"
    if triples:
        store.update(
            header + "INSERT DATA { " + " ".join(f"{s} {p} {o} ." for s, p, o in triples) + " }"
        )
    focus = f"VALUES ?this {{ {' '.join(_NODES)} }}"
    for query in _SHAPED_QUERIES:
        if not parse(header + query, frozenset({"this"}), "test").setwise:
            continue
        joined = {
            tuple(str(row[v]) for v in ("this", "o") if v in query)
            for row in store.query(f"{header}SELECT * WHERE {{ {focus} {{ {query} }} }}")
        }
        prebound = set()
        for node in _NODES:
            text = prebind(mark_groups(header + query), [("this", ox.NamedNode(node[1:-1]))])
            prebound |= {
                tuple(
                    str(row[v]) if row[v] is not None else "None"
                    for v in ("this", "o")
                    if v in query
                )
                for row in store.query(text)
            }
        assert joined == prebound, query


def test_setwise_is_chosen_for_the_join_safe_queries_only() -> None:
    """Queries binding $this by a pattern in every group using it run set-wise, others not."""
    from goalgraph.validation._sparql_prebinding import parse

    header = "PREFIX ex: <urn:ex:>\n"
    chosen = [parse(header + q, frozenset({"this"}), "test").setwise for q in _SHAPED_QUERIES]
    assert chosen == [True] * 6 + [False] * 3 + [True, False]
