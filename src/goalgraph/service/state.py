"""What the service holds between requests: the graph, its Validator, and the lock over both.

The graph is loaded (or the store opened) once, when the service starts. Reads
(queries, reports, trace, coverage, status) share the lock; a change takes it
alone, so no reader sees half a change, and goes through
:meth:`goalgraph.Validator.apply`, which checks the whole change before it
touches the graph: a refused change leaves everything as it was.

A store on disk is opened read-only and copied into memory: changes posted to
the service change that copy, never the store's files (``goalgraph load``
remains the one way to change a store). They are gone when the service stops.

>>> state = ServiceState.from_sources(["examples/vetlanda/vetlanda.ttl"], timeout=5)
>>> state.triples() > 0
True
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph.graph import DATA_GRAPH, FOLLOWUP_GRAPH, INFERRED_GRAPH, VOCABULARY_GRAPH, GoalGraph
from goalgraph.i18n import Lang, default_lang, message
from goalgraph.limits import limit
from goalgraph.service.answers import ReportJson
from goalgraph.service.errors import RequestRefused
from goalgraph.service.locks import LockTimeout, ReadWriteLock
from goalgraph.service.sparql import QueryRunner

if TYPE_CHECKING:
    from goalgraph.validation import ValidationDelta, ValidationReport, Validator

__all__ = ["ServiceState"]

_GRAPHS = (DATA_GRAPH, VOCABULARY_GRAPH, INFERRED_GRAPH, FOLLOWUP_GRAPH)


class ServiceState:
    """The graph a service answers from, its Validator, the lock, and the query runner.

    :param graph: the graph to serve (it is changed in place by changes).
    :param store: the store folder it was copied from, if any (shown by ``/health``).
    :param lang: the default language of reports and messages.
    :param timeout: seconds a request may wait for the lock or run a query.
    """

    def __init__(
        self,
        graph: GoalGraph,
        *,
        store: Path | None = None,
        lang: Lang | None = None,
        timeout: float = 30.0,
    ) -> None:
        from goalgraph import Validator

        self.graph = graph
        self.store = store
        self.lang: Lang = lang or default_lang()
        self.timeout = timeout
        self.lock = ReadWriteLock()
        self.validator: Validator = Validator(graph)
        self.answers = ReportJson()
        # a Validator keeps results between calls; one call at a time keeps them whole
        self._validator_lock = threading.Lock()
        self.queries = QueryRunner(
            graph, lock=self.lock, timeout=timeout, max_answer=limit("answer_size").value
        )

    @classmethod
    def from_sources(
        cls,
        sources: Sequence[str | Path],
        *,
        store: str | Path | None = None,
        lang: Lang | None = None,
        timeout: float = 30.0,
    ) -> ServiceState:
        """Load *sources* (or copy the *store* into memory) once, and hold the result.

        :raises LoadError: if a source cannot be read.
        :raises StoreError: if *store* is not a store or cannot be opened.
        :raises ValueError: if both or neither of *sources* and *store* are given.
        """
        if bool(sources) == (store is not None):
            raise ValueError("give sources or a store, not both or neither")
        if store is None:
            from goalgraph.loading import load

            return cls(load(*sources), lang=lang, timeout=timeout)
        return cls(_in_memory(Path(store)), store=Path(store), lang=lang, timeout=timeout)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock as a reader.

        :raises RequestRefused: 503 if a change holds it longer than the timeout.
        """
        try:
            with self.lock.reading(timeout=self.timeout):
                yield
        except LockTimeout:
            raise RequestRefused(503, "busy", message("serve.busy")) from None

    def triples(self) -> int:
        """The number of triples of user data now."""
        with self.reading():
            return len(self.graph)

    def report(self, *, lang: Lang | None = None) -> ValidationReport:
        """The validation report of the graph as it is now."""
        with self.reading(), self._validator_lock:
            return self.validator.report(lang=lang or self.lang)

    def focused_report(self, names: Sequence[str], *, lang: Lang | None = None) -> ValidationReport:
        """The findings about the items *names* name (ids, titles or IRIs, as ``trace`` takes).

        :raises UnknownTermError: naming an id or IRI that matches nothing in the data.
        :raises RequestRefused: 503 if a change holds the lock longer than the timeout.
        """
        from goalgraph.item_names import resolve_items
        from goalgraph.validation import validate

        with self.reading():
            nodes = resolve_items(self.graph, names)
            return validate(self.graph, focus=nodes, lang=lang or self.lang)

    def apply(
        self,
        added: Sequence[ox.Triple],
        removed: Sequence[ox.Triple],
        *,
        lang: Lang | None = None,
    ) -> ValidationDelta:
        """Apply a change (removed first) and return what it changed in the report.

        :raises RequestRefused: 503 if readers hold the lock longer than the timeout;
            409 naming the triple if a removed triple is not in the graph; 400 if a
            triple is malformed. Nothing has changed then.
        :raises GoalGraphError: if the engine cannot validate the changed graph (the
            change is undone).
        """
        from goalgraph.errors import ChangeError

        try:
            with self.lock.writing(timeout=self.timeout), self._validator_lock:
                return self.validator.apply(added=added, removed=removed, lang=lang or self.lang)
        except LockTimeout:
            raise RequestRefused(503, "busy", message("serve.busy")) from None
        except ChangeError as exc:
            details = {"triple": exc.triple} if exc.triple else {}
            if exc.absent:
                raise RequestRefused(409, "not_in_graph", str(exc), **details) from exc
            raise RequestRefused(400, "bad_change", str(exc), **details) from exc


def _in_memory(folder: Path) -> GoalGraph:
    """The store in *folder*, opened read-only and copied into a graph held in memory."""
    from goalgraph.store.disk import open_store

    stored = open_store(folder)
    copy = ox.Store()
    copy.extend(
        quad
        for graph in _GRAPHS
        for quad in stored.store.quads_for_pattern(None, None, None, graph)
    )
    graph = GoalGraph(copy, literals=stored.literals)
    graph.sources.update(stored.sources)
    return graph
