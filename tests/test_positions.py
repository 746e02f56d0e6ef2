"""Parser errors split into a place (numbers) and the parser's own words, worded sv or en."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ElementTree
import xml.sax

import pyoxigraph as ox
import pytest
import yaml

from goalgraph.errors import LoadError
from goalgraph.positions import ParserProblem, parser_problem, place


def _raised(action: object) -> BaseException:
    """The exception *action* (a no-argument callable) raises."""
    assert callable(action)
    try:
        action()
    except Exception as exc:
        return exc
    raise AssertionError("nothing was raised")


def _turtle(text: str) -> BaseException:
    return _raised(lambda: list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_turtle("<http://a> <http://b> ."), ParserProblem(". is not a valid RDF object", 1, 23)),
        (
            _turtle('@prefix x: <http://x/> .\nx:a x:b "open\n\n'),
            ParserProblem("Unexpected end of file", 2, 9),
        ),
        (_turtle("ex:a ex:b ex:c ."), ParserProblem("The prefix ex: has not been declared", 1, 1)),
        (
            _raised(lambda: ox.Store().query("SELECT ?x WHERE {\n ?x ?y }")),
            ParserProblem("expected one of LATERAL, SERVICE, [_]", 2, 9),
        ),
        (
            _raised(lambda: yaml.compose("a: 1\n b: 2\n")),
            ParserProblem("mapping values are not allowed here", 2, 3),
        ),
        (
            _raised(lambda: json.loads('{"a": 1,\n}')),
            ParserProblem("Expecting property name enclosed in double quotes", 2, 1),
        ),
        (
            _raised(lambda: xml.sax.parse(io.BytesIO(b"<a>\n  <b></a>"), xml.sax.ContentHandler())),
            ParserProblem("mismatched tag", 2, 8),
        ),
        (
            _raised(lambda: ElementTree.fromstring("<a>\n <<b/></a>")),
            ParserProblem("not well-formed (invalid token)", 2, 3),
        ),
        (ValueError("no place here"), ParserProblem("no place here")),
    ],
)
def test_a_parser_error_gives_its_place_as_numbers_and_its_words_without_the_place(
    error: BaseException, expected: ParserProblem
) -> None:
    """pyoxigraph, SPARQL, YAML, JSON and XML errors lose their English "line N" to numbers."""
    found = parser_problem(error)
    assert found == expected
    assert "line" not in found.detail and "column" not in found.detail


def test_a_yaml_character_error_keeps_its_words_and_leaves_the_place_to_the_caller() -> None:
    """PyYAML's reader error counts characters, not lines: its words come back without a place."""
    found = parser_problem(_raised(lambda: yaml.compose("a: \x07")))
    assert found == ParserProblem(
        "unacceptable character #x0007: special characters are not allowed"
    )


@pytest.mark.parametrize(
    ("line", "column", "lang", "expected"),
    [
        (84, 1, "sv", "rad 84, kolumn 1"),
        (84, 1, "en", "line 84, column 1"),
        (3, None, "sv", "rad 3"),
        (3, None, "en", "line 3"),
        (None, 5, "sv", ""),
    ],
)
def test_a_place_is_worded_in_the_language_asked_for(
    line: int | None, column: int | None, lang: str, expected: str
) -> None:
    """place() says "rad 84, kolumn 1" in Swedish and "line 84, column 1" in English."""
    assert place(line, column, lang=lang) == expected


@pytest.mark.parametrize(
    ("lang", "start"), [("sv", "a.ttl, rad 3, kolumn 7: x"), ("en", "a.ttl, line 3, column 7: x")]
)
def test_a_load_error_names_the_place_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch, lang: str, start: str
) -> None:
    """LoadError's text starts with the file and the place worded in GOALGRAPH_LANG."""
    monkeypatch.setenv("GOALGRAPH_LANG", lang)
    error = LoadError("x", path="a.ttl", line=3, column=7)
    assert (str(error), error.reason, error.column) == (start, "x", 7)


def test_a_load_error_without_a_line_has_no_column_either() -> None:
    """A column without its line places nothing: the text names only the file."""
    error = LoadError("x", path="a.ttl", column=7)
    assert (str(error), error.column) == ("a.ttl: x", None)


def test_a_problem_is_worded_with_its_place_or_without_one() -> None:
    """worded() picks the placed message when the parser gave a line, else the unplaced one,
    in the user's language, with the values both take."""
    placed = ParserProblem("expected GRAPH", line=2, column=5)
    unplaced = ParserProblem("expected GRAPH")
    keys = ("shapes.sparql_syntax_at", "shapes.sparql_syntax")
    assert "rad 2, kolumn 5 i frågan: expected GRAPH" in placed.worded(*keys, where="ex:S")
    assert "rad" not in unplaced.worded(*keys, where="ex:S")
    assert "ex:S går inte att tolka: expected GRAPH" in unplaced.worded(*keys, where="ex:S")
