"""The GoalGraph: querying with safe bindings, serialising, converting, labels and named graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from goalgraph import GoalGraph, OutputError, QueryError, load
from goalgraph.errors import UnsupportedTerm
from goalgraph.graph import from_rdflib_term, to_rdflib_term, write_atomically
from goalgraph.namespace import GG, REF, SDG, mint

DATA = Path(__file__).parent / "data" / "loading"
HOSTILE = '" } ; DROP ALL ; SELECT * { "'


@pytest.fixture
def chain() -> GoalGraph:
    """A small goal chain with the vocabulary loaded beside it."""
    return load(DATA / "roundtrip.ttl")


def test_select_returns_rows_as_dicts_of_terms(chain: GoalGraph) -> None:
    """select() gives one dict per solution, keyed by variable name."""
    rows = chain.select(
        "SELECT ?goal ?id WHERE { ?goal a gg:CouncilGoal ; dcterms:identifier ?id }"
    )
    assert rows == [
        {"goal": ox.NamedNode(str(mint("0685", "goal", "KF1"))), "id": ox.Literal("KF1")}
    ]


def test_select_binds_an_iri_value(chain: GoalGraph) -> None:
    """A bound rdflib URIRef restricts the query to that IRI."""
    rows = chain.select(
        "SELECT ?goal ?sdg WHERE { ?goal gg:contributesToSDG ?sdg }",
        bindings={"goal": mint("0685", "goal", "KF1")},
    )
    assert [row["sdg"].value for row in rows] == [str(SDG["11.7"])]


def test_hostile_string_binding_is_a_plain_literal(chain: GoalGraph) -> None:
    """A string that looks like SPARQL is matched as a literal and changes nothing."""
    before = len(chain), chain.count("vocabulary")
    rows = chain.select(
        "SELECT ?s ?label WHERE { ?s rdfs:label ?label }", bindings={"label": HOSTILE}
    )
    assert rows == []
    assert (len(chain), chain.count("vocabulary")) == before
    chain.add(
        [
            ox.Triple(
                ox.NamedNode("https://example.org/x"),
                ox.NamedNode(str(rdflib.RDFS.label)),
                ox.Literal(HOSTILE),
            )
        ]
    )
    rows = chain.select(
        "SELECT ?s ?label WHERE { ?s rdfs:label ?label }", bindings={"label": HOSTILE}
    )
    assert [row["s"].value for row in rows] == ["https://example.org/x"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, "true"), (42, "42"), (42.5, "42.5"), ("KF1", "KF1")],
)
def test_python_values_are_bound_as_typed_literals(value: object, expected: str) -> None:
    """Booleans, ints, floats and strings become literals of the matching XSD type."""
    graph = load(vocabulary=False)
    rows = graph.select("SELECT ?v WHERE {}", bindings={"v": value})  # type: ignore[dict-item]
    assert rows[0]["v"].value == expected


def test_unbindable_value_is_a_query_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A binding of an unsupported type raises QueryError naming the type, in sv and en."""
    with pytest.raises(QueryError, match="typen list kan inte bindas"):
        load(vocabulary=False).select("SELECT ?v WHERE {}", bindings={"v": [1, 2]})  # type: ignore[dict-item]
    monkeypatch.setenv("GOALGRAPH_LANG", "en")
    with pytest.raises(QueryError, match="type list cannot be bound"):
        load(vocabulary=False).select("SELECT ?v WHERE {}", bindings={"v": [1, 2]})  # type: ignore[dict-item]


def test_a_query_that_cannot_run_is_a_query_error_in_the_users_words() -> None:
    """A binding of a variable the query does not project is a QueryError saying what to do."""
    with pytest.raises(QueryError, match=r"går inte att köra: .*\?y.*Rätta frågan"):
        load(vocabulary=False).select("SELECT ?x WHERE {}", bindings={"y": 1})
    assert load(vocabulary=False).select("SELECT ?y WHERE {}", bindings={"y": 1})


def test_select_of_a_query_that_gives_no_rows_is_a_query_error() -> None:
    """select() of an ASK query raises QueryError pointing to query()."""
    with pytest.raises(QueryError, match=r"query\(\)"):
        load(vocabulary=False).select("ASK {}")
    assert load(vocabulary=False).query("ASK {}")


def test_malformed_query_is_a_query_error(chain: GoalGraph) -> None:
    """A SPARQL syntax error raises QueryError, which is also a ValueError."""
    with pytest.raises(QueryError) as caught:
        chain.select("SELECT ?s WHERE { ?s ?p }")
    assert isinstance(caught.value, ValueError)


def test_select_refuses_a_non_select_query(chain: GoalGraph) -> None:
    """select() on an ASK query raises QueryError."""
    with pytest.raises(QueryError, match="SELECT"):
        chain.select("ASK { ?s ?p ?o }")


def test_binding_a_variable_outside_the_projection_is_a_query_error(chain: GoalGraph) -> None:
    """Binding a variable the SELECT does not project raises QueryError, not a raw RuntimeError."""
    with pytest.raises(QueryError):
        chain.select("SELECT ?label WHERE { ?s rdfs:label ?label }", bindings={"s": GG.Goal})


def test_query_can_be_limited_to_some_graphs(chain: GoalGraph) -> None:
    """A query over the data graph alone does not see the vocabulary."""
    ask = "ASK { ?g a sdgo:Goal }"
    assert bool(chain.query(ask)) is True
    assert bool(chain.query(ask, graphs=("data",))) is False


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("turtle", ".ttl"), ("json-ld", ".jsonld"), ("n-triples", ".nt")]
)
def test_serialisation_round_trips_to_an_isomorphic_graph(
    chain: GoalGraph, tmp_path: Path, fmt: str, suffix: str
) -> None:
    """Writing the data and reading it back gives a graph isomorphic to the original."""
    target = tmp_path / f"out{suffix}"
    chain.serialize(format=fmt, destination=target)  # type: ignore[arg-type]
    again = load(target, vocabulary=False)
    assert isomorphic(again.to_rdflib(), chain.to_rdflib())
    assert len(again) == len(chain) == 15


def test_serialisation_is_deterministic() -> None:
    """Two graphs loaded from the same file serialise to identical text."""
    first = load(DATA / "roundtrip.ttl", vocabulary=False).serialize()
    second = load(DATA / "roundtrip.ttl", vocabulary=False).serialize()
    assert first == second
    assert first.index("CouncilGoal") < first.index("TargetLevel")


def test_serialise_writes_only_user_data_by_default(chain: GoalGraph) -> None:
    """The default serialisation holds the user's data, not the vocabulary."""
    text = chain.serialize(format="n-triples")
    assert len(text.splitlines()) == 15


def test_to_rdflib_copies_the_chosen_graphs(chain: GoalGraph) -> None:
    """to_rdflib() gives an rdflib graph of the data, with the goalgraph prefixes bound."""
    copy = chain.to_rdflib()
    assert len(copy) == len(chain)
    assert (rdflib.URIRef(mint("0685", "goal", "KF1")), rdflib.RDF.type, GG.CouncilGoal) in copy
    assert dict(copy.namespaces())["gg"] == rdflib.URIRef(str(GG._NS))
    assert len(chain.to_rdflib(("vocabulary",))) > 9000


def test_labels_are_keyed_by_language(vocabulary: GoalGraph) -> None:
    """labels() gives rdfs:label and skos:prefLabel texts by language tag."""
    assert vocabulary.labels(REF["perspective/leva"]) == {"sv": "Leva", "en": "Thrive"}
    assert vocabulary.labels(GG.CommitteeGoal) == {"sv": "nämndmål", "en": "committee goal"}


def test_labels_of_an_unknown_node_are_empty(vocabulary: GoalGraph) -> None:
    """A node with no label gives an empty dict."""
    assert vocabulary.labels(rdflib.URIRef("https://example.org/nothing")) == {}


def test_clear_empties_one_graph_only(chain: GoalGraph) -> None:
    """clear('data') removes the user's data and leaves the vocabulary."""
    vocabulary_size = chain.count("vocabulary")
    chain.clear("data")
    assert len(chain) == 0
    assert chain.count("vocabulary") == vocabulary_size


def test_add_and_count_per_graph() -> None:
    """Triples added to the inferred graph are counted there and not as data."""
    graph = load(vocabulary=False)
    triple = ox.Triple(
        ox.NamedNode("https://example.org/a"),
        ox.NamedNode(str(rdflib.RDF.type)),
        ox.NamedNode(str(GG.Goal)),
    )
    graph.add([triple], graph="inferred")
    assert (len(graph), graph.count("inferred")) == (0, 1)
    assert list(graph.triples(("inferred",))) == [triple]


@pytest.mark.parametrize(
    "term",
    [
        rdflib.URIRef("https://example.org/a"),
        rdflib.BNode("b1"),
        rdflib.Literal("mål", lang="sv"),
        rdflib.Literal("2026", datatype=rdflib.XSD.gYear),
        rdflib.Literal("plain"),
    ],
)
def test_terms_convert_both_ways(term: rdflib.term.Node) -> None:
    """rdflib and pyoxigraph terms convert into each other without loss."""
    assert to_rdflib_term(from_rdflib_term(term)) == term


def test_a_triple_term_cannot_cross_into_rdflib() -> None:
    """An RDF 1.2 triple term has no rdflib term: UnsupportedTerm names it and what to do."""
    ex = "https://example.org/"
    term = ox.Triple(ox.NamedNode(ex + "b"), ox.NamedNode(ex + "p"), ox.NamedNode(ex + "c"))
    with pytest.raises(UnsupportedTerm, match=r"example.org/b.*--engine fast"):
        to_rdflib_term(term)  # type: ignore[arg-type]  # what a quad's object can be


def test_variables_cannot_be_converted() -> None:
    """An rdflib Variable has no RDF term and raises TypeError."""
    with pytest.raises(TypeError):
        from_rdflib_term(rdflib.Variable("x"))


def test_write_atomically_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    """write_atomically() writes the text and removes its temporary file."""
    target = tmp_path / "out.ttl"
    target.write_text("old", encoding="utf-8")
    write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_write_atomically_to_a_missing_folder_raises(tmp_path: Path) -> None:
    """Writing into a folder that does not exist raises OutputError naming it, creates nothing."""
    with pytest.raises(OutputError, match="missing"):
        write_atomically(tmp_path / "missing" / "out.ttl", "text")
    assert list(tmp_path.iterdir()) == []
