"""The literal ledger of a remote store: ill-formed literals judged from what the server holds.

On a SPARQL server, goalgraph cannot record literals as it stores them (see
:mod:`goalgraph.ledger`): the server already holds them. Its ill-formed
literals (``"2019-04-31"^^xsd:date``) are found by asking the server for the
distinct literals of each datatype a check judges (``sh:datatype``) and
judging each with :func:`goalgraph.literals.well_formed`, so a compiled check
on the server fails them exactly as on the embedded store. The server keeps
no originals beside what it stores (a server that rewrites ``"1.50"`` to
``"1.5"`` did so on push), so nothing is rewritten here: the literals are
what the server returns.

>>> from goalgraph.store.remote import RemoteGraph
>>> ledger = RemoteGraph("http://127.0.0.1:1/query", timeout=1).literals
>>> ledger.ill_formed([], datatypes=[])
set()
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph import resources
from goalgraph.errors import RemoteUnavailable
from goalgraph.i18n import message
from goalgraph.ledger import LiteralLedger
from goalgraph.literals import well_formed

if TYPE_CHECKING:
    from goalgraph.store.remote import RemoteStore

__all__ = ["RemoteLedger"]

_PLACEHOLDER = "<urn:goalgraph:datatype>"


class RemoteLedger(LiteralLedger):
    """A :class:`~goalgraph.ledger.LiteralLedger` whose ill-formed literals come from a server.

    Answers are cached per datatype and set of graphs, for the life of the
    object (as :class:`~goalgraph.store.remote.RemoteStore` caches its answers).

    :param store: the remote store to ask.
    """

    def __init__(self, store: RemoteStore) -> None:
        super().__init__()
        self.remote = store
        self._found: dict[tuple[str, tuple[ox.NamedNode, ...]], set[ox.Literal]] = {}
        self._asking = threading.Lock()

    def ill_formed(
        self, graphs: Sequence[ox.NamedNode], *, datatypes: Collection[str] | None = None
    ) -> set[ox.Literal]:
        """The ill-formed literals of *datatypes* in *graphs* on the server: one query per datatype.

        :raises RemoteUnavailable: without *datatypes* (every literal would be downloaded).
        :raises EndpointError: if the server cannot answer (``ResultsCut`` if it cut the answer).
        """
        if datatypes is None:
            why = message("remote.why_all_literals")
            raise RemoteUnavailable(
                message("remote.not_available", what="ill_formed", url=self.remote.url, why=why)
            )
        found: set[ox.Literal] = set()
        for datatype in sorted(datatypes):
            found |= self._of(datatype, tuple(graphs))
        return found

    def _of(self, datatype: str, graphs: tuple[ox.NamedNode, ...]) -> set[ox.Literal]:
        with self._asking:
            if (datatype, graphs) not in self._found:
                self._found[datatype, graphs] = self._ask(datatype, graphs)
            return self._found[datatype, graphs]

    def _ask(self, datatype: str, graphs: tuple[ox.NamedNode, ...]) -> set[ox.Literal]:
        if not graphs:
            return set()
        text = (resources.store_queries_dir() / "literals-of-datatype.rq").read_text(
            encoding="utf-8"
        )
        # the IRI comes from a compiled check; ox.NamedNode refuses one that is not an IRI
        query = text.replace(_PLACEHOLDER, str(ox.NamedNode(datatype)))
        answer = self.remote.query(query, default_graph=list(graphs))
        assert isinstance(answer, ox.QuerySolutions)  # the query is a SELECT
        return {
            literal
            for row in answer
            if isinstance(literal := row["literal"], ox.Literal)
            and well_formed(literal.value, literal.datatype.value) is False
        }
