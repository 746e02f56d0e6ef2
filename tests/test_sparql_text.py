"""Tests of goalgraph.sparql_text: SPARQL text masked down to its code, and its keywords."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalgraph.errors import QueryError, ShapesError
from goalgraph.resources import queries_dir, shapes_files
from goalgraph.sparql_text import keywords, masked
from recording_server import RecordingServer

_SERVICE = re.compile(r"\bSERVICE\b")


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "SERVICE <http://h/q> {}" }',
        "SELECT * { ?s ?p 'SERVICE <http://h/q> {}' }",
        'SELECT * { ?s ?p """a "quoted" SERVICE\n on two lines""" }',
        "SELECT * { ?s ?p '''it's SERVICE''' }",
        'SELECT * { ?s ?p "a \\" SERVICE \\" b" }',
        "SELECT * { ?s ?p 'a \\' SERVICE' }",
        "SELECT * { ?s <http://h/SERVICE#x> ?o }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://h/q> {}",
        "SELECT * { ?s ?p ?o # SERVICE\r}",
        'SELECT * { ?s ?p "never closed SERVICE <http://h/q> { }',
    ],
)
def test_keywords_inside_strings_iris_and_comments_are_masked(text: str) -> None:
    """SERVICE in a string (short, long, with escaped quotes), IRI or comment is not code."""
    assert not _SERVICE.search(masked(text))


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "x" . SERVICE <http://h/q> { ?s ?p ?o } }',
        'SELECT * { ?s ?p """SERVICE""" . SERVICE <http://h/q> {} }',
        'SELECT * { ?s ?p "a \\\\" . SERVICE <http://h/q> {} }',
        "SELECT * { ?s ?p ?o # comment\nSERVICE <http://h/q> {} }",
        "SELECT * { ?s ?p ?o # comment\rSERVICE <http://h/q> {} }",
        "SELECT * { ?s ?p <urn:a> SERVICE <http://h/q> {} }",
    ],
)
def test_keywords_in_the_code_around_them_are_kept(text: str) -> None:
    """SERVICE after a string (ending in an escaped backslash), IRI or comment stays code."""
    code = masked(text)
    found = _SERVICE.search(code)
    assert found is not None
    assert text[found.start() : found.end()] == "SERVICE"


def test_an_iri_keeps_its_brackets_and_length() -> None:
    """An IRI reads as one term of the same width, so what follows it stays where it was."""
    assert masked("?s <urn:x#y> { ?o }") == "?s <_______> { ?o }"


def test_a_less_than_sign_is_not_an_iri() -> None:
    """A comparison with spaces around ``<`` is left as code, not masked as an IRI."""
    text = "FILTER (?a < 3 && ?b > 2) { }"
    assert masked(text) == text


def test_an_escaped_character_of_a_prefixed_name_is_masked() -> None:
    """``ex:a\\#b`` is one prefixed name: its ``#`` starts no comment."""
    assert masked("ex:a\\#b SERVICE") == "ex:a__b SERVICE"


@given(st.text(alphabet=st.sampled_from(list("{}\"'<>#\\\n\r ?$aSE:")), max_size=80))
def test_masking_keeps_every_position_and_changes_only_to_blanks_and_underscores(
    text: str,
) -> None:
    """The masked text has the same length; each character is the text's, a blank or a mask."""
    code = masked(text)
    assert len(code) == len(text)
    assert all(c == t or c in " _" for c, t in zip(code, text, strict=True))
    assert all(text[i] == "{" for i, c in enumerate(code) if c == "{")


def test_the_packaged_queries_and_shapes_keep_balanced_braces_when_masked() -> None:
    """Every packaged .rq query and every SPARQL of the shapes has as many { as } in its code."""
    from rdflib import Graph

    texts = [path.read_text(encoding="utf-8") for path in sorted(queries_dir().glob("*.rq"))]
    for path in shapes_files():
        graph = Graph().parse(path)
        texts += [
            str(o)
            for p, o in graph.predicate_objects()
            if str(p).split("#")[-1] in ("select", "ask", "construct")
        ]
    assert len(texts) > 13
    for text in texts:
        code = masked(text)
        assert code.count("{") == code.count("}") > 0, text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("SELECT * { ?s ?p ?o . SERVICE <http://h/q> {} }", ["SERVICE"]),
        ("SELECT * { ?s ?p ?o.service <http://h/q> {} }", ["service"]),
        ("SELECT * { ?s ?p <urn:o>.SERVICE <http://h/q> {} }", ["SERVICE"]),
        ('SELECT * { ?s ?p "o".SERVICE <http://h/q> {} }', ["SERVICE"]),
        ("SELECT * { ?s ?p ex:.SERVICE <http://h/q> {} }", ["SERVICE"]),
        ("SELECT * { { ?s ?p ?o } MINUS { ?s a ?c } VALUES ?s { 1 } }", ["MINUS", "VALUES"]),
    ],
)
def test_keywords_after_a_triple_or_term_are_found(text: str, found: list[str]) -> None:
    """A keyword after a dot that ends a triple, an IRI or a string is a keyword."""
    assert [m.group(0) for m in keywords(text, "SERVICE", "MINUS", "VALUES")] == found


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service ?values $minus { ?s ?p ?o }",
        "SELECT * { ?s ex:SERVICE service:x ; ex:a.service ex:b.values.minus }",
        "SELECT * { _:b.service ?p ex:a\\.SERVICE }",
        'SELECT * { ?s ?p "SERVICE" , <urn:SERVICE> } # SERVICE',
        "SELECT * { ?s ex:p-SERVICE ex:SERVICE-p }",
    ],
)
def test_words_in_names_strings_iris_and_comments_are_no_keywords(text: str) -> None:
    """Variables, prefixed names (dots too), blank node labels, strings and IRIs hold no keyword."""
    assert keywords(text, "SERVICE", "MINUS", "VALUES") == []


def test_a_shape_with_a_service_right_after_a_dot_is_refused_before_any_request(
    tmp_path: Path,
) -> None:
    """``?o.SERVICE <url>`` in a shape's SPARQL is refused and nothing is fetched."""
    from goalgraph import load, validate

    with RecordingServer(lambda handler: handler.send_error(500)) as server:
        shapes = tmp_path / "shapes.ttl"
        shapes.write_text(
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "<urn:S> a sh:NodeShape ; sh:targetNode <urn:a> ; sh:sparql [ sh:select "
            f'"SELECT $this WHERE {{ $this ?p ?o.SERVICE <{server.url}/q> {{ ?a ?b ?c }} }}" ] .\n',
            encoding="utf-8",
        )
        data = tmp_path / "data.ttl"
        data.write_text("<urn:a> <urn:p> <urn:b> .\n", encoding="utf-8")
        with pytest.raises(ShapesError, match="SERVICE"):
            validate(load(data), shapes=shapes, engine="fast")
        graph = load(data)
        with pytest.raises(QueryError, match="SERVICE"):
            graph.query(f"SELECT * {{ ?s ?p ?o.SERVICE <{server.url}/q> {{ ?a ?b ?c }} }}")
        assert server.requests == []
