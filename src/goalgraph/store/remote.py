"""A goal graph on a SPARQL 1.1 server: every read function runs there, nothing is downloaded.

:class:`RemoteGraph` is a :class:`~goalgraph.graph.GoalGraph` whose store is a
SPARQL server, so the read functions (``validate``, ``trace``, ``coverage``,
the named queries…) run on it unchanged. :class:`RemoteStore` answers the
part of pyoxigraph's ``Store`` API they use — ``query`` and
``quads_for_pattern`` — with SPARQL requests; anything that would write to the
server or need the whole graph raises :class:`~goalgraph.errors.RemoteUnavailable`.

The server's layout is what ``goalgraph push`` writes: the vocabulary in
:data:`~goalgraph.graph.VOCABULARY_GRAPH`, the user's data in named graphs of
its own (one per source), and optionally the inferred and follow-up graphs.
Every named graph that is not one of goalgraph's own four is taken as user
data unless *data_graphs* names them. Servers differ in their default graph
(the union of all graphs, or a graph of its own), so no query relies on it:
each query names its dataset with ``FROM`` clauses listing exactly the graphs
the embedded store would read, and only graphs that exist on the server (an
rdflib server fetches a ``FROM`` graph it does not hold from the web).

>>> graph = RemoteGraph("http://127.0.0.1:1/query", timeout=1)
>>> graph.add([])
Traceback (most recent call last):
...
goalgraph.errors.RemoteUnavailable: ...
"""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from goalgraph.endpoint import Endpoint, _http_url, _solutions, with_values
from goalgraph.errors import EndpointError, QueryError, RemoteUnavailable, ResultsCut
from goalgraph.graph import (
    DATA_GRAPH,
    FOLLOWUP_GRAPH,
    INFERRED_GRAPH,
    VOCABULARY_GRAPH,
    GoalGraph,
    GraphName,
)
from goalgraph.i18n import message
from goalgraph.store.answers import Answer, posted
from goalgraph.store.datasets import GRAPH_KEYWORD, with_data_graphs, with_dataset
from goalgraph.store.remote_literals import RemoteLedger

if TYPE_CHECKING:
    import httpx
    import rdflib

__all__ = ["MAX_ROWS_HEADER", "RemoteGraph", "RemoteStore", "as_graph"]

#: The header in which a server announces the row limit it applied (Virtuoso).
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"

_Term = ox.NamedNode | ox.BlankNode | ox.Literal
_Key = tuple[object, object, object, object]
_OWN = {VOCABULARY_GRAPH.value, INFERRED_GRAPH.value, FOLLOWUP_GRAPH.value}
_ACCEPT = "application/sparql-results+json"


def _auth(url: str) -> httpx.Auth | None:
    """Credentials for *url* from the environment, else from ``~/.netrc`` (never arguments)."""
    import httpx

    user = os.environ.get("GOALGRAPH_ENDPOINT_USER")
    if user:
        return httpx.BasicAuth(user, os.environ.get("GOALGRAPH_ENDPOINT_PASSWORD", ""))
    netrc = Path(os.environ.get("NETRC", Path.home() / ".netrc"))
    if netrc.is_file():
        return httpx.NetRCAuth(str(netrc))
    return None


def _unavailable(what: str, url: str, why: str) -> RemoteUnavailable:
    return RemoteUnavailable(message("remote.not_available", what=what, url=url, why=why))


class RemoteStore:
    """The read-only part of pyoxigraph's ``Store`` API, answered by a SPARQL 1.1 server.

    Answers are cached for the life of the object (a read function asks for the
    same node many times); make a new one to see later changes on the server.

    :param url: the server's SPARQL query URL.
    :param timeout: seconds for each whole request, answer included.
    :param data_graphs: the named graphs holding the user's data; by default
        :data:`~goalgraph.graph.DATA_GRAPH` if the server has it (the union of the
        sources), else every named graph except goalgraph's vocabulary, inferred
        and follow-up graphs.
    :param row_cap: the server's known row limit: an answer of exactly this many
        rows is taken as cut and raises :class:`~goalgraph.errors.ResultsCut`.
    :param as_is: a server without goalgraph's layout (a user's own): queries
        run on its default dataset as they are, with the same deadline, size
        limit, answer checks and row-cap detection.
    :param default_graphs: with *as_is*, the graphs whose union the queries read
        as their default graph (the protocol's ``default-graph-uri``), instead of
        the server's own default dataset.
    :raises EndpointError: if *url* is not an http(s) URL with a host.
    :raises ValueError: if *default_graphs* are given without *as_is* (goalgraph's
        layout chooses the graphs itself).
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        data_graphs: Sequence[str] | None = None,
        row_cap: int | None = None,
        as_is: bool = False,
        default_graphs: Sequence[str] = (),
    ) -> None:
        import httpx

        if default_graphs and not as_is:
            raise ValueError("default_graphs needs as_is: the layout chooses its own graphs")
        self.url = _http_url(url)  # file:, ftp: or a URL without a scheme is refused here
        self.timeout = timeout
        self.row_cap = row_cap
        self.as_is = as_is
        self.default_graphs = list(default_graphs)
        self._data = list(data_graphs) if data_graphs is not None else None
        self._present: set[str] | None = None
        self._quads: dict[_Key, list[ox.Quad]] = {}
        self._blank: list[ox.Quad] | None = None
        self._subjects: dict[ox.NamedNode, list[ox.Quad]] = {}
        self._union: bool | None = None
        self._lock = threading.RLock()
        self._client = httpx.Client(timeout=timeout, auth=_auth(url), follow_redirects=True)
        # a graph is dropped without ceremony (a CLI run, a test): close its sockets then
        weakref.finalize(self, self._client.close)

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    # --- the graphs on the server ---------------------------------------

    def _graphs_on_server(self) -> set[str]:
        with self._lock:
            if self._present is None:
                found = self._post("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
                self._present = {
                    row["g"]["value"]
                    for row in found["results"]["bindings"]
                    if row.get("g", {}).get("type") == "uri"
                }
            if VOCABULARY_GRAPH.value not in self._present:
                raise EndpointError(
                    message("remote.no_vocabulary", url=self.url, graph=VOCABULARY_GRAPH.value)
                )
            return self._present

    def has_layout(self) -> bool:
        """Whether the server holds goalgraph's layout (a non-empty vocabulary graph).

        One cheap request: a server of any size answers it from its graph index,
        so a user's own server (without goalgraph's graphs) can be told apart
        before anything else is asked.

        :raises EndpointError: if the server cannot be reached or answers with an error.
        """
        found = self._post(
            f"SELECT ?s WHERE {{ GRAPH <{VOCABULARY_GRAPH.value}> {{ ?s ?p ?o }} }} LIMIT 1"
        )
        return any("s" in row for row in found["results"]["bindings"])

    def _union_default(self) -> bool:
        """Whether the server's default graph is the union of its named graphs.

        Such a server (rdflib-endpoint, Fuseki with ``unionDefaultGraph``) needs no
        ``FROM`` clause when a query reads every graph it holds, which spares an
        rdflib server copying the graphs for each query.
        """
        with self._lock:
            if self._union is None:
                union = self._post(
                    "SELECT (COUNT(*) AS ?n) WHERE "
                    "{ SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
                )
                default = self._post("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
                counts = [a["results"]["bindings"][0]["n"]["value"] for a in (union, default)]
                self._union = counts[0] == counts[1]
            return self._union

    def data_graphs(self) -> list[str]:
        """The named graphs on the server that hold the user's data, sorted.

        :raises EndpointError: if the server cannot be reached or holds no goalgraph vocabulary.
        """
        present = self._graphs_on_server()
        if self._data is not None:
            return sorted(g for g in self._data if g in present)
        if DATA_GRAPH.value in present:  # a server that keeps the union of its sources
            return [DATA_GRAPH.value]
        return sorted(present - _OWN)

    def graphs_for(
        self, names: Iterable[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
    ) -> list[str]:
        """The server graphs that stand for goalgraph's graphs *names* (those that exist).

        :raises QueryError: for the default graph or a blank node, which a server reads its own way.
        """
        present = self._graphs_on_server()
        chosen: list[str] = []
        for name in names:
            if not isinstance(name, ox.NamedNode):
                raise QueryError(
                    message("remote.not_available", what=str(name), url=self.url, why="")
                )
            if name == DATA_GRAPH:
                chosen.extend(self.data_graphs())
            elif name.value in present:
                chosen.append(name.value)
        return list(dict.fromkeys(chosen))

    # --- pyoxigraph's Store API -------------------------------------------

    def query(
        self,
        query: str,
        *,
        prefixes: Mapping[str, str] | None = None,
        default_graph: Sequence[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None,
        substitutions: Mapping[ox.Variable, _Term | ox.Triple] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        """Run a SELECT or ASK *query* over the union of *default_graph* on the server.

        *substitutions* bind variables to terms through a ``VALUES`` block.

        :raises QueryError: without *default_graph*, for a CONSTRUCT/DESCRIBE
            query, or when a substitution is a blank node.
        :raises ResultsCut: if the server cut the answer at a row limit.
        :raises EndpointError: if the server cannot be reached or answers with an error.
        """
        if default_graph is None:
            raise QueryError(
                message("remote.not_available", what="default graph", url=self.url, why="")
            )
        bindings: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode] = {}
        for variable, term in (substitutions or {}).items():
            if isinstance(term, ox.BlankNode | ox.Triple):
                raise _unavailable(str(term), self.url, message("remote.why_blank", node=term))
            bindings[variable.value] = term
        text = with_values(query, bindings)
        if not self.as_is:
            text = self._with_layout(text, default_graph)
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())
        answer = self._post(prologue + text, raw=True)
        assert isinstance(answer, bytes)
        try:
            return ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(message("remote.bad_answer", url=self.url, detail=exc)) from exc

    def _with_layout(
        self, text: str, default_graph: Sequence[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
    ) -> str:
        """*text* reading exactly the server graphs that stand for *default_graph*."""
        named: list[str] = []
        if GRAPH_KEYWORD.search(text):
            # a dataset given by FROM has no named graphs unless FROM NAMED lists them
            named = self.data_graphs() + sorted(self._graphs_on_server() & _OWN)
        graphs = self.graphs_for(default_graph)
        if not (set(graphs) == self._graphs_on_server() and self._union_default()):
            text = with_dataset(text, graphs, named)
        if DATA_GRAPH.value in text:
            text = with_data_graphs(text, self.data_graphs())
        return text

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        object: _Term | None,
        graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern; the user's data graphs come back as ``DATA_GRAPH``.

        :raises EndpointError: if the server cannot be reached or answers with an error.
        """
        if isinstance(subject, ox.NamedNode):
            # one request per node: its labels, types and links are asked for one by one
            return iter(self._match(self._about(subject), predicate, object, graph_name))
        key: _Key = (subject, predicate, object, graph_name)
        found = self._quads.get(key)
        if found is None:
            found = self._fetch(subject, predicate, object, graph_name)
            self._quads[key] = found
        return iter(found)

    def _about(self, subject: ox.NamedNode) -> list[ox.Quad]:
        """Every quad with *subject* in goalgraph's graphs on the server (fetched once)."""
        found = self._subjects.get(subject)
        if found is None:
            graphs = self.data_graphs() + sorted(self._graphs_on_server() & _OWN)
            values = " ".join(f"<{g}>" for g in graphs)
            found = self._quads_of(
                f"SELECT ?p ?o ?g WHERE {{ VALUES ?g {{ {values} }} "
                f"GRAPH ?g {{ {subject} ?p ?o }} }}",
                subject=subject,
            )
            self._subjects[subject] = found
        return found

    def _match(
        self,
        quads: list[ox.Quad],
        predicate: ox.NamedNode | None,
        obj: _Term | None,
        graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None,
    ) -> list[ox.Quad]:
        wanted = None
        if graph_name is not None:
            names = self.graphs_for([graph_name])
            data = set(self.data_graphs())
            wanted = {DATA_GRAPH if g in data else ox.NamedNode(g) for g in names}
        return [
            q
            for q in quads
            if (predicate is None or q.predicate == predicate)
            and (obj is None or q.object == obj)
            and (wanted is None or q.graph_name in wanted)
        ]

    def _fetch(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: _Term | None,
        graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None,
    ) -> list[ox.Quad]:
        if graph_name is None:
            graphs = self.data_graphs() + sorted(self._graphs_on_server() & _OWN)
        else:
            graphs = self.graphs_for([graph_name])
        if not graphs:
            return []
        if isinstance(subject, ox.BlankNode) or isinstance(obj, ox.BlankNode):
            return self._blank_match(subject, predicate, obj, graphs)
        parts = [
            f"?{variable}" if term is None else str(term)
            for variable, term in (("s", subject), ("p", predicate), ("o", obj))
        ]
        values = " ".join(f"<{g}>" for g in graphs)
        query = (
            f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?g {{ {values} }} "
            f"GRAPH ?g {{ {parts[0]} {parts[1]} {parts[2]} }} }}"
        )
        return self._quads_of(query, subject, predicate, obj)

    def _quads_of(
        self,
        query: str,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: _Term | None = None,
    ) -> list[ox.Quad]:
        """The distinct quads a ``SELECT ?s ?p ?o ?g`` *query* finds (data graphs as DATA_GRAPH)."""
        answer = self._post(query, raw=True)
        assert isinstance(answer, bytes)
        data = set(self.data_graphs())
        quads: dict[tuple[str, str, str, str], ox.Quad] = {}
        solutions = ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            g = row["g"]
            name = DATA_GRAPH if isinstance(g, ox.NamedNode) and g.value in data else g
            s = subject if subject is not None else row["s"]
            p = predicate if predicate is not None else row["p"]
            o = obj if obj is not None else row["o"]
            quad = ox.Quad(s, p, o, name)
            quads[(str(s), str(p), str(o), str(name))] = quad
        return list(quads.values())

    def _blank_match(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: _Term | None,
        graphs: list[str],
    ) -> list[ox.Quad]:
        """Quads about a blank node, from every triple with a blank node (fetched once).

        A query cannot name a blank node the server returned, but both kinds of
        server keep a blank node's label from one answer to the next, so the
        triples around blank nodes (OWL axioms of the vocabulary, lists) are read
        once and matched here.
        """
        with self._lock:
            if self._blank is None:
                values = " ".join(
                    f"<{g}>" for g in self.data_graphs() + sorted(self._graphs_on_server() & _OWN)
                )
                self._blank = self._quads_of(
                    f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?g {{ {values} }} "
                    "GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }"
                )
        data = set(self.data_graphs())
        wanted = {DATA_GRAPH if g in data else ox.NamedNode(g) for g in graphs}
        return [
            q
            for q in self._blank
            if (subject is None or q.subject == subject)
            and (predicate is None or q.predicate == predicate)
            and (obj is None or q.object == obj)
            and q.graph_name in wanted
        ]

    def update(self, update: str) -> None:
        """Refused: goalgraph writes to a server only through ``goalgraph push``.

        :raises RemoteUnavailable: always.
        """
        raise _unavailable("SPARQL UPDATE", self.url, message("remote.why_writes"))

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Refused: goalgraph writes to a server only through ``goalgraph push``.

        :raises RemoteUnavailable: always.
        """
        raise _unavailable("add", self.url, message("remote.why_writes"))

    def clear_graph(self, graph_name: ox.NamedNode) -> None:
        """Refused: goalgraph writes to a server only through ``goalgraph push``.

        :raises RemoteUnavailable: always.
        """
        raise _unavailable("clear", self.url, message("remote.why_writes"))

    def load(self, *args: Any, **kwargs: Any) -> None:
        """Refused: goalgraph writes to a server only through ``goalgraph push``.

        :raises RemoteUnavailable: always.
        """
        raise _unavailable("load", self.url, message("remote.why_writes"))

    # --- HTTP -------------------------------------------------------------

    def _post(self, query: str, *, raw: bool = False) -> Any:
        """POST *query*; the answer's bytes (*raw*) or its JSON, checked for a row cap."""
        import httpx

        try:
            response = posted(
                self._client,
                self.url,
                {"query": query, "default-graph-uri": self.default_graphs},
                timeout=self.timeout,
                headers={"Accept": _ACCEPT},
            )
        except httpx.HTTPError as exc:
            raise EndpointError(
                message("remote.unreachable", url=self.url, reason=exc, timeout=self.timeout),
                url=self.url,
            ) from exc
        if response.status >= 400:
            detail = " ".join(response.text.split())[:500]
            status = response.status
            if status == 401:
                raise EndpointError(
                    message("remote.unauthorised", url=self.url, detail=detail), url=self.url
                )
            error = QueryError if status == 400 else EndpointError
            raise error(message("remote.http_error", url=self.url, status=status, detail=detail))
        body = self._checked(response)
        announced = response.headers.get(MAX_ROWS_HEADER)
        if announced is not None or self.row_cap is not None or not raw:
            if not raw:  # the caller reads fields of a SELECT answer: each must be there
                _solutions(self.url, body, response.headers.get("content-type", ""))
            try:
                parsed = json.loads(body)
                rows = len(parsed["results"]["bindings"]) if "results" in parsed else 0
            except (ValueError, KeyError, TypeError) as exc:
                raise EndpointError(message("remote.bad_answer", url=self.url, detail=exc)) from exc
            self._check_cap(rows, announced)
            if not raw:
                return parsed
        return body

    def _checked(self, response: Answer) -> bytes:
        """The body of *response* once it is known to be a complete SPARQL JSON result.

        pyoxigraph parses an answer's rows only as they are read, so a bad
        term would surface anywhere later: every row is read here once.
        """
        body = response.body
        fault = _fault(body)
        if fault is not None:
            # the endpoint's own checks name the field or term that is wrong
            _solutions(self.url, body, response.headers.get("content-type", ""))
            raise EndpointError(message("remote.bad_answer", url=self.url, detail=fault))
        return body

    def _check_cap(self, rows: int, announced: str | None) -> None:
        if announced is not None and announced.strip().isdigit() and rows >= int(announced):
            why = message("remote.cap_header", header=MAX_ROWS_HEADER)
            cap = int(announced)
            raise ResultsCut(message("remote.results_cut", url=self.url, cap=cap, why=why))
        if self.row_cap is not None and rows >= self.row_cap:
            why = message("remote.cap_known")
            raise ResultsCut(message("remote.results_cut", url=self.url, cap=self.row_cap, why=why))

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()


class RemoteGraph(GoalGraph):
    """A goal graph read from a SPARQL 1.1 server (see the module's description).

    :param endpoint: the server's query URL, or an :class:`~goalgraph.endpoint.Endpoint`
        (its ``default_graphs`` other than the vocabulary become *data_graphs*, or
        with *as_is* the *default_graphs*).
    :param timeout: seconds to wait for each answer (an ``Endpoint`` brings its own).
    :param data_graphs: the named graphs holding the user's data (default: all but goalgraph's own).
    :param row_cap: the server's known row limit (see :class:`RemoteStore`).
    :param as_is: read a server without goalgraph's layout as it is (see
        :class:`RemoteStore`); only queries work then.
    :param default_graphs: with *as_is*, the graphs the queries read as their
        default graph (see :class:`RemoteStore`).
    :raises ValueError: if *default_graphs* are given without *as_is*.
    """

    def __init__(
        self,
        endpoint: Endpoint | str,
        *,
        timeout: float = 30.0,
        data_graphs: Sequence[str] | None = None,
        row_cap: int | None = None,
        as_is: bool = False,
        default_graphs: Sequence[str] = (),
    ) -> None:
        if isinstance(endpoint, Endpoint):
            timeout = endpoint.timeout
            if as_is:
                default_graphs = default_graphs or endpoint.default_graphs
            elif data_graphs is None and endpoint.default_graphs:
                data_graphs = [g for g in endpoint.default_graphs if g not in _OWN]
            endpoint = endpoint.url
        self.url = endpoint
        self.store: RemoteStore = RemoteStore(  # type: ignore[assignment]
            endpoint,
            timeout=timeout,
            data_graphs=data_graphs,
            row_cap=row_cap,
            as_is=as_is,
            default_graphs=default_graphs,
        )
        self.sources = {}
        self.literals = RemoteLedger(self.store)

    def __repr__(self) -> str:
        return f"RemoteGraph({self.url!r})"

    def count(self, graph: GraphName = "data") -> int:
        """The number of distinct triples in one of goalgraph's graphs on the server."""
        graphs = self.store.graphs_for([_name(graph)])
        if not graphs:
            return 0
        values = " ".join(f"<{g}>" for g in graphs)
        query = (
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
            f"{{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} }}"
        )
        answer = self.store._post(query)
        return int(answer["results"]["bindings"][0]["n"]["value"])

    def triples(
        self, graphs: Sequence[GraphName] = ("data",), *, as_written: bool = False
    ) -> Iterator[ox.Triple]:
        """Every distinct triple of each chosen graph, read from the server.

        *as_written* changes nothing: the server holds no originals beside its
        literals (see :mod:`goalgraph.store.remote_literals`).
        """
        for name in graphs:
            for quad in self.store.quads_for_pattern(None, None, None, _name(name)):
                yield quad.triple

    def add(self, triples: Iterable[ox.Triple], *, graph: GraphName = "data") -> None:
        """Refused: see :meth:`RemoteStore.update`.

        :raises RemoteUnavailable: always.
        """
        raise _unavailable("add", self.url, message("remote.why_writes"))

    def add_rdflib(self, source: rdflib.Graph, *, graph: GraphName = "data") -> None:
        """Refused: see :meth:`RemoteStore.update`.

        :raises RemoteUnavailable: always.
        """
        raise _unavailable("add", self.url, message("remote.why_writes"))

    def clear(self, graph: GraphName) -> None:
        """Refused: see :meth:`RemoteStore.update`.

        :raises RemoteUnavailable: always.
        """
        raise _unavailable("clear", self.url, message("remote.why_writes"))

    def to_rdflib(self, graphs: Sequence[GraphName] = ("data",)) -> rdflib.Graph:
        """Refused: pySHACL, OWL reasoning and the workbook export need the whole graph locally.

        :raises RemoteUnavailable: always.
        """
        raise _unavailable("rdflib", self.url, message("remote.why_download"))


def _fault(body: bytes) -> str | None:
    """What is wrong with a SPARQL JSON answer, or ``None``.

    Nothing of pyoxigraph's escapes this function: its solutions may only be
    dropped in the thread that made them, and a raised error's traceback
    would keep them alive.
    """
    try:
        solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if isinstance(solutions, ox.QuerySolutions):
            for _ in solutions:
                pass
    except (SyntaxError, ValueError) as exc:
        return str(exc)
    return None


def _name(graph: GraphName) -> ox.NamedNode:
    return {
        "data": DATA_GRAPH,
        "vocabulary": VOCABULARY_GRAPH,
        "inferred": INFERRED_GRAPH,
        "followup": FOLLOWUP_GRAPH,
    }[graph]


def as_graph(source: GoalGraph | Endpoint) -> GoalGraph:
    """*source* itself, or a :class:`RemoteGraph` over it if it is an ``Endpoint``.

    >>> as_graph(Endpoint("http://127.0.0.1:1/query"))
    RemoteGraph('http://127.0.0.1:1/query')
    """
    return RemoteGraph(source) if isinstance(source, Endpoint) else source
