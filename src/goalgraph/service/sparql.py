"""The service's read-only SPARQL 1.1 Protocol endpoint: one query in, its answer out.

A query arrives as ``GET ?query=…``, as ``POST`` with a body of type
``application/sparql-query``, or as ``POST`` of a form with ``query=…``
(SPARQL 1.1 Protocol, section 2.1). The dataset is the one every goalgraph
query sees: the default graph is the union of the data, vocabulary and
inferred graphs; ``GRAPH`` reaches each named graph. An update (``update=``,
``application/sparql-update``, or update text in ``query``), a ``SERVICE``
clause, and a dataset named by the request (``default-graph-uri``,
``named-graph-uri``) are refused; nothing can change the graph from here.

One query cannot hold the service: it must finish (answer serialised) within a
time limit, its answer may not exceed a size limit, and only a few queries run
at once. pyoxigraph cannot interrupt a query while it computes, so one that
outruns its limit is answered 503 at once and keeps its slot until it ends.

>>> choose_format("application/sparql-results+xml, */*;q=0.1", rows=True)
('application/sparql-results+xml', <QueryResultsFormat SPARQL Results in XML>)
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping
from urllib.parse import parse_qs

import pyoxigraph as ox

from goalgraph.deadlines import DeadlinePassed, run_within
from goalgraph.errors import QueryError
from goalgraph.graph import GoalGraph
from goalgraph.i18n import message
from goalgraph.limits import format_size
from goalgraph.service.errors import RequestRefused
from goalgraph.service.locks import LockTimeout, ReadWriteLock
from goalgraph.sparql_text import keywords

__all__ = ["QueryRunner", "choose_format", "query_of"]

# The answer's media types, in the order of preference when the client accepts any.
_ROW_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_UPDATE = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_FORM = "application/x-www-form-urlencoded"


def query_of(
    method: str, params: Mapping[str, list[str]], content_type: str | None, body: bytes
) -> str:
    """The query text of a SPARQL Protocol request (its URL *params*, content type and body).

    :raises RequestRefused: 400 if there is no query, more than one, an update,
        a dataset named by the request, or a body that is not UTF-8; 415 for a
        body of another media type.

    >>> query_of("GET", {"query": ["ASK {}"]}, None, b"")
    'ASK {}'
    >>> query_of("POST", {}, "application/sparql-update", b"CLEAR ALL")
    Traceback (most recent call last):
    ...
    goalgraph.service.errors.RequestRefused: ...
    """
    fields: dict[str, list[str]] = {k: list(v) for k, v in params.items()}
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if method == "POST":
        if media == "application/sparql-update":
            raise _update_refused()
        text = _text(body)
        if media == _FORM:
            for name, values in parse_qs(text, keep_blank_values=True).items():
                fields.setdefault(name, []).extend(values)
        elif media == "application/sparql-query":
            fields.setdefault("query", []).append(text)
        else:
            raise RequestRefused(
                415, "unsupported_media_type", message("serve.sparql_media", media=media or "-")
            )
    if "update" in fields:
        raise _update_refused()
    named = [name for name in ("default-graph-uri", "named-graph-uri") if name in fields]
    if named:
        raise RequestRefused(
            400, "dataset_refused", message("serve.sparql_dataset", params=", ".join(named))
        )
    queries = fields.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise RequestRefused(400, "no_query", message("serve.sparql_no_query"))
    return queries[0]


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestRefused(
            400, "not_utf8", message("serve.not_utf8", offset=exc.start), offset=exc.start
        ) from None


def _update_refused() -> RequestRefused:
    return RequestRefused(400, "update_refused", message("serve.sparql_update"))


def choose_format(
    accept: str | None, *, rows: bool
) -> tuple[str, ox.QueryResultsFormat | ox.RdfFormat]:
    """The media type and format to answer in, from an ``Accept`` header (q-values honoured).

    *rows* is true for SELECT and ASK (SPARQL results), false for CONSTRUCT and DESCRIBE (RDF).
    With no header, or ``*/*``, SPARQL JSON or Turtle.

    :raises RequestRefused: 406 if nothing the client accepts can be given.

    >>> choose_format("text/turtle", rows=False)[0]
    'text/turtle'
    >>> choose_format("image/png", rows=True)
    Traceback (most recent call last):
    ...
    goalgraph.service.errors.RequestRefused: ...
    """
    offered: dict[str, ox.QueryResultsFormat | ox.RdfFormat] = dict(
        _ROW_TYPES if rows else _GRAPH_TYPES
    )
    wanted: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept or "*/*").split(",")):
        media, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            wanted.append((-quality, position, media.lower()))
    for _, _, media in sorted(wanted):
        if media in offered:
            return media, offered[media]
        family = media.split("/", 1)[0]
        for name in offered:  # */* or text/*: our first of that family
            if media == "*/*" or (media.endswith("/*") and name.startswith(family + "/")):
                return name, offered[name]
    raise RequestRefused(
        406,
        "not_acceptable",
        message("serve.sparql_accept", accept=accept or "", offered=", ".join(offered)),
        offered=list(offered),
    )


class _Answer(io.RawIOBase):
    """Where pyoxigraph writes an answer: stops it when abandoned or over the size limit."""

    def __init__(self, abandoned: threading.Event, limit: int) -> None:
        super().__init__()
        self.abandoned = abandoned
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0
        self.too_large = False

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.abandoned.is_set():
            raise OSError("abandoned")
        self.size += len(data)
        if self.size > self.limit:
            self.too_large = True
            raise OSError("too large")
        self.parts.append(bytes(data))
        return len(data)


class QueryRunner:
    """Runs SPARQL queries on a graph within a time limit, a size limit and a number at once.

    :param graph: the graph to query.
    :param lock: readers' side taken while the query starts, so no change is half seen.
    :param timeout: seconds a query may take, answer serialised included.
    :param max_answer: bytes an answer may have.
    :param at_once: queries that may run at the same time (runaway ones included).
    """

    def __init__(
        self,
        graph: GoalGraph,
        *,
        lock: ReadWriteLock,
        timeout: float,
        max_answer: int,
        at_once: int = 4,
    ) -> None:
        self.graph = graph
        self.lock = lock
        self.timeout = timeout
        self.max_answer = max_answer
        self._slots = threading.BoundedSemaphore(at_once)

    def answer(self, query: str, accept: str | None) -> tuple[bytes, str]:
        """The serialised answer to *query* and its media type, as *accept* asks.

        :raises RequestRefused: 400 for a malformed query (the parser's message),
            an update, a SERVICE clause, or an answer over the size limit; 406
            for an unanswerable Accept; 503 if the query outruns the time limit
            or too many run already.
        """
        if not self._slots.acquire(blocking=False):
            raise RequestRefused(503, "busy", message("serve.sparql_busy"))

        def work(abandoned: threading.Event) -> tuple[bytes, str]:
            try:
                return self._evaluate(query, accept, abandoned)
            finally:  # only when the query has ended: a runaway one keeps its slot
                self._slots.release()

        try:
            return run_within(self.timeout, work, name="goalgraph-serve-query")
        except DeadlinePassed:
            raise RequestRefused(
                503,
                "query_timeout",
                message("serve.sparql_timeout", seconds=f"{self.timeout:g}"),
                seconds=self.timeout,
            ) from None

    def _evaluate(
        self, query: str, accept: str | None, abandoned: threading.Event
    ) -> tuple[bytes, str]:
        try:
            with self.lock.reading(timeout=self.timeout):
                result = self.graph.query(query)
        except LockTimeout:
            raise RequestRefused(503, "busy", message("serve.busy")) from None
        except QueryError as exc:
            if keywords(query, *_UPDATE):
                raise _update_refused() from None
            raise RequestRefused(400, "bad_query", str(exc)) from None
        try:
            media, rdf_format = choose_format(accept, rows=not isinstance(result, ox.QueryTriples))
            sink = _Answer(abandoned, self.max_answer)
            try:
                result.serialize(sink, format=rdf_format)  # type: ignore[arg-type]
            except OSError:
                if sink.too_large:
                    raise RequestRefused(
                        400,
                        "answer_too_large",
                        message("serve.sparql_too_large", limit=format_size(self.max_answer)),
                        limit=self.max_answer,
                    ) from None
                if abandoned.is_set():  # the caller has answered 503 already
                    raise RequestRefused(503, "query_timeout", "abandoned") from None
                raise
            return b"".join(sink.parts), media
        finally:
            # pyoxigraph's results may only be dropped by the thread that made them
            del result
