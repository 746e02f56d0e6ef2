"""The values of chosen properties, and the instances of each class, gathered while loading.

:func:`goalgraph.load` reads each RDF file twice at once: the store's bulk
load, and a lenient parse in a thread beside it that records the literals as
written (:mod:`goalgraph.ledger`). That parse also fills a
:class:`PropertyTables`: for each property that goalgraph's shapes constrain
through a single-IRI path or a step of a sequence path (or target through
``sh:targetSubjectsOf``), its triples as written (subject and value), and
for ``rdf:type`` the instances of each class. The fast engine then judges
simple property shapes (counts, datatypes, classes, allowed values, an
``sh:or`` of simple members) from these tables with set operations instead
of joining each focus node in the
store (``validation/_tabled.py``; docs/validation.md, "Tables from the load").

The tables stand for the *data* graph as loaded, and are used only while it
is unchanged since: :meth:`PropertyTables.seal` keeps the change counters of
the ledger (every goalgraph write goes through it), and
:meth:`PropertyTables.current` compares them. The vocabulary graph's few
triples are read from the store when a check asks.

Every subject and value is numbered once (:class:`Nodes`: an IRI by its
text, a blank node or literal by its pyoxigraph term), and the columns keep
arrays of these numbers: about 10 bytes per triple, and set operations over
small integers.

>>> import pyoxigraph as ox
>>> tables = PropertyTables(["https://e.org/p"])
>>> s, p = ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p")
>>> tables.observe([ox.Triple(s, p, ox.Literal("1.50")), ox.Triple(s, p, ox.Literal("1.50"))])
>>> column = tables.column("https://e.org/p")
>>> [tables.nodes.keys[n] for n in column.subjects]
['https://e.org/s', 'https://e.org/s']
>>> [tables.nodes.keys[n].value for n in set(column.values)]
['1.50']
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Protocol

import pyoxigraph as ox

from goalgraph import resources
from goalgraph.literals import RDF

__all__ = [
    "Column",
    "Key",
    "Nodes",
    "PropertyTables",
    "Sink",
    "builtin_shape_paths",
    "key",
    "shape_paths",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: a subject or value as kept: an IRI as its text, anything else as the pyoxigraph term
Key = str | ox.BlankNode | ox.Literal | ox.Triple

_RDF_TYPE = RDF + "type"
_SH_PATH = ox.NamedNode("http://www.w3.org/ns/shacl#path")
_RDF_FIRST = ox.NamedNode(RDF + "first")
_RDF_REST = ox.NamedNode(RDF + "rest")
#: what a shape names a gathered property by: also the scope of goalgraph's uniqueness
#: component (``validation/_unique.py``)
_GATHERED = frozenset(
    {
        _SH_PATH,
        ox.NamedNode("http://www.w3.org/ns/shacl#targetSubjectsOf"),
        ox.NamedNode("https://w3id.org/goalgraph/shapes#uniqueWithin"),
    }
)


def key(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Key:
    """How the tables keep *node*.

    >>> key(ox.NamedNode("https://e.org/s")), type(key(ox.Literal("x"))).__name__
    ('https://e.org/s', 'Literal')
    """
    return node.value if type(node) is ox.NamedNode else node


class Sink(Protocol):
    """Where the scan puts a triple whose predicate the tables gather."""

    def add(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple, value: Term) -> None:
        """Record one triple (``value`` is its object as the parser gave it)."""


class Nodes:
    """Every subject and value the tables hold, numbered: the columns keep numbers
    (4 bytes each in an array) and the checks compare sets of numbers."""

    __slots__ = ("keys", "numbers")

    def __init__(self) -> None:
        self.numbers: dict[Key, int] = {}
        self.keys: list[Key] = []

    def number(self, node: Term) -> int:
        """The number of a pyoxigraph term (given a new one if it has none yet)."""
        kept = node.value if type(node) is ox.NamedNode else node
        found = self.numbers.get(kept)
        if found is None:
            found = self.numbers[kept] = len(self.keys)
            self.keys.append(kept)
        return found


class Column:
    """One property's triples as two arrays of node numbers: subjects and values."""

    __slots__ = ("nodes", "subjects", "triple_terms", "values")

    def __init__(self, nodes: Nodes) -> None:
        self.nodes = nodes
        self.subjects = array("L")
        self.values = array("L")
        #: whether a value is an RDF 1.2 triple term
        self.triple_terms = False

    def add(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple, value: Term) -> None:
        """Record one triple (``value`` is its object as the parser gave it)."""
        number = self.nodes.number
        self.subjects.append(number(subject))
        self.values.append(number(value))
        if type(value) is ox.Triple:
            self.triple_terms = True


class _Types:
    """``rdf:type``: the instances of each class, by the class's number."""

    __slots__ = ("instances", "nodes")

    def __init__(self, nodes: Nodes) -> None:
        self.nodes = nodes
        self.instances: dict[int, array[int]] = {}

    def add(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple, value: Term) -> None:
        number = self.nodes.number
        cls = number(value)
        listed = self.instances.get(cls)
        if listed is None:
            listed = self.instances[cls] = array("L")
        listed.append(number(subject))


class PropertyTables:
    """The triples of chosen properties, and the instances of each class, as loaded."""

    def __init__(self, predicates: Iterable[str]) -> None:
        self.nodes = Nodes()
        self._types = _Types(self.nodes)
        #: what the scan looks up for each triple's predicate: its column, if gathered
        self.sinks: dict[ox.NamedNode, Sink] = {
            ox.NamedNode(iri): Column(self.nodes) for iri in predicates if iri != _RDF_TYPE
        }
        self.sinks[ox.NamedNode(_RDF_TYPE)] = self._types
        self._graphs: tuple[ox.NamedNode, ...] = ()
        self._versions: tuple[int, ...] | None = None

    def observe(self, quads: Iterable[ox.Triple | ox.Quad]) -> None:
        """Record *quads* (triples added to the data graph while loading)."""
        sinks = self.sinks
        for quad in quads:
            sink = sinks.get(quad.predicate)
            if sink is not None:
                sink.add(quad.subject, quad.object)

    # --- whether they still hold --------------------------------------------

    def seal(self, graphs: Sequence[ox.NamedNode], versions: Sequence[int]) -> None:
        """The loading is over: the tables stand for *graphs* at their change *versions*."""
        self._graphs = tuple(graphs)
        self._versions = tuple(versions)

    def current(self, versions: Sequence[int]) -> bool:
        """Whether *versions* of the sealed graphs are those at :meth:`seal`."""
        return self._versions is not None and tuple(versions) == self._versions

    @property
    def graphs(self) -> tuple[ox.NamedNode, ...]:
        """The graphs whose change versions :meth:`current` compares."""
        return self._graphs

    # --- reading ------------------------------------------------------------

    def covers(self, predicate: str) -> bool:
        """Whether the triples of *predicate* are gathered as a :class:`Column` (``rdf:type``
        is gathered as classes and their instances instead: see :meth:`instances`)."""
        return isinstance(self.sinks.get(ox.NamedNode(predicate)), Column)

    def column(self, predicate: str) -> Column:
        """The gathered triples of *predicate*.

        :raises KeyError: if they are not gathered (see :meth:`covers`).
        """
        found = self.sinks[ox.NamedNode(predicate)]
        if not isinstance(found, Column):
            raise KeyError(predicate)
        return found

    def instances(self, cls: str) -> array[int]:
        """The numbers of the subjects typed *cls* (no subclasses; once per ``rdf:type``
        triple)."""
        number = self.nodes.numbers.get(cls)
        return self._types.instances.get(number, _NONE) if number is not None else _NONE

    def types_of(self, subjects: set[int]) -> dict[int, set[int]]:
        """The classes (by number) each of *subjects* is typed with, for those typed."""
        found: dict[int, set[int]] = {}
        for cls, instances in self._types.instances.items():
            for subject in instances:
                if subject in subjects:
                    found.setdefault(subject, set()).add(cls)
        return found


_NONE: array[int] = array("L")


def shape_paths(triples: Iterable[ox.Triple]) -> set[str]:
    """The IRIs that are a shape's whole ``sh:path``, a step of a sequence path, its
    ``sh:targetSubjectsOf`` or its ``ggsh:uniqueWithin`` among a shapes graph's
    *triples*: the properties worth gathering while loading.

    >>> shape, p = ox.NamedNode("https://e.org/S"), ox.NamedNode("https://e.org/p")
    >>> shape_paths([ox.Triple(shape, _SH_PATH, p)])
    {'https://e.org/p'}
    """
    found: set[str] = set()
    firsts: dict[object, object] = {}
    rests: dict[object, object] = {}
    sequences: list[ox.BlankNode] = []
    for t in triples:
        if t.predicate in _GATHERED:
            if type(t.object) is ox.NamedNode:
                found.add(t.object.value)
            elif t.predicate == _SH_PATH and type(t.object) is ox.BlankNode:
                sequences.append(t.object)
        elif t.predicate == _RDF_FIRST:
            firsts[t.subject] = t.object
        elif t.predicate == _RDF_REST:
            rests[t.subject] = t.object
    for head in sequences:
        node: object = head
        seen: set[object] = set()
        while node in firsts and node not in seen:  # a cyclic list ends the walk
            seen.add(node)
            step = firsts[node]
            if type(step) is ox.NamedNode:
                found.add(step.value)
            node = rests.get(node)
    return found


@cache
def builtin_shape_paths() -> frozenset[str]:
    """:func:`shape_paths` of goalgraph's own shapes (``shapes/*.ttl``).

    >>> "https://w3id.org/goalgraph/ontology#refYear" in builtin_shape_paths()
    True
    """
    found: set[str] = set()
    for path in resources.shapes_files():
        found |= shape_paths(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    return frozenset(found)
