"""The OWL ontology: it parses, is consistent under HermiT and OWL-RL, and documents every term."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import owlready2
import owlrl
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from goalgraph import load
from goalgraph.loading import parse_file
from goalgraph.namespace import GG
from goalgraph.resources import ONTOLOGY_IRI, ontology_file, vocabulary_files

FRAGMENTS = Path(__file__).parent / "data" / "health"
OWLRL_ERROR = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")


def _ontology_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(ontology_file(), format="turtle")
    return graph


def _terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        s
        for kind in kinds
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, rdflib.URIRef) and s.startswith(str(GG._NS))
    }


def _hermit(paths: Iterable[Path], tmp_path: Path) -> owlready2.World:
    """Load *paths* into a fresh owlready2 world through N-Triples and run HermiT on it."""
    triples = [t for path in paths for t in parse_file(path)]
    ntriples = tmp_path / "ontology.nt"
    ntriples.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    world = owlready2.World()
    ontology = world.get_ontology(ntriples.as_uri()).load()
    with ontology:
        owlready2.sync_reasoner_hermit(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )
    return world


def test_ontology_parses_and_declares_itself() -> None:
    """The ontology file parses and declares an owl:Ontology with labels in sv and en."""
    graph = _ontology_graph()
    ontology = rdflib.URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in graph
    assert {label.language for label in graph.objects(ontology, RDFS.label)} >= {"sv", "en"}
    assert len(_terms(graph)) > 100


def test_ontology_imports_nothing_over_the_network() -> None:
    """The ontology has no owl:imports, so no tool is tempted to fetch anything."""
    assert list(_ontology_graph().objects(None, OWL.imports)) == []


def test_ontology_and_reference_data_are_consistent_under_hermit(tmp_path: Path) -> None:
    """HermiT finds the ontology with all reference data consistent and no class unsatisfiable."""
    world = _hermit(vocabulary_files(), tmp_path)
    assert list(world.inconsistent_classes()) == []


def test_hermit_reports_an_unsatisfiable_class(tmp_path: Path) -> None:
    """A class below two disjoint classes is reported unsatisfiable, so the check above can fail."""
    world = _hermit([ontology_file(), FRAGMENTS / "owl-unsatisfiable-class.ttl"], tmp_path)
    names = {c.iri for c in world.inconsistent_classes()}
    assert "https://example.org/VisionaryGoal" in names


def test_hermit_rejects_an_individual_of_disjoint_classes(tmp_path: Path) -> None:
    """An individual that is both an organisation and a county makes the ontology inconsistent."""
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit([ontology_file(), FRAGMENTS / "owl-inconsistent-individual.ttl"], tmp_path)


def _owlrl_problems(graph: rdflib.Graph) -> list[rdflib.term.Node]:
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return [*graph.subjects(RDF.type, OWL.Nothing), *graph.subjects(RDF.type, OWLRL_ERROR)]


@pytest.mark.slow
def test_owl_rl_closure_of_ontology_and_reference_data_has_no_inconsistency() -> None:
    """The OWL-RL closure of ontology and reference data has no owl:Nothing member and no error."""
    graph = load().to_rdflib(("vocabulary",))
    assert _owlrl_problems(graph) == []


def test_owl_rl_closure_reports_an_individual_of_disjoint_classes() -> None:
    """OWL-RL flags an individual of two disjoint classes, so the check above can fail."""
    graph = _ontology_graph()
    graph.parse(FRAGMENTS / "owl-inconsistent-individual.ttl", format="turtle")
    assert _owlrl_problems(graph) != []


@pytest.mark.parametrize(
    ("predicate", "lang"),
    [(RDFS.label, "sv"), (RDFS.label, "en"), (SKOS.definition, "sv"), (SKOS.definition, "en")],
    ids=["label-sv", "label-en", "definition-sv", "definition-en"],
)
def test_every_term_has_label_and_definition_in_both_languages(
    predicate: rdflib.URIRef, lang: str
) -> None:
    """Every class and property has an rdfs:label and a skos:definition in sv and in en."""
    graph = _ontology_graph()
    missing = sorted(
        term
        for term in _terms(graph)
        if not any(
            isinstance(text, rdflib.Literal) and text.language == lang
            for text in graph.objects(term, predicate)
        )
    )
    assert missing == []


def test_every_property_has_domain_and_range() -> None:
    """Every object and datatype property declares an rdfs:domain and an rdfs:range."""
    graph = _ontology_graph()
    properties = [t for t in _terms(graph) if (t, RDF.type, OWL.Class) not in graph]
    missing = [
        p
        for p in properties
        if graph.value(p, RDFS.domain) is None or graph.value(p, RDFS.range) is None
    ]
    assert properties and missing == []


def test_every_class_except_roots_has_a_super_class_or_is_a_root_on_purpose() -> None:
    """Every gg: class is placed in the hierarchy or is one of the disjoint top-level classes."""
    graph = _ontology_graph()
    classes = {t for t in _terms(graph) if (t, RDF.type, OWL.Class) in graph}
    disjoint_members: set[rdflib.term.Node] = set()
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(axiom, OWL.members)
        disjoint_members.update(rdflib.collection.Collection(graph, members))
    unplaced = {c for c in classes if graph.value(c, RDFS.subClassOf) is None}
    assert unplaced <= disjoint_members
