"""Literals as written: the ledger keeps what the store rewrites, and every writer puts it back."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from goalgraph import load
from goalgraph.graph import DATA_GRAPH, VOCABULARY_GRAPH, GoalGraph
from goalgraph.ledger import LiteralLedger, load_recording, may_have_blank_nodes
from goalgraph.literals import XSD

DATA = Path(__file__).parent / "data" / "literals"
REWRITTEN = DATA / "rewritten.ttl"
EX = "https://example.org/"


def _written(path: Path) -> set[tuple[str, str, str]]:
    """The (subject, predicate, object) of a file as its parser reads it, lexical forms kept."""
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
    }


def _serialised(text: str) -> set[tuple[str, str, str]]:
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    }


def _decimal(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))


def test_store_rewrites_the_literals_of_the_issue() -> None:
    """The store itself keeps "1.5" for "1.50" and xsd:integer for "300"^^xsd:byte (the cause)."""
    graph = load(REWRITTEN, vocabulary=False)
    stored = {str(t.object) for t in graph.triples()}
    assert '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>' in stored
    assert '"300"^^<http://www.w3.org/2001/XMLSchema#integer>' in stored
    assert '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>' not in stored


def test_serialize_writes_every_literal_as_written() -> None:
    """N-Triples output holds the file's lexical forms and datatypes, "1.5" and "1.50" both."""
    graph = load(REWRITTEN, vocabulary=False)
    assert _serialised(graph.serialize(format="n-triples")) == _written(REWRITTEN)


def test_to_rdflib_gives_the_literals_as_written() -> None:
    """The rdflib copy (pySHACL's, the export's input) holds "1.50", "01" and "300"^^xsd:byte."""
    rdf = load(REWRITTEN, vocabulary=False).to_rdflib()
    objects = {o.n3() for o in rdf.objects()}
    assert '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>' in objects
    assert '"01"^^<http://www.w3.org/2001/XMLSchema#integer>' in objects
    assert '"300"^^<http://www.w3.org/2001/XMLSchema#byte>' in objects
    assert len(rdf) == len(_written(REWRITTEN))


def test_blank_node_subjects_keep_their_literals_as_written(tmp_path: Path) -> None:
    """A file with blank nodes is parsed once and added with its own blank nodes, originals kept."""
    source = tmp_path / "blank.ttl"
    source.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '[] <https://example.org/p> "1.50"^^xsd:decimal , "1.500"^^xsd:decimal .\n'
        '[] <https://example.org/p> "2.0"^^xsd:decimal .\n',
        encoding="utf-8",
    )
    text = load(source, vocabulary=False).serialize(format="n-triples")
    values = sorted(t[2] for t in _serialised(text))
    assert [v.split('"')[1] for v in values] == ["1.50", "1.500", "2.0"]


def test_quad_formats_keep_their_literals_as_written(tmp_path: Path) -> None:
    """N-Quads go through the parser's triples, and keep their lexical forms too."""
    source = tmp_path / "data.nq"
    decimal = f"<{XSD}decimal>"
    source.write_text(f'<{EX}s> <{EX}p> "01.10"^^{decimal} <{EX}g> .\n', encoding="utf-8")
    assert '"01.10"' in load(source, vocabulary=False).serialize(format="n-triples")


def test_add_keeps_literals_as_written_and_merged_ones_apart() -> None:
    """GoalGraph.add (spreadsheets, rdflib graphs) records "1.50" next to a written "1.5"."""
    graph = GoalGraph()
    s, p = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    graph.add([ox.Triple(s, p, _decimal("1.5"))])
    graph.add([ox.Triple(s, p, _decimal("1.50"))])
    assert len(graph) == 1  # the store merged the two
    assert sorted(t.object.value for t in graph.triples(as_written=True)) == ["1.5", "1.50"]


def test_add_rdflib_keeps_literals_as_written() -> None:
    """An rdflib graph added to a goal graph comes back with its lexical forms."""
    source = rdflib.Graph()
    datatype = rdflib.URIRef(XSD + "integer")
    source.add(
        (
            rdflib.URIRef(EX + "s"),
            rdflib.URIRef(EX + "p"),
            rdflib.Literal("007", datatype=datatype, normalize=False),
        )
    )
    graph = GoalGraph()
    graph.add_rdflib(source)
    assert {o.n3() for o in graph.to_rdflib().objects()} == {f'"007"^^<{XSD}integer>'}


def test_clear_forgets_the_originals_of_the_cleared_graph() -> None:
    """After clear("data") a newly added canonical "1.5" is not reported as "1.50"."""
    graph = GoalGraph()
    s, p = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    graph.add([ox.Triple(s, p, _decimal("1.50"))])
    graph.clear("data")
    graph.add([ox.Triple(s, p, _decimal("1.5"))])
    assert [t.object.value for t in graph.triples(as_written=True)] == ["1.5"]


def test_inferred_graph_has_its_own_ledger() -> None:
    """A literal added to the inferred graph is written as given there, apart from the data."""
    graph = GoalGraph()
    s, p = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    graph.add([ox.Triple(s, p, _decimal("1.50"))])
    graph.add([ox.Triple(s, p, _decimal("1.500"))], graph="inferred")
    assert [t.object.value for t in graph.triples(("data",), as_written=True)] == ["1.50"]
    assert [t.object.value for t in graph.triples(("inferred",), as_written=True)] == ["1.500"]


def test_second_file_merging_with_the_first_keeps_both(tmp_path: Path) -> None:
    """A later file's "1.50" beside an earlier file's "1.5" of the same triple keeps both."""
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    decimal = f"<{XSD}decimal>"
    first.write_text(f'<{EX}s> <{EX}p> "1.5"^^{decimal} .\n', encoding="utf-8")
    second.write_text(f'<{EX}s> <{EX}p> "1.50"^^{decimal} .\n', encoding="utf-8")
    graph = load(first, second, vocabulary=False)
    assert sorted(t.object.value for t in graph.triples(as_written=True)) == ["1.5", "1.50"]


@pytest.mark.parametrize("blank", [False, True])
def test_second_file_writing_the_stored_form_of_an_earlier_rewrite_keeps_both(
    tmp_path: Path, blank: bool
) -> None:
    """An earlier file's "1.50" (stored as "1.5") and a later file's "1.5" as such: both come
    back, through the bulk load and through the blank-node path alike (found by the
    hypothesis test of the tables: pySHACL saw one value where two were written)."""
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    decimal = f"<{XSD}decimal>"
    extra = " [] <urn:ex:q> 1 ." if blank else ""
    first.write_text(f'<{EX}s> <{EX}p> "1.50"^^{decimal} .{extra}\n', encoding="utf-8")
    second.write_text(f'<{EX}s> <{EX}p> "1.5"^^{decimal} .{extra}\n', encoding="utf-8")

    def values(graph: GoalGraph) -> list[str]:
        found = graph.triples(as_written=True)
        return sorted(t.object.value for t in found if t.predicate.value == EX + "p")

    assert values(load(first, second, vocabulary=False)) == ["1.5", "1.50"]
    assert values(load(second, vocabulary=False)) == ["1.5"]


def test_written_literal_after_its_rewritten_twin_in_one_file_is_kept(tmp_path: Path) -> None:
    """Within one file, "1.50" then "1.5" of one subject and property both come back."""
    source = tmp_path / "twins.nt"
    decimal = f"<{XSD}decimal>"
    source.write_text(
        f'<{EX}s> <{EX}p> "1.50"^^{decimal} .\n<{EX}s> <{EX}p> "1.5"^^{decimal} .\n'
        f'<{EX}t> <{EX}p> "1.50"^^{decimal} .\n',
        encoding="utf-8",
    )
    graph = load(source, vocabulary=False)
    found = sorted((t.subject.value, t.object.value) for t in graph.triples(as_written=True))
    assert found == [(EX + "s", "1.5"), (EX + "s", "1.50"), (EX + "t", "1.50")]


def test_ill_formed_literals_are_recorded_as_written() -> None:
    """The ledger lists "c"^^xsd:byte, "2019-04-31"^^xsd:date and " 5"^^xsd:integer."""
    graph = load(REWRITTEN, vocabulary=False)
    ill = {str(o) for o in graph.literals.ill_formed([DATA_GRAPH])}
    assert f'"c"^^<{XSD}byte>' in ill
    assert f'"2019-04-31"^^<{XSD}date>' in ill
    assert f'" 5"^^<{XSD}integer>' in ill
    assert f'"1.50"^^<{XSD}decimal>' not in ill


def test_ill_formed_literals_can_be_asked_for_by_datatype() -> None:
    """With datatypes, the ledger lists only the ill-formed literals of those datatypes."""
    graph = load(REWRITTEN, vocabulary=False)
    dates = graph.literals.ill_formed([DATA_GRAPH], datatypes=[XSD + "date"])
    assert {str(o) for o in dates} == {f'"2019-04-31"^^<{XSD}date>'}
    assert graph.literals.ill_formed([DATA_GRAPH], datatypes=[XSD + "gYear"]) == set()


def test_packaged_vocabulary_needs_no_ledger() -> None:
    """The ontology and reference data hold no literal the store rewrites or that is ill-formed.

    That is why loading leaves the vocabulary graph out of the ledger.
    """
    from goalgraph import resources

    ledger, store = LiteralLedger(), ox.Store()
    for path in resources.vocabulary_files():
        format = ox.RdfFormat.from_extension(path.suffix[1:])
        assert format is not None
        load_recording(
            store,
            ledger,
            path.read_bytes(),
            format=format,
            base_iri=None,
            to_graph=VOCABULARY_GRAPH,
        )
    assert ledger.rewritten([VOCABULARY_GRAPH]) == {}
    assert ledger.ill_formed([VOCABULARY_GRAPH]) == set()


def test_a_graph_over_an_existing_store_knows_its_ill_formed_literals() -> None:
    """GoalGraph(store) records the ill-formed literals already there (originals are lost)."""
    store = ox.Store()
    bad = ox.Literal("2019-04-31", datatype=ox.NamedNode(XSD + "date"))
    store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), bad, DATA_GRAPH))
    assert GoalGraph(store).literals.ill_formed([DATA_GRAPH]) == {bad}


@pytest.mark.parametrize("example", ["vetlanda", "vaggeryd", "norberg"])
def test_examples_round_trip_through_the_ledger_unchanged(example: str) -> None:
    """Each shipped example's Turtle comes back from load → serialize with the same literals."""
    path = Path(__file__).parent.parent / "examples" / example / f"{example}.ttl"
    written = {t for t in _written(path) if t[2].startswith('"')}
    serialised = _serialised(load(path, vocabulary=False).serialize(format="n-triples"))
    assert {t for t in serialised if t[2].startswith('"')} == written


def test_a_file_given_by_path_is_scanned_as_its_bytes_are(tmp_path: Path) -> None:
    """load_recording reads a path itself (for streaming loads) with the same ledger result."""
    from_bytes, from_path = LiteralLedger(), LiteralLedger()
    data = REWRITTEN.read_bytes()
    for ledger, source in ((from_bytes, data), (from_path, REWRITTEN)):
        load_recording(
            ox.Store(),
            ledger,
            source,
            format=ox.RdfFormat.TURTLE,
            base_iri=None,
            to_graph=DATA_GRAPH,
        )
    assert from_path.rewritten([DATA_GRAPH]) == from_bytes.rewritten([DATA_GRAPH]) != {}
    assert from_path.ill_formed([DATA_GRAPH]) == from_bytes.ill_formed([DATA_GRAPH]) != set()


def test_blank_node_marker_split_across_chunks_is_found(tmp_path: Path) -> None:
    """A "_:" that straddles the 1 MiB read boundary still marks the file as having blank nodes."""
    from goalgraph.ledger import may_have_blank_nodes

    source = tmp_path / "big.nt"
    source.write_bytes(b"#" * ((1 << 20) - 1) + b"_:b <a:p> <a:o> .\n")
    assert may_have_blank_nodes(source, ox.RdfFormat.N_TRIPLES)
    source.write_bytes(b"#" * ((1 << 20) - 1) + b"\n<a:s> <a:p> <a:o> .\n")
    assert not may_have_blank_nodes(source, ox.RdfFormat.N_TRIPLES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<urn:s> <urn:p> "Andel (%)"@sv, "[x] _:y" . # a (comment)\n', False),
        ("<urn:s> <urn:p> <urn:a(b)> .\n", False),
        ("<urn:s> <urn:p> ( <urn:a> ) .\n", True),
        ("<urn:s> <urn:p> [ <urn:q> 1 ] .\n", True),
        ('<urn:s> <urn:p> """many\nlines (maybe)""" .\n', True),
    ],
)
def test_brackets_in_strings_iris_and_comments_are_no_blank_nodes(
    tmp_path: Path, text: str, expected: bool
) -> None:
    """Only Turtle syntax outside strings, IRIs and comments sends a file down the slow path."""
    path = tmp_path / "f.ttl"
    path.write_text(text * 3000, encoding="utf-8")  # over one read chunk
    assert may_have_blank_nodes(path, ox.RdfFormat.TURTLE) is expected
