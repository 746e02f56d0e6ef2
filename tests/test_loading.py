"""Loading RDF sources: formats, folders, rdflib graphs, clear errors, never the network."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any, NoReturn

import pyoxigraph as ox
import pytest
import rdflib

from goalgraph import GoalGraph, LoadError, load
from goalgraph import loading as loading_module
from goalgraph.loading import parse_file

DATA = Path(__file__).parent / "data" / "loading"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to open a socket fail the test."""

    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        pytest.fail("loading tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_no_network_fixture_really_blocks_sockets(no_network: None) -> None:
    """The guard used below fails a test that opens a socket, so it can prove its point."""
    with pytest.raises(pytest.fail.Exception):
        socket.create_connection(("example.org", 80))


def test_turtle_file_is_loaded_beside_the_vocabulary() -> None:
    """A Turtle file's triples land in the data graph; the vocabulary is loaded separately."""
    graph = load(DATA / "good.ttl")
    assert len(graph) == 3
    assert graph.count("vocabulary") > 9000


def test_load_without_vocabulary_has_only_the_data() -> None:
    """vocabulary=False gives a graph with the user's data only."""
    graph = load(DATA / "good.ttl", vocabulary=False)
    assert (len(graph), graph.count("vocabulary")) == (3, 0)


@pytest.mark.parametrize(
    ("lang", "where", "english"),
    [
        ("sv", "malformed.ttl, rad 6, kolumn 1: Syntaxfel", False),
        ("en", "malformed.ttl, line 6, column 1: Syntax error", True),
    ],
)
def test_malformed_turtle_names_file_line_and_column_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch, lang: str, where: str, english: bool
) -> None:
    """A Turtle syntax error raises LoadError with the file, line and column in sv or en words."""
    monkeypatch.setenv("GOALGRAPH_LANG", lang)
    with pytest.raises(LoadError) as caught:
        load(DATA / "malformed.ttl")
    assert caught.value.path is not None and caught.value.path.endswith("malformed.ttl")
    assert (caught.value.line, caught.value.column) == (6, 1)
    assert where in str(caught.value)
    # the parser's own words stay, its English "at line 6" does not
    assert "A dot is expected at the end of statements" in str(caught.value)
    assert ("line 6" in str(caught.value)) is english
    assert "Parser error" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_error_message_follows_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The LoadError message is Swedish by default and English with GOALGRAPH_LANG=en."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)
    with pytest.raises(LoadError, match="Syntaxfel"):
        load(DATA / "malformed.ttl")
    monkeypatch.setenv("GOALGRAPH_LANG", "en")
    with pytest.raises(LoadError, match="Syntax error"):
        load(DATA / "malformed.ttl")


def test_jsonld_with_remote_context_is_refused_without_network(no_network: None) -> None:
    """A JSON-LD document whose @context is a URL is refused and no socket is opened."""
    with pytest.raises(LoadError, match=r"remote-context\.jsonld"):
        load(DATA / "remote-context.jsonld", vocabulary=False)


def test_jsonld_with_embedded_context_is_loaded(no_network: None) -> None:
    """A JSON-LD document with an embedded @context loads offline."""
    graph = load(DATA / "embedded-context.jsonld", vocabulary=False)
    assert graph.labels(ox.NamedNode("https://example.org/a")) == {"sv": "Ett mål"}


def test_rdfxml_with_external_entity_is_refused(no_network: None) -> None:
    """RDF/XML that declares an external entity is refused; the entity is never read."""
    with pytest.raises(LoadError, match=r"external-entity\.rdf") as caught:
        load(DATA / "external-entity.rdf", vocabulary=False)
    assert "root:" not in str(caught.value)


def test_rdfxml_with_external_dtd_is_loaded_without_fetching_it(no_network: None) -> None:
    """An external DTD reference is ignored, not fetched."""
    graph = load(DATA / "external-dtd.rdf", vocabulary=False)
    assert len(graph) == 1


def test_plain_rdfxml_is_loaded() -> None:
    """An ordinary RDF/XML file loads."""
    assert len(load(DATA / "valid.rdf", vocabulary=False)) == 1


def test_owl_imports_is_not_followed(no_network: None) -> None:
    """owl:imports of a remote ontology is kept as a triple and never fetched."""
    graph = load(DATA / "owl-imports.ttl", vocabulary=False)
    assert len(graph) == 2


def test_non_utf8_file_names_file_and_line() -> None:
    """A Latin-1 file raises LoadError naming the file and the line of the first bad byte."""
    with pytest.raises(LoadError, match="UTF-8") as caught:
        load(DATA / "latin1.ttl", vocabulary=False)
    assert caught.value.path is not None and caught.value.path.endswith("latin1.ttl")
    assert caught.value.line == 2


def test_missing_file_is_a_load_error() -> None:
    """A path that does not exist raises LoadError naming it."""
    with pytest.raises(LoadError, match=r"no-such-file\.ttl"):
        load(DATA / "no-such-file.ttl")


def test_unknown_suffix_is_a_load_error() -> None:
    """A file whose suffix names no RDF format raises LoadError."""
    with pytest.raises(LoadError, match=r"unknown-suffix\.xyz"):
        load(DATA / "unknown-suffix.xyz")


def test_explicit_format_overrides_the_suffix() -> None:
    """parse_file reads a file with an unknown suffix when given its format."""
    triples = parse_file(DATA / "unknown-suffix.xyz", format=ox.RdfFormat.N_TRIPLES)
    assert len(triples) == 1


def test_folder_loads_every_rdf_file_below_it() -> None:
    """A folder source loads every RDF file in it and its sub-folders, and skips other files."""
    graph = load(DATA / "folder", vocabulary=False)
    labels = {row["l"].value for row in graph.select("SELECT ?l WHERE { ?s rdfs:label ?l }")}
    assert labels == {"ett", "två"}


def test_rdflib_graph_is_a_source() -> None:
    """An rdflib Graph is loaded like a file, literals and all."""
    source = rdflib.Graph()
    source.add(
        (
            rdflib.URIRef("https://example.org/g"),
            rdflib.RDFS.label,
            rdflib.Literal("mål", lang="sv"),
        )
    )
    graph = load(source, DATA / "good.ttl", vocabulary=False)
    assert len(graph) == 4
    assert graph.labels(rdflib.URIRef("https://example.org/g")) == {"sv": "mål"}


def test_failed_load_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """When one source is bad, the graph being built receives none of the good sources' triples."""
    built: list[GoalGraph] = []

    class RecordingGraph(GoalGraph):
        def __init__(self) -> None:
            super().__init__()
            built.append(self)

    monkeypatch.setattr(loading_module, "GoalGraph", RecordingGraph)
    with pytest.raises(LoadError):
        load(DATA / "good.ttl", DATA / "folder", DATA / "malformed.ttl", vocabulary=False)
    assert len(built) == 1 and len(built[0]) == 0


def test_parse_file_returns_triples_of_a_good_file() -> None:
    """parse_file gives the triples of one file."""
    assert len(parse_file(DATA / "good.ttl")) == 3
