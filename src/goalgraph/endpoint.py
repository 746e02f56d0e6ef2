"""A remote SPARQL 1.1 endpoint: run the library's queries there, and upload graphs for tests.

:class:`Endpoint` wraps SPARQLWrapper with a timeout and turns every network
or HTTP failure into :class:`~goalgraph.errors.EndpointError` naming the URL.
Parameters are bound by :func:`with_values`, which adds a ``VALUES`` block of
properly escaped RDF terms at the start of the query's outermost group — the
user's text is never formatted into the query, so a hostile value stays a
value.

>>> print(with_values("SELECT ?k WHERE { ?s ?p ?k }", {"k": ox.Literal('x" } DROP ALL #')}))
SELECT ?k WHERE {
  VALUES (?k) { ("x\\" } DROP ALL #") }
 ?s ?p ?k }
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

import pyoxigraph as ox

from goalgraph.errors import EndpointError, QueryError
from goalgraph.graph import DATA_GRAPH, INFERRED_GRAPH, VOCABULARY_GRAPH, GoalGraph, GraphName
from goalgraph.i18n import message

__all__ = ["Endpoint", "with_values"]

_Term = ox.NamedNode | ox.Literal | ox.BlankNode
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_GRAPHS = {"data": DATA_GRAPH, "vocabulary": VOCABULARY_GRAPH, "inferred": INFERRED_GRAPH}


def _group_start(query: str) -> int:
    """The index just after the ``{`` that opens the query's outermost group pattern."""
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            quote = c * 3 if query.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not query.startswith(quote, i):
                i += 2 if query[i] == "\\" else 1
            i += len(quote)
        elif c == "<" and (match := _IRIREF.match(query, i)):
            i = match.end()
        elif c == "{":
            return i + 1
        else:
            i += 1
    raise QueryError(message("analysis.no_group"))


def with_values(query: str, bindings: Mapping[str, _Term]) -> str:
    """*query* with a ``VALUES`` block binding each variable to its term.

    Terms are written in their N-Triples form (pyoxigraph escapes quotes,
    backslashes and newlines; IRIs are validated when built), so no value
    can end the block or add query text.

    :raises QueryError: if a variable name is not a plain SPARQL name or the
        query has no group pattern.

    >>> with_values("SELECT ?n WHERE { ?s ?p ?n }", {"n": ox.Literal("1")}).splitlines()[1]
    '  VALUES (?n) { ("1") }'
    """
    if not bindings:
        return query
    for name in bindings:
        if not _VARIABLE.match(name):
            raise QueryError(message("analysis.bad_variable", name=name))
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())
    at = _group_start(query)
    return f"{query[:at]}\n  VALUES ({names}) {{ ({values}) }}\n{query[at:]}"


def _term(binding: Mapping[str, str]) -> _Term:
    kind = binding["type"]
    value = binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


class Endpoint:
    """A SPARQL 1.1 endpoint at *url* (query), optionally *update_url* and *store_url*.

    :param url: the SPARQL query endpoint, e.g. ``http://127.0.0.1:7878/query``.
    :param update_url: the SPARQL UPDATE endpoint, for :meth:`upload` without a store URL.
    :param store_url: the Graph Store Protocol endpoint, e.g. ``http://127.0.0.1:7878/store``.
    :param timeout: seconds to wait for an answer.
    :param default_graphs: named graphs whose union the queries read as their
        default graph (``default-graph-uri``), for stores that do not serve
        the union of their graphs by default; e.g. goalgraph's
        ``.../graph/data`` and ``.../graph/vocabulary``.
    """

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 30.0,
        default_graphs: Sequence[str] = (),
    ) -> None:
        self.url = url
        self.update_url = update_url
        self.store_url = store_url
        self.timeout = timeout
        self.default_graphs = list(default_graphs)

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def select(
        self, query: str, *, bindings: Mapping[str, _Term] | None = None
    ) -> tuple[list[str], list[dict[str, _Term]]]:
        """Run a SELECT query; return its variables and rows of ``{variable: term}``.

        :raises EndpointError: if the endpoint is unreachable, times out or answers with an error.
        :raises QueryError: if a binding's variable name is not a plain SPARQL name.
        """
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        wrapper = SPARQLWrapper(self.url)
        wrapper.setTimeout(int(max(1, self.timeout)))
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setQuery(with_values(query, bindings or {}))
        for uri in self.default_graphs:
            wrapper.addDefaultGraph(uri)
        result: Any = self._call(self.url, lambda: wrapper.queryAndConvert())
        if not isinstance(result, dict) or "head" not in result:
            raise EndpointError(message("analysis.endpoint_answer", url=self.url))
        variables = list(result["head"].get("vars", []))
        rows = [
            {name: _term(value) for name, value in row.items()}
            for row in result.get("results", {}).get("bindings", [])
        ]
        return variables, rows

    def update(self, update: str) -> None:
        """Run a SPARQL UPDATE request at the update URL.

        :raises EndpointError: if there is no update URL or the request fails.
        """
        from SPARQLWrapper import POST, SPARQLWrapper

        if not self.update_url:
            raise EndpointError(message("analysis.no_update_url", url=self.url))
        wrapper = SPARQLWrapper(self.update_url)
        wrapper.setTimeout(int(max(1, self.timeout)))
        wrapper.setMethod(POST)
        wrapper.setQuery(update)
        self._call(self.update_url, lambda: wrapper.query())

    def upload(
        self, graph: GoalGraph, *, graphs: Sequence[GraphName] = ("data", "vocabulary")
    ) -> int:
        """Copy *graphs* of *graph* into the same named graphs on the endpoint.

        Uses the Graph Store Protocol when a store URL is set (fast), else
        SPARQL ``INSERT DATA``. Returns the number of triples sent.

        :raises EndpointError: if the endpoint cannot be reached or refuses the data.
        """
        sent = 0
        for name in graphs:
            triples = list(graph.triples((name,)))
            sent += len(triples)
            if not triples:
                continue
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            if self.store_url:
                target = (
                    f"{self.store_url}?{urllib.parse.urlencode({'graph': _GRAPHS[name].value})}"
                )
                request = urllib.request.Request(
                    target,
                    data=body,
                    method="POST",
                    headers={"Content-Type": "application/n-triples"},
                )
                self._call(
                    target,
                    lambda r=request: urllib.request.urlopen(r, timeout=self.timeout).read(),
                )
            else:
                text = body.decode("utf-8")
                self.update(f"INSERT DATA {{ GRAPH {_GRAPHS[name]} {{\n{text}\n}} }}")
        return sent

    def _call(self, url: str, action: Any) -> Any:
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        try:
            return action()
        except (urllib.error.HTTPError, SPARQLWrapperException) as exc:
            detail = getattr(exc, "msg", None) or str(exc)
            raise EndpointError(
                message("analysis.endpoint_error", url=url, detail=str(detail).strip()[:300])
            ) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(
                message(
                    "analysis.endpoint_unreachable", url=url, reason=reason, timeout=self.timeout
                )
            ) from exc
