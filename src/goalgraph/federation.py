"""SERVICE clauses in SPARQL: found before a query runs, so none reaches the network unasked.

pyoxigraph evaluates ``SERVICE <iri> { … }`` by sending an HTTP request to
*iri*. goalgraph queries the loaded data only, so :meth:`GoalGraph.query
<goalgraph.graph.GoalGraph.query>` refuses a query with a SERVICE clause unless
the caller opts in (``allow_service=True``, ``goalgraph query --allow-service``).

The keyword is looked for in the query's code only: comments, string
literals and IRIs are masked as the SPARQL grammar reads them
(:func:`goalgraph.sparql_text.keywords`).
A word that only looks like the keyword (``ex:SERVICE``, ``?service``) is not
one; in doubt, a query is refused rather than run.

>>> services("SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }")
['<http://example.org/sparql>']
>>> services('SELECT ?service WHERE { ?service ex:SERVICE "SERVICE <x> {}" } # SERVICE')
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from goalgraph.deadlines import DeadlinePassed, run_within
from goalgraph.errors import EndpointError, QueryError
from goalgraph.i18n import message
from goalgraph.sparql_text import keywords

__all__ = ["refuse_services", "service_failure", "services", "within_deadline"]

T = TypeVar("T")

_TARGET = re.compile(r"\s*(?:SILENT(?![\w:\-])\s*)?([^\s{]*)", re.IGNORECASE)


def services(query: str) -> list[str]:
    """The target of every SERVICE clause of *query*, as written (IRI, prefixed name, variable).

    :raises: nothing; a query that does not parse is left to the SPARQL engine.

    >>> services("SELECT * { ?s ?p ?o . SERVICE ?where { ?s ?q ?r } }")
    ['?where']
    """
    if "service" not in query.lower():  # most queries: no scan needed
        return []
    found = []
    for keyword in keywords(query, "SERVICE"):
        target = _TARGET.match(keyword.string, keyword.end())
        assert target is not None  # the pattern matches the empty string too
        found.append(query[target.start(1) : target.end(1)] or "?")
    return found


def refuse_services(query: str) -> None:
    """Raise unless *query* is free of SERVICE clauses.

    :raises QueryError: naming the services the query would call and how to allow them.

    >>> refuse_services("SELECT * WHERE { ?s ?p ?o }")
    >>> refuse_services("SELECT * { SERVICE <http://example.org/q> { ?s ?p ?o } }")
    Traceback (most recent call last):
    goalgraph.errors.QueryError: Frågan innehåller SERVICE <http://example.org/q>, ...
    """
    found = services(query)
    if found:
        raise QueryError(message("network.service_refused", services=", ".join(found)))


def within_deadline(query: str, evaluate: Callable[[], T], *, seconds: float) -> T:
    """The result of *evaluate* (which runs *query*'s SERVICE calls), or an error after *seconds*.

    pyoxigraph sets no time limit on a SERVICE call, so an allowed service that
    never answers would hold the caller forever. *evaluate* runs in a worker
    thread (pyoxigraph releases the GIL while it waits); the caller waits at
    most *seconds*, and an abandoned worker ends when its service does.

    :raises EndpointError: naming the services, if *seconds* pass first, or if a
        service fails.

    >>> within_deadline("SELECT * { SERVICE <http://h/q> {} }", lambda: 42, seconds=1)
    42
    """
    try:
        return run_within(seconds, lambda _: evaluate(), name="goalgraph-service")
    except DeadlinePassed:
        raise EndpointError(
            message(
                "network.service_timeout",
                services=", ".join(services(query)) or "?",
                seconds=f"{seconds:g}",
            )
        ) from None
    except OSError as exc:
        raise service_failure(query, exc) from exc


def service_failure(query: str, exc: OSError) -> EndpointError:
    """The EndpointError for a SERVICE call of *query* that failed with *exc*.

    >>> str(service_failure("SELECT * { SERVICE <http://h/q> {} }", ConnectionRefusedError(
    ...     "refused"), ))[:40]
    'SERVICE-anropet till <http://h/q> missly'
    """
    reason = str(exc).strip() or type(exc).__name__
    return EndpointError(
        message("network.service_failed", services=", ".join(services(query)) or "?", reason=reason)
    )
