"""A change to a goal graph's data: triples removed and added, checked before anything moves.

A change is all or nothing. Each triple is checked first: an IRI or blank
subject, an IRI predicate, no RDF-star; a removed triple must be in the data
graph as written (``"1.50"^^xsd:decimal`` as the user wrote it) and may not
hold a blank node, because a blank node from outside cannot name a stored
one. Blank nodes of added triples are new nodes, one per label of the
change (as in a newly loaded file). A bad triple raises :class:`ChangeError`
naming it, and the graph is left as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias

import pyoxigraph as ox
from rdflib.term import Node

from goalgraph.errors import ChangeError
from goalgraph.graph import DATA_GRAPH, GoalGraph, from_rdflib_term
from goalgraph.i18n import message

__all__ = ["Change", "Triple"]

#: A triple of a change: an rdflib ``(s, p, o)`` tuple, or a pyoxigraph ``Triple``/``Quad``
#: (a quad of the default graph or of the data graph).
Triple: TypeAlias = tuple[Node, Node, Node] | ox.Triple | ox.Quad


@dataclass(frozen=True)
class Change:
    """Checked triples to remove from and add to the data graph (removed first)."""

    removed: tuple[ox.Triple, ...]
    added: tuple[ox.Triple, ...]

    @classmethod
    def checked(
        cls, graph: GoalGraph, *, added: Iterable[Triple], removed: Iterable[Triple]
    ) -> Change:
        """The change of *removed* and *added* triples to *graph*, each one checked.

        :raises ChangeError: naming the first malformed triple, or a removed one
            that is not in the data graph.
        """
        gone = list(dict.fromkeys(_triple(t) for t in removed))
        for triple in gone:
            if any(isinstance(term, ox.BlankNode) for term in triple):
                raise ChangeError(
                    message("change.blank_removed", triple=_text(triple)), triple=_text(triple)
                )
            if not graph.literals.holds(graph.store, triple, graph=DATA_GRAPH):
                raise ChangeError(
                    message("change.absent", triple=_text(triple)),
                    triple=_text(triple),
                    absent=True,
                )
        fresh: dict[str, ox.BlankNode] = {}
        new = [_renamed(_triple(t), fresh) for t in added]
        return cls(tuple(gone), tuple(dict.fromkeys(new)))

    def __bool__(self) -> bool:
        return bool(self.removed or self.added)

    def apply(self, graph: GoalGraph) -> Change:
        """Make the change in *graph*; the change that undoes it.

        What undoes it removes only the added triples that were not there before.
        """
        store = graph.store
        novel = tuple(
            t
            for t in self.added
            if t not in self.removed and not graph.literals.holds(store, t, graph=DATA_GRAPH)
        )
        if self.removed:
            graph.literals.remove(store, self.removed, graph=DATA_GRAPH)
        if self.added:
            graph.add(self.added)
        return Change(removed=novel, added=self.removed)

    def nodes(self) -> set[ox.NamedNode | ox.BlankNode | ox.Literal]:
        """Every subject and object of the change."""
        found: set[ox.NamedNode | ox.BlankNode | ox.Literal] = set()
        for triple in (*self.removed, *self.added):
            found.add(triple.subject)  # type: ignore[arg-type]
            found.add(triple.object)  # type: ignore[arg-type]
        return found

    def predicates(self) -> set[str]:
        """The IRIs of every predicate of the change."""
        return {t.predicate.value for t in (*self.removed, *self.added)}


def _text(triple: ox.Triple) -> str:
    return f"{triple.subject} {triple.predicate} {triple.object} ."


def _triple(item: object) -> ox.Triple:
    """*item* as a pyoxigraph triple of the data graph.

    :raises ChangeError: if it is no triple, or not one RDF allows.
    """
    if isinstance(item, ox.Quad):
        if item.graph_name not in (DATA_GRAPH, ox.DefaultGraph()):
            raise ChangeError(
                message("change.other_graph", triple=str(item), graph=str(item.graph_name)),
                triple=str(item),
            )
        item = item.triple
    if not isinstance(item, ox.Triple):
        if not isinstance(item, tuple) or len(item) != 3:
            raise ChangeError(message("change.not_a_triple", item=repr(item)[:200]))
        try:
            terms = [
                t
                if isinstance(t, ox.NamedNode | ox.BlankNode | ox.Literal)
                else from_rdflib_term(t)
                for t in item
            ]
            item = ox.Triple(*terms)  # type: ignore[arg-type]
        except (TypeError, ValueError, AttributeError) as exc:
            raise ChangeError(
                message("change.not_a_triple", item=repr(item)[:200]), triple=None
            ) from exc
    s, p, o = item.subject, item.predicate, item.object
    if (
        not isinstance(s, ox.NamedNode | ox.BlankNode)
        or not isinstance(p, ox.NamedNode)
        or isinstance(o, ox.Triple)
    ):
        raise ChangeError(message("change.ill_formed", triple=str(item)), triple=str(item))
    return item


def _renamed(triple: ox.Triple, fresh: dict[str, ox.BlankNode]) -> ox.Triple:
    """*triple* with each blank node replaced by a new one (the same for the same label)."""
    s, o = triple.subject, triple.object
    if not isinstance(s, ox.BlankNode) and not isinstance(o, ox.BlankNode):
        return triple
    if isinstance(s, ox.BlankNode):
        s = fresh.setdefault(s.value, ox.BlankNode())
    if isinstance(o, ox.BlankNode):
        o = fresh.setdefault(o.value, ox.BlankNode())
    return ox.Triple(s, triple.predicate, o)
