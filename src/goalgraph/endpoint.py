"""A remote SPARQL 1.1 endpoint: run the library's queries there, and upload graphs for tests.

:class:`Endpoint` names a server and the graphs to read. Its queries go through
the remote store (:class:`goalgraph.store.remote.RemoteStore`), the one way to a
server's answers: a deadline on the whole request, the input size limit, every
answer checked as complete, well-formed SPARQL JSON, and a row cap detected, each
failure an :class:`~goalgraph.errors.EndpointError` naming the URL. Updates and
uploads wrap SPARQLWrapper with the same deadline. Only http(s) URLs are accepted.
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

import ast
import functools
import http.client
import json
import math
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from goalgraph.deadlines import DeadlinePassed, run_within
from goalgraph.errors import EndpointError, QueryError
from goalgraph.graph import DATA_GRAPH, INFERRED_GRAPH, VOCABULARY_GRAPH, GoalGraph, GraphName
from goalgraph.i18n import message
from goalgraph.sparql_text import masked

if TYPE_CHECKING:
    from goalgraph.limits import Limit

__all__ = ["Endpoint", "gathered", "with_values"]

_Term = ox.NamedNode | ox.Literal | ox.BlankNode
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The HTTP status behind each of SPARQLWrapper's exceptions (they do not carry it).
_STATUS = {
    "QueryBadFormed": 400,
    "Unauthorized": 401,
    "EndPointNotFound": 404,
    "URITooLong": 414,
    "EndPointInternalError": 500,
}
_GRAPHS = {"data": DATA_GRAPH, "vocabulary": VOCABULARY_GRAPH, "inferred": INFERRED_GRAPH}


def _group_start(query: str) -> int:
    """The index just after the ``{`` that opens the query's outermost group pattern."""
    at = masked(query).find("{")  # braces in comments, strings and IRIs are not code
    if at < 0:
        raise QueryError(message("analysis.no_group"))
    return at + 1


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


def _term(url: str, name: str, binding: object) -> _Term:
    """The RDF term of one SPARQL JSON binding; a malformed one is the endpoint's error."""
    value = binding.get("value") if isinstance(binding, dict) else None
    kind = binding.get("type") if isinstance(binding, dict) else None
    try:
        if not isinstance(binding, dict) or not isinstance(value, str):
            raise ValueError("no string value")
        if kind == "uri":
            return ox.NamedNode(value)
        if kind == "bnode":
            return ox.BlankNode(value)
        if kind not in ("literal", "typed-literal"):
            raise ValueError(f"unknown type {kind!r}")
        if "xml:lang" in binding:
            return ox.Literal(value, language=str(binding["xml:lang"]))
        if "datatype" in binding:
            return ox.Literal(value, datatype=ox.NamedNode(str(binding["datatype"])))
        return ox.Literal(value)
    except (ValueError, TypeError) as exc:
        raise EndpointError(
            message(
                "network.bad_term",
                url=url,
                variable=name,
                value=str(value if value is not None else binding)[:200],
                detail=str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__,
            )
        ) from exc


def _solutions(
    url: str, body: bytes, content_type: str
) -> tuple[list[str], list[dict[str, _Term]]]:
    """The variables and rows of a SPARQL JSON SELECT result, checked field by field."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EndpointError(
            message(
                "network.not_json",
                url=url,
                content_type=content_type or "-",
                detail=str(exc).splitlines()[0][:200],
            )
        ) from exc
    head = document.get("head") if isinstance(document, dict) else None
    variables = head.get("vars") if isinstance(head, dict) else None
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise EndpointError(message("network.missing_field", url=url, field="head.vars"))
    results = document.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list) or not all(isinstance(row, dict) for row in bindings):
        raise EndpointError(message("network.missing_field", url=url, field="results.bindings"))
    rows = [{name: _term(url, name, value) for name, value in row.items()} for row in bindings]
    return list(variables), rows


def _http_url(url: str) -> str:
    """*url*, once it is known to be an http(s) URL with a host.

    :raises EndpointError: for any other URL (``file:``, ``ftp:``, no host, …).
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise EndpointError(message("network.not_http", url=url))
    return url


class Endpoint:
    """A SPARQL 1.1 endpoint at *url* (query), optionally *update_url* and *store_url*.

    Every request has a deadline: *timeout* bounds all of it (connecting,
    headers and the whole body), so an endpoint that answers one byte a second
    cannot hold a run. Answers are read as SPARQL JSON and checked field by
    field; anything else is an :class:`~goalgraph.errors.EndpointError`
    naming the URL.

    :param url: the SPARQL query endpoint, e.g. ``http://127.0.0.1:7878/query``.
    :param update_url: the SPARQL UPDATE endpoint, for :meth:`upload` without a store URL.
    :param store_url: the Graph Store Protocol endpoint, e.g. ``http://127.0.0.1:7878/store``.
    :param timeout: seconds one whole request may take.
    :param default_graphs: named graphs whose union the queries read as their
        default graph (``default-graph-uri``), for stores that do not serve
        the union of their graphs by default; e.g. goalgraph's
        ``.../graph/data`` and ``.../graph/vocabulary``.
    :raises EndpointError: if a URL is not an http(s) URL.

    >>> Endpoint("file:///etc/passwd")
    Traceback (most recent call last):
    goalgraph.errors.EndpointError: Adressen file:///etc/passwd är ingen http(s)-adress; ...
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
        if not timeout > 0:
            raise ValueError("timeout must be positive")
        self.url = _http_url(url)
        self.update_url = _http_url(update_url) if update_url else None
        self.store_url = _http_url(store_url) if store_url else None
        self.timeout = timeout
        self.default_graphs = list(default_graphs)

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def select(
        self, query: str, *, bindings: Mapping[str, _Term] | None = None
    ) -> tuple[list[str], list[dict[str, _Term]]]:
        """Run a SELECT query; return its variables and rows of ``{variable: term}``.

        :raises EndpointError: if the endpoint is unreachable, does not finish
            within the timeout, answers with an error, or its answer is not a
            complete SPARQL JSON SELECT result of valid RDF terms.
        :raises QueryError: if a binding's variable name is not a plain SPARQL name,
            or the server refuses the query (HTTP 400).
        :raises ResultsCut: if the server cut its answer at a row limit it announced.
        """
        # One way to a server's answers for every caller: the remote store's, with its
        # deadline, size limit, term checks and row-cap detection. It is built on this
        # module, hence the late import.
        from goalgraph.store.remote import RemoteStore

        store = RemoteStore(
            self.url, timeout=self.timeout, as_is=True, default_graphs=self.default_graphs
        )
        try:
            result = store.query(with_values(query, bindings or {}), default_graph=[])
            if not isinstance(result, ox.QuerySolutions):
                raise QueryError(message("analysis.not_select", query=query[:80]))
            variables = [v.value for v in result.variables]
            rows = [
                {name: row[name] for name in variables if row[name] is not None} for row in result
            ]
        finally:
            store.close()
        return variables, rows

    def update(self, update: str) -> None:
        """Run a SPARQL UPDATE request at the update URL.

        :raises EndpointError: if there is no update URL or the request fails.
        """
        from SPARQLWrapper import POST, SPARQLWrapper

        if not self.update_url:
            raise EndpointError(message("analysis.no_update_url", url=self.url))
        wrapper = SPARQLWrapper(self.update_url)
        wrapper.setTimeout(math.ceil(self.timeout))
        wrapper.setMethod(POST)
        wrapper.setQuery(update)
        self._call(self.update_url, lambda: wrapper.query().response)

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
                self._call(target, functools.partial(_open, request, math.ceil(self.timeout)))
            else:
                text = body.decode("utf-8")
                self.update(f"INSERT DATA {{ GRAPH {_GRAPHS[name]} {{\n{text}\n}} }}")
        return sent

    def _call(self, url: str, respond: Callable[[], Any]) -> tuple[bytes, str]:
        """The body and Content-Type of the answer *respond* opens, all within the timeout.

        The request runs in a worker thread and this thread waits at most
        ``timeout`` seconds for all of it; socket timeouts alone bound each
        read, not the whole answer. An abandoned worker stops at its next
        chunk of the body, or when its own socket timeout ends a silent
        connection; one held by a server dripping its headers lingers (as a
        daemon thread) until that server stops.
        """
        from goalgraph.limits import limit

        maximum = limit("input_size")  # read here: a bad setting is an error of this call
        try:
            return run_within(
                self.timeout,
                lambda abandoned: _read(url, respond(), abandoned, maximum),
                name="goalgraph-endpoint",
            )
        except DeadlinePassed:
            raise EndpointError(
                message("network.timeout", url=url, seconds=f"{self.timeout:g}")
            ) from None
        except Exception as exc:
            raise self._failure(url, exc) from exc

    def _failure(self, url: str, exc: BaseException) -> BaseException:
        """The EndpointError for what went wrong talking to *url* (other errors unchanged)."""
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        if isinstance(exc, EndpointError):
            return exc
        if isinstance(exc, urllib.error.HTTPError | SPARQLWrapperException):
            detail = str(getattr(exc, "msg", None) or exc).strip()
            status = getattr(exc, "code", None) or _STATUS.get(type(exc).__name__)
            if status is not None and str(status) not in detail:
                detail = f"HTTP {status}: {detail}"
            response = _first_line(str(exc).partition("Response:\n")[2])
            if response:  # the server's own words, e.g. where the query is wrong
                detail += f" ({response})"
            return EndpointError(
                message("analysis.endpoint_error", url=url, detail=detail[:400]), url=url
            )
        if isinstance(exc, TimeoutError):
            return EndpointError(
                message("network.timeout", url=url, seconds=f"{self.timeout:g}"), url=url
            )
        if isinstance(exc, http.client.HTTPException | ConnectionResetError):
            return EndpointError(
                message("network.broken", url=url, reason=exc or type(exc)), url=url
            )
        if isinstance(exc, urllib.error.URLError | OSError):
            reason = getattr(exc, "reason", exc)
            return EndpointError(
                message(
                    "analysis.endpoint_unreachable", url=url, reason=reason, timeout=self.timeout
                ),
                url=url,
            )
        return exc


def _open(request: urllib.request.Request, seconds: int) -> Any:
    return urllib.request.urlopen(request, timeout=seconds)


def _first_line(text: str) -> str:
    """The first non-blank line of the body SPARQLWrapper quotes as ``b'...'`` in its messages."""
    try:
        quoted = ast.literal_eval(text.strip()) if text.strip().startswith("b") else text
    except (SyntaxError, ValueError):
        quoted = text
    body = quoted.decode("utf-8", "replace") if isinstance(quoted, bytes) else str(quoted)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return lines[0][:200] if lines else ""


def gathered(
    url: str, chunks: Iterable[bytes], abandoned: threading.Event, maximum: Limit
) -> bytes:
    """The answer from *url* read chunk by chunk until its end or until nobody waits for it.

    An answer is an input like any file: past *maximum* bytes reading stops.

    :raises EndpointError: if the answer is larger than *maximum* (naming the URL,
        the limit and its setting).

    >>> from goalgraph.limits import limit
    >>> gathered("http://x.test/", [b"ab", b"c"], threading.Event(), limit("input_size"))
    b'abc'
    """
    received: list[bytes] = []
    size = 0
    for chunk in chunks:
        if abandoned.is_set():
            break  # nobody waits for this answer any more
        size += len(chunk)
        if size > maximum.value:
            raise EndpointError(
                message(
                    "network.too_large", url=url, limit=maximum.shown(), variable=maximum.variable
                )
            )
        received.append(chunk)
    return b"".join(received)


def _read(url: str, response: Any, abandoned: threading.Event, maximum: Limit) -> tuple[bytes, str]:
    """The whole body of *response* and its Content-Type; a short or too long body is an error.

    ``read1`` returns after one socket read, so a dripping answer is noticed as
    soon as the waiting thread gives up.
    """
    with response:
        content_type = str(response.headers.get("Content-Type") or "")
        expected = response.headers.get("Content-Length")
        body = gathered(url, iter(lambda: response.read1(65536), b""), abandoned, maximum)
    short = expected is not None and expected.strip().isdigit() and int(expected) != len(body)
    if short and not abandoned.is_set():
        raise EndpointError(
            message("network.cut_off", url=url, received=len(body), expected=int(expected))
        )
    return body, content_type
