"""The load's property tables: numbered nodes, columns, class instances, and when they hold."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from goalgraph import load
from goalgraph.errors import LoadError
from goalgraph.graph import DATA_GRAPH, INFERRED_GRAPH, VOCABULARY_GRAPH, GoalGraph
from goalgraph.ledger import LiteralLedger
from goalgraph.literals import RDF, XSD
from goalgraph.property_tables import (
    Column,
    Nodes,
    PropertyTables,
    builtin_shape_paths,
    key,
    shape_paths,
)
from goalgraph.validation._change import Change
from tabled_support import EX, TABLED

GG = "https://w3id.org/goalgraph/ontology#"
SH_PATH = ox.NamedNode("http://www.w3.org/ns/shacl#path")
TYPE = ox.NamedNode(RDF + "type")


def _iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def _decimal(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))


def _triple(s: str, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Triple:
    return ox.Triple(_iri(s), _iri(p), o)


# --- Nodes and Column ------------------------------------------------------------


def test_nodes_number_an_iri_by_its_text_once() -> None:
    """Two NamedNode objects of one IRI get one number, kept as the IRI's text."""
    nodes = Nodes()
    first = nodes.number(_iri("s"))
    assert nodes.number(ox.NamedNode(EX + "s")) == first
    assert nodes.keys[first] == EX + "s"
    assert nodes.number(_iri("t")) != first
    assert len(nodes.keys) == 2


def test_nodes_keep_literals_as_written_apart() -> None:
    """ "1.5" and "1.50" (one value, two lexical forms) and the IRI's text as a string are
    three nodes."""
    nodes = Nodes()
    numbers = {
        nodes.number(_decimal("1.5")),
        nodes.number(_decimal("1.50")),
        nodes.number(ox.Literal(EX + "s")),
        nodes.number(_iri("s")),
    }
    assert len(numbers) == 4
    assert nodes.number(_decimal("1.50")) in numbers
    assert len(nodes.keys) == 4


def test_key_is_the_text_of_an_iri_and_the_term_otherwise() -> None:
    """An IRI is kept as its text; a blank node or literal as the pyoxigraph term."""
    blank = ox.BlankNode("b1")
    assert key(_iri("s")) == EX + "s"
    assert key(blank) == blank
    assert key(ox.Literal("x")) != "x"


def test_column_add_records_subject_and_value_numbers() -> None:
    """A column keeps a triple's subject and value as numbers of its shared nodes."""
    nodes = Nodes()
    column = Column(nodes)
    column.add(_iri("s"), _decimal("1.50"))
    column.add(_iri("s"), _iri("o"))
    assert [nodes.keys[n] for n in column.subjects] == [EX + "s", EX + "s"]
    assert [nodes.keys[n] for n in column.values] == [_decimal("1.50"), EX + "o"]
    assert not column.triple_terms


def test_column_add_flags_a_triple_term_value() -> None:
    """An RDF 1.2 triple term as a value sets the column's triple_terms flag."""
    column = Column(Nodes())
    column.add(_iri("s"), ox.Triple(_iri("a"), _iri("b"), _iri("c")))
    assert column.triple_terms


# --- PropertyTables --------------------------------------------------------------


def test_observe_records_gathered_properties_and_types_only() -> None:
    """Triples and quads of gathered predicates land in their columns, rdf:type in the
    instances; any other predicate is left out."""
    tables = PropertyTables([EX + "p", RDF + "type"])
    tables.observe(
        [
            _triple("s", "p", ox.Literal("x")),
            ox.Quad(_iri("t"), _iri("p"), _iri("o"), _iri("g")),
            _triple("s", "q", ox.Literal("left out")),
            ox.Triple(_iri("s"), TYPE, _iri("C")),
            ox.Triple(_iri("s"), TYPE, _iri("C")),
        ]
    )
    column = tables.column(EX + "p")
    keys = tables.nodes.keys
    assert [(keys[s], keys[v]) for s, v in zip(column.subjects, column.values, strict=True)] == [
        (EX + "s", ox.Literal("x")),
        (EX + "t", EX + "o"),
    ]
    assert ox.Literal("left out") not in tables.nodes.numbers
    # once per rdf:type triple, as documented
    assert [keys[n] for n in tables.instances(EX + "C")] == [EX + "s", EX + "s"]


def test_covers_exactly_the_predicates_with_a_column() -> None:
    """covers is true for a gathered predicate, whose column can be read, and false for any
    other, rdf:type included (its triples are kept as instances, not as a column)."""
    tables = PropertyTables([EX + "p", RDF + "type"])
    assert tables.covers(EX + "p")
    assert not tables.covers(EX + "q")
    for predicate in (EX + "p", EX + "q", RDF + "type"):
        if tables.covers(predicate):
            tables.column(predicate)
    assert not tables.covers(RDF + "type")


def test_column_of_a_predicate_not_gathered_raises_key_error() -> None:
    """column raises KeyError for an ungathered predicate and for rdf:type (not a column)."""
    tables = PropertyTables([EX + "p"])
    assert len(tables.column(EX + "p").subjects) == 0
    with pytest.raises(KeyError):
        tables.column(EX + "q")
    with pytest.raises(KeyError):
        tables.column(RDF + "type")


def test_instances_are_of_the_class_itself_not_its_subclasses() -> None:
    """instances lists the subjects typed with the class alone; an unknown class has none."""
    tables = PropertyTables([])
    tables.observe(
        [
            ox.Triple(_iri("a"), TYPE, _iri("C")),
            ox.Triple(_iri("b"), TYPE, _iri("Sub")),
            ox.Triple(_iri("Sub"), ox.NamedNode(RDF + "subClassOf"), _iri("C")),
        ]
    )
    keys = tables.nodes.keys
    assert [keys[n] for n in tables.instances(EX + "C")] == [EX + "a"]
    assert [keys[n] for n in tables.instances(EX + "Sub")] == [EX + "b"]
    assert len(tables.instances(EX + "Unknown")) == 0
    # a node that is only a subject is no class with instances
    assert len(tables.instances(EX + "a")) == 0


def test_tables_are_current_only_at_the_versions_sealed() -> None:
    """Before seal nothing is current; after, only the very versions sealed are."""
    tables = PropertyTables([])
    assert not tables.current([0, 0])
    assert not tables.graphs
    tables.seal([DATA_GRAPH, VOCABULARY_GRAPH], [3, 1])
    assert tables.graphs == (DATA_GRAPH, VOCABULARY_GRAPH)
    assert tables.current([3, 1])
    assert tables.current((3, 1))
    assert not tables.current([4, 1])
    assert not tables.current([3, 2])
    assert not tables.current([3])


def test_shape_paths_are_iri_paths_sequence_steps_and_subjects_of_targets() -> None:
    """An IRI sh:path, the IRI steps of a sequence path and sh:targetSubjectsOf are
    gathered; an inverse or alternative path is not, nor an IRI in another role."""
    shapes = rdflib.Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/tabled/> .
        ex:S sh:property [ sh:path ex:p ] , [ sh:path ( ex:q [ sh:inversePath ex:r ] ) ] ,
            [ sh:path [ sh:inversePath ex:s ] ] , [ sh:path [ sh:alternativePath ( ex:u ) ] ] ;
            sh:targetSubjectsOf ex:v ; ex:other ex:t .
        """,
    )
    triples = ox.parse(shapes.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
    assert shape_paths(triples) == {EX + "p", EX + "q", EX + "v"}
    assert shape_paths([ox.Triple(_iri("S"), _iri("notPath"), _iri("p"))]) == set()


def test_builtin_shape_paths_are_the_paths_of_goalgraphs_shapes() -> None:
    """The built-in shapes' single-IRI paths are gathered; rdf:type and sh: terms are not."""
    paths = builtin_shape_paths()
    assert GG + "refYear" in paths
    assert all(p.startswith("http") for p in paths)
    assert "http://www.w3.org/ns/shacl#property" not in paths
    assert EX + "any" not in paths


# --- the ledger's change versions ------------------------------------------------


def test_ledger_version_counts_every_write_of_a_graph() -> None:
    """add, record, remove, clear and restore each bump the graph's version; other
    graphs keep theirs."""
    ledger, store = LiteralLedger(), ox.Store()
    graph, other = _iri("g"), _iri("h")
    written = _triple("s", "p", _decimal("1.50"))
    assert ledger.version(graph) == 0
    ledger.add(store, [written], graph=graph)
    assert ledger.version(graph) == 1
    ledger.record([_triple("t", "p", ox.Literal("x"))], graph=graph)
    assert ledger.version(graph) == 2
    ledger.remove(store, [written], graph=graph)
    assert ledger.version(graph) == 3
    ledger.clear(graph)
    assert ledger.version(graph) == 4
    ledger.restore(graph, originals={}, ill_formed=())
    assert ledger.version(graph) == 5
    assert ledger.version(other) == 0


def test_ledger_version_is_unchanged_by_reads() -> None:
    """Reading what the ledger recorded leaves every version as it was."""
    ledger, store = LiteralLedger(), ox.Store()
    graph = _iri("g")
    written = _triple("s", "p", _decimal("1.50"))
    ledger.add(
        store,
        [written, _triple("s", "b", ox.Literal("300", datatype=ox.NamedNode(XSD + "byte")))],
        graph=graph,
    )
    before = ledger.version(graph)
    assert ledger.holds(store, written, graph=graph)
    assert ledger.rewritten([graph])
    assert ledger.ill_formed([graph])
    assert list(ledger.as_written(store.quads_for_pattern(None, None, None, graph), graph))  # type: ignore[arg-type]
    ledger.originals(_triple("s", "p", _decimal("1.5")), graph)
    ledger.stored_form(_decimal("1.50"))
    assert ledger.version(graph) == before


# --- load() and current_tables() --------------------------------------------------


@pytest.fixture
def loaded() -> GoalGraph:
    """data.ttl loaded with the tabled shapes' paths gathered."""
    return load(TABLED / "data.ttl", shapes=[TABLED / "shapes.ttl"])


def test_load_sets_tables_that_are_current(loaded: GoalGraph) -> None:
    """load() seals its tables over the data and vocabulary graphs, and they are current."""
    assert loaded.tables is not None
    assert loaded.tables.graphs == (DATA_GRAPH, VOCABULARY_GRAPH)
    assert loaded.current_tables() is loaded.tables
    keys = loaded.tables.nodes.keys
    column = loaded.tables.column(EX + "two")
    assert sorted((keys[s], keys[v]) for s, v in zip(column.subjects, column.values, strict=True))[
        :2
    ] == [
        (EX + "a", EX + "x"),
        (EX + "b", EX + "x"),
    ]
    assert EX + "b" in {keys[n] for n in loaded.tables.instances(EX + "SubThing")}


def test_tables_are_dropped_after_adding_data(loaded: GoalGraph) -> None:
    """graph.add to the data graph makes current_tables None."""
    loaded.add([_triple("a", "one", _iri("y"))])
    assert loaded.tables is not None
    assert loaded.current_tables() is None


def test_tables_are_dropped_after_adding_vocabulary(loaded: GoalGraph) -> None:
    """graph.add to the vocabulary graph makes current_tables None too (it is validated)."""
    loaded.add([ox.Triple(_iri("z"), TYPE, _iri("Thing"))], graph="vocabulary")
    assert loaded.current_tables() is None


def test_tables_stay_current_after_adding_inferred_triples(loaded: GoalGraph) -> None:
    """Inferred triples are never validated: adding some keeps the tables current."""
    loaded.add([ox.Triple(_iri("z"), TYPE, _iri("Thing"))], graph="inferred")
    assert loaded.literals.version(INFERRED_GRAPH) > 0
    assert loaded.current_tables() is loaded.tables


def test_tables_are_dropped_after_clearing_the_data(loaded: GoalGraph) -> None:
    """graph.clear("data") makes current_tables None; clearing inferred does not."""
    loaded.clear("inferred")
    assert loaded.current_tables() is not None
    loaded.clear("data")
    assert loaded.current_tables() is None


def test_tables_are_dropped_after_a_change_is_applied(loaded: GoalGraph) -> None:
    """Applying a validation Change (a removal and an addition) makes current_tables None."""
    change = Change.checked(
        loaded,
        removed=[_triple("a", "one", _iri("x"))],
        added=[_triple("a", "one", _iri("y"))],
    )
    assert loaded.current_tables() is not None
    change.apply(loaded)
    assert loaded.current_tables() is None


def test_tables_are_dropped_after_a_removal_through_the_ledger(loaded: GoalGraph) -> None:
    """graph.literals.remove of a data triple makes current_tables None."""
    loaded.literals.remove(loaded.store, [_triple("a", "one", _iri("x"))], graph=DATA_GRAPH)
    assert loaded.current_tables() is None


def test_load_keeps_the_literals_of_an_rdf_1_2_reifier_as_written() -> None:
    """A reifier (``<< … >>``, a blank node though the file has no ``_:``, ``[`` or ``(``)
    keeps its "1.50"^^xsd:decimal as written, and the tables hold the store's blank node."""
    graph = load(TABLED / "reified.ttl", shapes=[TABLED / "shapes.ttl"], vocabulary=False)
    amount = ox.NamedNode(EX + "amount")
    written = [t for t in graph.triples(("data",), as_written=True) if t.predicate == amount]
    assert [t.object for t in written] == [_decimal("1.50")]
    assert graph.tables is not None
    keys = graph.tables.nodes.keys
    column = graph.tables.column(EX + "amount")
    assert [keys[n] for n in column.subjects] == [written[0].subject]


def test_load_of_an_rdflib_graph_sets_no_tables() -> None:
    """An rdflib graph among the sources is not parsed by the load's scan: no tables."""
    source = rdflib.Graph().parse(TABLED / "more.ttl")
    assert load(source).tables is None
    assert load(TABLED / "data.ttl", source).current_tables() is None
    assert load(TABLED / "data.ttl").current_tables() is not None


def test_load_with_an_unreadable_shapes_file_names_it(tmp_path: Path) -> None:
    """A shapes file that is missing or malformed raises LoadError naming it."""
    bad = tmp_path / "bad-shapes.ttl"
    bad.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:S> sh:path .\n", encoding="utf-8"
    )
    with pytest.raises(LoadError, match=r"bad-shapes\.ttl"):
        load(TABLED / "data.ttl", shapes=[bad])
    with pytest.raises(LoadError, match=r"missing-shapes\.ttl"):
        load(TABLED / "data.ttl", shapes=[tmp_path / "missing-shapes.ttl"])


def test_a_user_shapes_files_paths_are_gathered(loaded: GoalGraph) -> None:
    """load(shapes=[file]) gathers that file's paths; without it they are not gathered."""
    assert loaded.tables is not None
    assert loaded.tables.covers(EX + "colour")
    assert loaded.tables.covers(EX + "any")
    assert loaded.tables.covers(GG + "refYear")
    plain = load(TABLED / "data.ttl")
    assert plain.tables is not None
    assert not plain.tables.covers(EX + "colour")
    assert plain.tables.covers(GG + "refYear")
