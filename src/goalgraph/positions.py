"""Where in a text a parser found a problem, kept apart from what the problem is.

Parsers word their errors in English with the place inside them: pyoxigraph's
``Parser error at line 3 column 11: Unexpected end``, SPARQL's ``error at 1:26:
expected …``, PyYAML's ``… in "<unicode string>", line 5, column 4``. A Swedish
message must not carry an English "line 3", so :func:`parser_problem` takes the
place out as numbers and keeps the parser's own text without it, and
:func:`place` words the numbers in the message's language.

>>> import pyoxigraph as ox
>>> try:
...     next(ox.parse(b"<http://a> <http://b> .", format=ox.RdfFormat.TURTLE))
... except SyntaxError as exc:
...     found = parser_problem(exc)
>>> (found.line, found.column, found.detail)
(1, 23, '. is not a valid RDF object')
>>> place(found.line, found.column, lang="sv")
'rad 1, kolumn 23'
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
import xml.sax
from dataclasses import dataclass
from typing import Any

from goalgraph.i18n import message

__all__ = ["ParserProblem", "parser_problem", "place"]

# pyoxigraph's RDF parsers: "Parser error at line 3 column 1: …",
# "Parser error at line 2 between columns 1 and 25: …",
# "Parser error between line 3 column 11 and line 5 column 1: …"
_RDF_PLACE = re.compile(
    r"^Parser error (?:at line (?P<line>\d+) (?:column (?P<column>\d+)|between columns "
    r"(?P<first>\d+) and \d+)|between line (?P<from_line>\d+) column (?P<from_column>\d+) "
    r"and line \d+ column \d+): "
)
# the file and line Python's SyntaxError appends to its text: " (data.ttl, line 3)"
_SYNTAX_SUFFIX = re.compile(r" \((?:[^()]*, )?line \d+\)$")
# pyoxigraph's SPARQL parser: "error at 1:26: expected one of …"
_SPARQL_PLACE = re.compile(r"^error at (?P<line>\d+):(?P<column>\d+): ")
# the standard library's XML parser: "not well-formed (invalid token): line 1, column 200"
_ELEMENT_TREE_PLACE = re.compile(r": line \d+, column \d+$")


@dataclass(frozen=True)
class ParserProblem:
    """What a parser found wrong (in its own words, without the place) and where (1-based).

    >>> ParserProblem("Unexpected end", line=3, column=1).line
    3
    """

    detail: str
    line: int | None = None
    column: int | None = None

    def worded(self, placed: str, unplaced: str, **values: Any) -> str:
        """The message *placed* with this problem's ``{place}`` and ``{detail}``, or, when
        it has no place, the message *unplaced* with its ``{detail}``; *values* fill both.

        >>> ParserProblem("Unexpected end", line=3).worded(
        ...     "query.sparql_syntax", "query.sparql_syntax_unplaced")[:40]
        'SPARQL-frågan går inte att tolka, rad 3:'
        """
        if self.line is None:
            return message(unplaced, detail=self.detail, **values)
        return message(placed, place=place(self.line, self.column), detail=self.detail, **values)


def parser_problem(error: BaseException) -> ParserProblem:
    """The place and the bare text of a parser's *error*.

    Knows pyoxigraph's RDF and SPARQL syntax errors, PyYAML's marked errors, the
    standard library's XML (ElementTree, SAX) and JSON errors, pyparsing's errors
    (rdflib's SPARQL parser); any other error
    keeps its text, with no place.

    >>> parser_problem(SyntaxError("error at 2:5: expected GRAPH"))
    ParserProblem(detail='expected GRAPH', line=2, column=5)
    >>> parser_problem(ValueError("no place here"))
    ParserProblem(detail='no place here', line=None, column=None)
    """
    if isinstance(error, json.JSONDecodeError):
        return ParserProblem(error.msg, error.lineno, error.colno)
    if isinstance(error, ElementTree.ParseError):
        at_line, at_column = error.position  # expat counts columns from 0
        return ParserProblem(_ELEMENT_TREE_PLACE.sub("", str(error)), at_line, at_column + 1)
    if isinstance(error, xml.sax.SAXParseException):
        column = error.getColumnNumber()  # expat counts columns from 0
        return ParserProblem(
            error.getMessage(), error.getLineNumber(), None if column is None else column + 1
        )
    marked = _yaml_problem(error)
    if marked is not None:
        return marked
    import pyparsing  # rdflib's SPARQL parser raises its errors

    if isinstance(error, pyparsing.ParseBaseException):
        return ParserProblem(error.msg, error.lineno, error.col)
    text = str(error)
    if isinstance(error, SyntaxError):
        text = _SYNTAX_SUFFIX.sub("", text)
    for pattern in (_RDF_PLACE, _SPARQL_PLACE):
        found = pattern.match(text)
        if found is not None:
            numbers = {k: int(v) for k, v in found.groupdict().items() if v is not None}
            line = numbers.get("line", numbers.get("from_line"))
            column = numbers.get("column", numbers.get("first", numbers.get("from_column")))
            return ParserProblem(text[found.end() :], line, column)
    if isinstance(error, SyntaxError) and error.lineno is not None:
        return ParserProblem(text, error.lineno, error.offset)
    return ParserProblem(text)


def _yaml_problem(error: BaseException) -> ParserProblem | None:
    """PyYAML's *error* with its marks as numbers, or None if it is not a YAML error."""
    import yaml

    if isinstance(error, yaml.reader.ReaderError):
        # its place is a character offset, which only the caller holding the text can turn
        # into a line; the first line of its text is the problem without that offset
        return ParserProblem(str(error).split("\n", 1)[0])
    if not isinstance(error, yaml.MarkedYAMLError):
        return None
    words = [part for part in (error.context, error.problem) if part]
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return ParserProblem(": ".join(words) or type(error).__name__, line, column)


def place(line: int | None, column: int | None = None, *, lang: str | None = None) -> str:
    """*line* (and *column*) worded in *lang*: ``rad 3, kolumn 11``; empty when *line* is None.

    >>> place(84, 1, lang="en")
    'line 84, column 1'
    >>> place(84, lang="sv")
    'rad 84'
    """
    if line is None:
        return ""
    if column is None:
        return message("positions.line", lang, line=line)
    return message("positions.line_column", lang, line=line, column=column)
