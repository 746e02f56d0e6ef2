"""Push goal data to a SPARQL server through the SPARQL 1.1 Graph Store Protocol.

Every source is parsed completely before anything is sent, so a bad file
sends nothing. Each source goes to a named graph of its own (the layout of
the store on disk, see :mod:`goalgraph.store.source_graphs`), or all to one
graph given by the caller; the vocabulary goes to its own graph too, so the
server can run ``validate`` without the data ever coming back.

* ``replace=False``: ``POST``, the triples are added to the graph. Blank
  nodes are skolemised to stable IRIs (from the RDF canonical labels of the
  source), so pushing the same data again adds nothing.
* ``replace=True``: ``PUT``, the graph becomes exactly the new content; the
  server swaps it in one request, so it is never half-written.

Credentials come from ``GOALGRAPH_ENDPOINT_USER`` / ``GOALGRAPH_ENDPOINT_PASSWORD``
or from ``~/.netrc`` (``$NETRC``), never from arguments. Every request has a
deadline for the whole request, not per read. When a request fails, the
error says which graphs were already written and which were not.

>>> push("examples/vetlanda/vetlanda.ttl", endpoint="ftp://example.org/store")
Traceback (most recent call last):
...
goalgraph.errors.PushError: ...
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph import resources
from goalgraph.deadlines import DeadlinePassed, run_within
from goalgraph.errors import PushError
from goalgraph.graph import VOCABULARY_GRAPH
from goalgraph.i18n import message
from goalgraph.store.source_graphs import Source, expand_sources

if TYPE_CHECKING:
    import httpx

__all__ = ["PushedGraph", "push"]

_GENID = "https://w3id.org/goalgraph/.well-known/genid/"
_NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class PushedGraph:
    """One graph written to the server: its IRI, how many triples were sent, and how."""

    graph: str
    triples: int
    method: str

    def __str__(self) -> str:
        return message("store.pushed", graph=self.graph, triples=self.triples, method=self.method)


def _triples(source: Source) -> list[ox.Triple]:
    if source.spreadsheet:
        from goalgraph.spreadsheet import convert

        return convert(source.path)
    from goalgraph.loading import parse_file

    return parse_file(source.path)


def _skolemised(triples: list[ox.Triple], graph: str) -> list[ox.Triple]:
    """*triples* with every blank node replaced by an IRI that is the same on every push.

    The IRI comes from the blank node's RDF canonical label (RDFC-1.0), which
    depends only on the triples, and from the graph, so two sources never share one.
    """
    if not any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    ):
        return triples
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    scope = hashlib.sha256(graph.encode()).hexdigest()[:16]

    def named(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.Literal:
        if isinstance(term, ox.BlankNode):
            return ox.NamedNode(f"{_GENID}{scope}/{term.value}")
        return term

    return [
        ox.Triple(named(q.subject), q.predicate, named(q.object))  # type: ignore[arg-type]
        for q in dataset
    ]


def _checked(endpoint: str, graph: str | None) -> None:
    url = urllib.parse.urlsplit(endpoint)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise PushError(message("store.push_bad_url", url=endpoint))
    if graph is not None:
        try:
            ox.NamedNode(graph)  # refuses relative and malformed IRIs
        except ValueError as exc:
            raise PushError(message("store.push_bad_graph", graph=graph)) from exc


def _state(done: Sequence[PushedGraph], rest: Sequence[str]) -> str:
    if not done:
        return message("store.push_state_none")
    return message(
        "store.push_state_some",
        graphs=", ".join(d.graph for d in done),
        rest=", ".join(rest) or message("store.nothing"),
    )


def _send(client: httpx.Client, request: httpx.Request, seconds: float) -> httpx.Response:
    """Send *request*, giving up after *seconds* for the whole request (upload and answer).

    :raises DeadlinePassed: if the answer is not complete within *seconds*.
    """
    return run_within(seconds, lambda _: client.send(request), name="goalgraph-push")


def _detail(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return (text[:500] + "…") if len(text) > 500 else (text or response.reason_phrase)


def push(
    *sources: str | Path,
    endpoint: str,
    graph: str | None = None,
    replace: bool = False,
    vocabulary: bool = True,
    timeout: float = 60.0,
) -> list[PushedGraph]:
    """Write *sources* to the Graph Store *endpoint*, one named graph per source or all to *graph*.

    :param endpoint: the server's Graph Store Protocol URL (Oxigraph:
        ``http://host:7878/store``, Fuseki: ``http://host:3030/DATASET/data``).
    :param graph: one named graph for all sources instead of one per source.
    :param replace: make each graph exactly the new content (``PUT``) instead of adding to it.
    :param vocabulary: also write goalgraph's ontology and reference data to its own graph.
    :param timeout: seconds for each whole request.
    :returns: the graphs written, in order.
    :raises LoadError: if a source cannot be read; nothing is sent then.
    :raises PushError: if the server cannot be reached, refuses (its own error
        text quoted), or does not answer in time; says which graphs were written.

    >>> push("examples/vetlanda", endpoint="http://127.0.0.1:1/store", graph="no-scheme")
    Traceback (most recent call last):
    ...
    goalgraph.errors.PushError: --graph måste vara en absolut IRI ...
    """
    import httpx

    from goalgraph.store.remote import _auth

    _checked(endpoint, graph)
    method = "PUT" if replace else "POST"
    bodies: dict[str, list[ox.Triple]] = {}
    if vocabulary:
        from goalgraph.loading import parse_file

        bodies[VOCABULARY_GRAPH.value] = [
            t for path in resources.vocabulary_files() for t in parse_file(path)
        ]
    for source in expand_sources(*sources):
        name = graph or source.graph.value
        bodies.setdefault(name, []).extend(_triples(source))
    done: list[PushedGraph] = []
    names = list(bodies)
    with httpx.Client(auth=_auth(endpoint), timeout=timeout, trust_env=False) as client:
        for index, name in enumerate(names):
            # the vocabulary graph is goalgraph's own: always replaced, never merged
            how = "PUT" if name == VOCABULARY_GRAPH.value else method
            triples = bodies[name] if how == "PUT" else _skolemised(bodies[name], name)
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            request = client.build_request(
                how,
                endpoint,
                params={"graph": name},
                content=body,
                headers={"Content-Type": _NTRIPLES},
            )
            state = _state(done, names[index + 1 :])
            try:
                response = _send(client, request, timeout)
            except DeadlinePassed as exc:
                raise PushError(
                    message(
                        "store.push_timeout", url=endpoint, graph=name, seconds=timeout, state=state
                    )
                ) from exc
            except httpx.HTTPError as exc:
                raise PushError(
                    message(
                        "store.push_unreachable", url=endpoint, graph=name, reason=exc, state=state
                    )
                ) from exc
            if response.is_error:
                hint = {401: "store.push_unauthorised", 403: "store.push_forbidden"}.get(
                    response.status_code,
                    "store.push_forbidden"
                    if response.status_code == 405
                    else "store.push_failed_other",
                )
                raise PushError(
                    message(
                        "store.push_refused",
                        url=endpoint,
                        graph=name,
                        status=response.status_code,
                        detail=_detail(response),
                        hint=message(hint),
                        state=state,
                    )
                )
            done.append(PushedGraph(name, len(triples), how))
    return done
