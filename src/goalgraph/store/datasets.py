"""A query's dataset written into its text, so that every SPARQL 1.1 server reads the same graphs.

Servers differ in their default graph (a graph of its own, or the union of
all graphs); :func:`with_dataset` names the graphs with ``FROM`` clauses, and
:func:`with_data_graphs` turns goalgraph's one data graph into the server's
source graphs. Strings, IRIs and comments of the query are skipped, never
rewritten.

>>> with_dataset("ASK { ?s ?p ?o }", ["http://example.org/g"])
'ASK \\nFROM <http://example.org/g>\\n{ ?s ?p ?o }'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from goalgraph.endpoint import _group_start
from goalgraph.errors import QueryError
from goalgraph.graph import DATA_GRAPH
from goalgraph.i18n import message

__all__ = ["GRAPH_KEYWORD", "closing_brace", "with_data_graphs", "with_dataset"]

_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_COMMENT = re.compile(r"#[^\n]*")
GRAPH_KEYWORD = re.compile(r"\bGRAPH\b", re.IGNORECASE)
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_DATA_PATTERN = re.compile(rf"GRAPH\s*<{re.escape(DATA_GRAPH.value)}>\s*\{{", re.IGNORECASE)


def closing_brace(query: str, start: int) -> int:
    """The index of the ``}`` that closes the ``{`` at *start*, skipping strings, IRIs, comments."""
    depth, i, n = 0, start, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            quote = c * 3 if query.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not query.startswith(quote, i):
                i += 2 if query[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<" and (match := _IRIREF.match(query, i)):
            i = match.end()
            continue
        depth += (c == "{") - (c == "}")
        if depth == 0:
            return i
        i += 1
    raise QueryError(message("analysis.no_group"))


def with_data_graphs(query: str, graphs: Sequence[str]) -> str:
    """*query* with each ``GRAPH <…/graph/data> { P }`` reading the server's data graphs.

    The embedded store keeps the user's data in one graph; a server keeps it in
    one graph per source, so the pattern becomes
    ``{ VALUES ?g { <source 1> … } GRAPH ?g { P } }`` with a fresh ``?g``.
    """
    values = " ".join(f"<{g}>" for g in graphs)
    count = 0
    while match := _DATA_PATTERN.search(query):
        count += 1
        opening = query.index("{", match.end() - 1)
        closing = closing_brace(query, opening)
        variable = f"?goalgraph_data_{count}"
        query = (
            f"{query[: match.start()]}{{ VALUES {variable} {{ {values} }} GRAPH {variable} "
            f"{query[opening : closing + 1]} }}{query[closing + 1 :]}"
        )
    return query


def with_dataset(query: str, graphs: Sequence[str], named: Sequence[str] = ()) -> str:
    """*query* with ``FROM`` clauses for *graphs* (``FROM NAMED`` for *named*) before ``WHERE``.

    >>> with_dataset("SELECT * WHERE { ?s ?p ?o }", ["http://example.org/g"])
    'SELECT * \\nFROM <http://example.org/g>\\nWHERE { ?s ?p ?o }'
    """
    at = _group_start(query) - 1
    head = _IRIREF.sub("<>", _COMMENT.sub("", query[:at]))
    form = _FORM.search(head)
    if form is None or form[1].upper() not in ("SELECT", "ASK"):
        raise QueryError(
            message("remote.not_available", what="CONSTRUCT/DESCRIBE", url="-", why="")
        )
    before = query[:at].rstrip()
    if before[-5:].upper() == "WHERE" and (len(before) == 5 or not before[-6].isalnum()):
        at = len(before) - 5
    clauses = "".join(f"FROM <{g}>\n" for g in graphs)
    clauses += "".join(f"FROM NAMED <{g}>\n" for g in named)
    return f"{query[:at]}\n{clauses}{query[at:]}"
