"""Literals as the user wrote them, where the store keeps something else.

pyoxigraph's store rewrites typed literals into a canonical form as it
stores them: ``"1.50"^^xsd:decimal`` becomes ``"1.5"``, ``"01"^^xsd:integer``
becomes ``"1"`` and ``"300"^^xsd:byte`` becomes ``"300"^^xsd:integer``.
Ill-formed literals (``"2019-04-31"^^xsd:date``) it keeps as written. A
:class:`LiteralLedger` remembers, for each named graph of a
:class:`~goalgraph.graph.GoalGraph`:

* the **originals** of every stored triple whose literal the store
  rewrote, keyed by the stored triple (several originals when the store
  merged ``"1.5"`` and ``"1.50"`` of one subject and property into one triple);
* the **ill-formed** literals (:func:`goalgraph.literals.well_formed`).

Writers (``to_rdflib``, ``serialize``, the spreadsheet export) put the
originals back; validation judges them (see docs/validation.md, "Literals
as written").

Files are scanned by :func:`load_recording` in a thread *beside* the
store's own bulk load, which is where the cost hides: the scan is a second,
lenient parse (docs/validation.md gives the measurements).

>>> import pyoxigraph as ox
>>> ledger = LiteralLedger()
>>> s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
>>> written = ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal"))
>>> graph = ox.NamedNode("https://example.org/g")
>>> store = ox.Store()
>>> ledger.add(store, [ox.Triple(s, p, written)], graph=graph)
>>> stored = next(store.quads_for_pattern(s, p, None)).object
>>> stored.value, [o.value for o in ledger.originals(ox.Triple(s, p, stored), graph)]
('1.5', ['1.50'])
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from goalgraph.literals import RDF, XSD, well_formed
from goalgraph.property_tables import PropertyTables, Sink

__all__ = ["Key", "LiteralLedger", "Subject", "load_recording", "may_have_blank_nodes"]

_STRING = ox.NamedNode(XSD + "string")
_LANG_STRING = ox.NamedNode(RDF + "langString")
_PLAIN = frozenset({_STRING, _LANG_STRING})
_SUBJECT = ox.NamedNode("urn:goalgraph:ledger:s")
_PREDICATE = ox.NamedNode("urn:goalgraph:ledger:p")

Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Key = tuple[Subject, ox.NamedNode, ox.Literal]


_KEPT: tuple[ox.Literal | None, bool] = (None, False)  # stored as written, well-formed
_BATCH = 4096  # new literals judged together in the scratch store
_NO_SINKS: dict[ox.NamedNode, Sink] = {}


class _StoredForms:
    """What the store makes of each distinct literal of a source, and whether it is ill-formed.

    The stored form is found by storing the literal in a scratch store, so
    it is the store's own rule, whatever its version; each distinct literal
    is judged once (2 M triples hold about 11 000 distinct literals), in batches.
    """

    def __init__(self) -> None:
        self.scratch = ox.Store()
        #: literal -> (its stored form if that differs from it, ill-formed); every literal
        #: of the source is a key, so the keys are also the literals written as such
        self.verdicts: dict[ox.Literal, tuple[ox.Literal | None, bool]] = {}

    def judge(self, literal: ox.Literal) -> tuple[ox.Literal | None, bool]:
        """The verdict on one literal (see :meth:`judge_all`)."""
        self.judge_all([literal])
        return self.verdicts[literal]

    def judge_all(self, literals: Iterable[ox.Literal]) -> None:
        """Judge *literals* at once: one scratch-store transaction for all of them."""
        batch = [
            literal
            for literal in literals
            if literal.datatype.value.startswith(XSD) and literal.datatype != _STRING
        ]
        kept: dict[int, ox.Literal] = {}
        if batch:
            self.scratch.extend(
                ox.Quad(ox.NamedNode(f"{_SUBJECT.value}:{i}"), _PREDICATE, literal)
                for i, literal in enumerate(batch)
            )
            for quad in self.scratch:
                kept[int(quad.subject.value.rsplit(":", 1)[1])] = quad.object
            self.scratch.clear()
        stored_forms = {literal: kept[i] for i, literal in enumerate(batch)}
        for literal in literals:
            ill = well_formed(literal.value, literal.datatype.value) is False
            stored: ox.Literal | None = stored_forms.get(literal)
            if stored is not None and (stored.value, stored.datatype) == (
                literal.value,
                literal.datatype,
            ):
                stored = None
            self.verdicts[literal] = _KEPT if stored is None and not ill else (stored, ill)


@dataclass
class _Graph:
    """The ledger of one named graph."""

    #: stored triple -> the originals it stands for (only where the store changed something)
    originals: dict[Key, tuple[ox.Literal, ...]] = field(default_factory=dict)
    #: ill-formed literals as written (and stored: the store keeps them unchanged, unless
    #: it changed the datatype, as for "300"^^xsd:byte)
    ill_formed: set[ox.Literal] = field(default_factory=set)


class _Scan:
    """What the passes over one source's triples found."""

    def __init__(self, forms: _StoredForms, earlier: Collection[Key] = ()) -> None:
        self.forms = forms
        self.changed: dict[Key, dict[ox.Literal, None]] = {}
        self.ill_formed: set[ox.Literal] = set()
        #: changed keys whose stored literal the source also wrote as such (merged triples)
        self.written: set[Key] = set()
        #: keys an earlier source of the graph wrote otherwise (their originals are
        #: recorded; the ledger's own keys, read while nothing writes to them)
        self.earlier = earlier
        self.earlier_stored = frozenset(key[2] for key in earlier)
        #: of those, the keys this source writes with the stored literal itself
        self.written_earlier: set[Key] = set()

    def triples(
        self, quads: Iterable[ox.Triple | ox.Quad], tables: PropertyTables | None = None
    ) -> None:
        """The first pass: the changed and ill-formed literals (kept lean: it sees every triple).

        Triples whose literal is new wait until a batch of new literals is judged. With
        *tables*, the triples of their properties are recorded there on the way.
        """
        literal_type = ox.Literal
        get = self.forms.verdicts.get
        new: dict[ox.Literal, None] = {}
        waiting: list[ox.Triple | ox.Quad] = []
        plain = _PLAIN
        earlier_stored = self.earlier_stored
        sinks = tables.sinks if tables is not None else _NO_SINKS
        for quad in quads:
            o = quad.object
            if sinks:
                sink = sinks.get(quad.predicate)
                if sink is not None:
                    sink.add(quad.subject, o)
            # plain and language strings are stored as written and are well-formed once
            # parsed: skipping them keeps the verdicts small (a national graph has a
            # million distinct labels)
            if type(o) is literal_type and o.datatype not in plain:
                verdict = get(o)
                if verdict is None:
                    new[o] = None
                    waiting.append(quad)
                    if len(new) >= _BATCH or len(waiting) >= 16 * _BATCH:
                        self._judged(new, waiting)
                elif verdict is not _KEPT:
                    self._record(quad, o, verdict)
                elif o in earlier_stored:
                    self._written_again(quad, o)
        self._judged(new, waiting)

    def _judged(self, new: dict[ox.Literal, None], waiting: list[ox.Triple | ox.Quad]) -> None:
        self.forms.judge_all(list(new))
        verdicts = self.forms.verdicts
        for quad in waiting:
            verdict = verdicts[quad.object]  # type: ignore[index]
            if verdict is not _KEPT:
                self._record(quad, quad.object, verdict)  # type: ignore[arg-type]
            elif quad.object in self.earlier_stored:
                self._written_again(quad, quad.object)  # type: ignore[arg-type]
        new.clear()
        waiting.clear()

    def _written_again(self, quad: ox.Triple | ox.Quad, o: ox.Literal) -> None:
        """*quad* writes, as the store keeps it, a literal an earlier source wrote otherwise."""
        key = (quad.subject, quad.predicate, o)
        if key in self.earlier:
            self.written_earlier.add(key)

    def _record(
        self, quad: ox.Triple | ox.Quad, o: ox.Literal, verdict: tuple[ox.Literal | None, bool]
    ) -> None:
        stored, ill = verdict
        if ill:
            self.ill_formed.add(o)
        if stored is not None:
            self.changed.setdefault((quad.subject, quad.predicate, stored), {})[o] = None

    def suspects(self) -> set[ox.Literal]:
        """Stored forms of changed literals that the source also wrote as such."""
        verdicts = self.forms.verdicts
        return {key[2] for key in self.changed if key[2] in verdicts}

    def written_pass(self, quads: Iterable[ox.Triple | ox.Quad], suspects: set[ox.Literal]) -> None:
        """The second pass, only when there are *suspects*: which changed keys were also
        written with the stored literal itself (so the store merged two literals)."""
        for quad in quads:
            o = quad.object
            if o in suspects:
                key = (quad.subject, quad.predicate, o)
                if key in self.changed:
                    self.written.add(key)


class LiteralLedger:
    """Originals of rewritten literals and the ill-formed literals, per named graph.

    Kept in a :class:`~goalgraph.graph.GoalGraph` (``graph.literals``) and
    updated by its ``add``, ``clear`` and by :func:`goalgraph.load`.
    """

    def __init__(self) -> None:
        self._graphs: dict[ox.NamedNode, _Graph] = {}
        self._forms = _StoredForms()
        self._lock = threading.Lock()
        self._versions: dict[ox.NamedNode, int] = {}

    def version(self, graph: ox.NamedNode) -> int:
        """How many times triples of *graph* were recorded, removed or cleared here: a
        reader that kept a number can tell whether the graph changed since (see
        :class:`~goalgraph.property_tables.PropertyTables`)."""
        return self._versions.get(graph, 0)

    def _changed(self, graph: ox.NamedNode) -> None:
        self._versions[graph] = self._versions.get(graph, 0) + 1

    def _graph(self, graph: ox.NamedNode) -> _Graph:
        return self._graphs.setdefault(graph, _Graph())

    # --- recording ----------------------------------------------------------

    def add(self, store: ox.Store, triples: Iterable[ox.Triple], *, graph: ox.NamedNode) -> None:
        """Record *triples* and add them to *graph* in *store* (one transaction)."""
        batch = list(triples)
        with self._lock:
            scan = _scanned(batch, earlier=self._graph(graph).originals.keys())
            self._merge(scan, graph, present_before=_present(store, scan, graph))
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in batch)

    def record(self, triples: Sequence[ox.Triple], *, graph: ox.NamedNode) -> None:
        """Record *triples* that the caller stores itself in *graph*, which was empty before.

        >>> ledger, g = LiteralLedger(), ox.NamedNode("https://example.org/g")
        >>> s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
        >>> written = ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal"))
        >>> ledger.record([ox.Triple(s, p, written)], graph=g)
        >>> [(k[2].value, [o.value for o in v]) for k, v in ledger.rewritten([g]).items()]
        [('1.5', ['1.50'])]
        """
        with self._lock:
            self._merge(_scanned(triples), graph, present_before=set())

    def restore(
        self,
        graph: ox.NamedNode,
        *,
        originals: dict[Key, tuple[ox.Literal, ...]],
        ill_formed: Iterable[ox.Literal],
    ) -> None:
        """Set what is recorded for *graph*: as :meth:`rewritten` and :meth:`ill_formed`
        gave it (for a store that keeps its ledger beside its triples)."""
        with self._lock:
            self._graphs[graph] = _Graph(dict(originals), set(ill_formed))
            self._changed(graph)

    def _merge(self, scan: _Scan, graph: ox.NamedNode, *, present_before: set[Key]) -> None:
        """Fold a scan into the ledger of *graph*.

        *present_before*: changed keys whose stored triple was already in the
        store before this source (from a written literal or an earlier rewrite).
        """
        self._changed(graph)
        book = self._graph(graph)
        book.ill_formed |= scan.ill_formed
        for key, originals in scan.changed.items():
            merged: dict[ox.Literal, None] = dict.fromkeys(book.originals.get(key, ()))
            if key in scan.written or (key not in book.originals and key in present_before):
                merged[key[2]] = None  # the stored form was also written as such
            merged.update(originals)
            book.originals[key] = tuple(merged)
        for key in scan.written_earlier:  # "1" before, now "true" as such: both are written
            recorded = book.originals.get(key, ())
            if key[2] not in recorded:
                book.originals[key] = (*recorded, key[2])

    def holds(self, store: ox.Store, triple: ox.Triple, *, graph: ox.NamedNode) -> bool:
        """Whether *triple*, as written (``"1.50"``, not the stored ``"1.5"``), is in *graph*."""
        with self._lock:
            stored = self._stored_triple(triple)
        if ox.Quad(stored.subject, stored.predicate, stored.object, graph) not in store:
            return False
        originals = self.originals(stored, graph)
        return triple.object in originals if originals is not None else stored == triple

    def remove(self, store: ox.Store, triples: Iterable[ox.Triple], *, graph: ox.NamedNode) -> None:
        """Remove *triples*, each as written and in *graph* (see :meth:`holds`), from *store*.

        A stored triple that stands for several written ones stays while one of them does.
        """
        with self._lock:
            self._changed(graph)
            book = self._graph(graph)
            gone: set[ox.Literal] = set()
            for triple in triples:
                stored = self._stored_triple(triple)
                key = (stored.subject, stored.predicate, stored.object)
                kept = tuple(o for o in book.originals.get(key, ()) if o != triple.object)  # type: ignore[arg-type]
                if kept and kept != (stored.object,):
                    book.originals[key] = kept  # type: ignore[index]
                else:
                    book.originals.pop(key, None)  # type: ignore[arg-type]
                if not kept:
                    store.remove(ox.Quad(stored.subject, stored.predicate, stored.object, graph))
                if triple.object in book.ill_formed:
                    gone.add(triple.object)  # type: ignore[arg-type]
            for literal in gone:
                if not self._written_in(store, literal, graph):
                    book.ill_formed.discard(literal)

    def _stored_triple(self, triple: ox.Triple) -> ox.Triple:
        o = triple.object
        if not isinstance(o, ox.Literal):
            return triple
        stored, _ = self._forms.verdicts.get(o) or self._forms.judge(o)
        return triple if stored is None else ox.Triple(triple.subject, triple.predicate, stored)

    def _written_in(self, store: ox.Store, literal: ox.Literal, graph: ox.NamedNode) -> bool:
        """Whether some triple of *graph* still has *literal* as written."""
        book = self._graph(graph)
        if any(literal in originals for originals in book.originals.values()):
            return True
        for quad in store.quads_for_pattern(None, None, literal, graph):
            recorded = book.originals.get((quad.subject, quad.predicate, literal))
            if recorded is None or literal in recorded:
                return True
        return False

    def add_existing(self, store: ox.Store) -> None:
        """Record the ill-formed literals already in *store* (their originals are lost)."""
        with self._lock:
            for quad in store.quads_for_pattern(None, None, None):
                o, name = quad.object, quad.graph_name
                if not isinstance(o, ox.Literal) or not isinstance(name, ox.NamedNode):
                    continue
                if well_formed(o.value, o.datatype.value) is False:
                    self._graph(name).ill_formed.add(o)

    def clear(self, graph: ox.NamedNode) -> None:
        """Forget everything recorded for *graph* (its triples were removed)."""
        with self._lock:
            self._graphs.pop(graph, None)
            self._changed(graph)

    # --- reading ------------------------------------------------------------

    def originals(self, triple: ox.Triple, graph: ox.NamedNode) -> tuple[ox.Literal, ...] | None:
        """The literals as written behind a stored triple of *graph*, or ``None`` if unchanged."""
        book = self._graphs.get(graph)
        if book is None or not book.originals:
            return None
        return book.originals.get((triple.subject, triple.predicate, triple.object))  # type: ignore[arg-type]

    def as_written(self, triples: Iterable[ox.Triple], graph: ox.NamedNode) -> Iterator[ox.Triple]:
        """*triples* of *graph* with every rewritten literal replaced by its originals."""
        book = self._graphs.get(graph)
        if book is None or not book.originals:
            yield from triples
            return
        originals = book.originals
        for t in triples:
            found = (
                originals.get((t.subject, t.predicate, t.object))
                if isinstance(t.object, ox.Literal)
                else None
            )
            if found is None:
                yield t
            else:
                for original in found:
                    yield ox.Triple(t.subject, t.predicate, original)

    def ill_formed(
        self, graphs: Sequence[ox.NamedNode], *, datatypes: Collection[str] | None = None
    ) -> set[ox.Literal]:
        """The ill-formed literals, as written, of *graphs* (only of *datatypes*, if given)."""
        found: set[ox.Literal] = set()
        for graph in graphs:
            if graph in self._graphs:
                found |= self._graphs[graph].ill_formed
        if datatypes is not None:
            found = {literal for literal in found if literal.datatype.value in datatypes}
        return found

    def rewritten(self, graphs: Sequence[ox.NamedNode]) -> dict[Key, tuple[ox.Literal, ...]]:
        """Every stored triple of *graphs* whose literal the store rewrote, with its originals."""
        found: dict[Key, tuple[ox.Literal, ...]] = {}
        for graph in graphs:
            if graph in self._graphs:
                found.update(self._graphs[graph].originals)
        return found

    def stored_form(self, literal: ox.Literal) -> ox.Literal:
        """What the store keeps of *literal* (the literal itself when it keeps it as written)."""
        with self._lock:
            stored, _ = self._forms.verdicts.get(literal) or self._forms.judge(literal)
        return stored if stored is not None else literal


def _scanned(batch: Sequence[ox.Triple], *, earlier: Collection[Key] = ()) -> _Scan:
    """Both passes of a scan over *batch* (*earlier*: see :class:`_Scan`)."""
    scan = _Scan(_StoredForms(), earlier)
    scan.triples(batch)
    suspects = scan.suspects()
    if suspects:
        scan.written_pass(batch, suspects)
    return scan


def may_have_blank_nodes(source: bytes | Path, format: ox.RdfFormat) -> bool:
    """Whether *source* (bytes, or a file read in chunks) in *format* might contain blank
    nodes (``False`` only when surely not).

    In Turtle and TriG, ``[`` and ``(`` inside strings, IRIs and comments do not
    count ("Andel (%)" is no collection); a file with a long string (triple
    quotes) is read as *might*.

    >>> may_have_blank_nodes(b'<a:s> <a:p> "x" .', ox.RdfFormat.N_TRIPLES)
    False
    >>> may_have_blank_nodes(b'<a:s> <a:p> [ <a:q> 1 ] .', ox.RdfFormat.TURTLE)
    True
    >>> may_have_blank_nodes(b'<a:s> <a:p> "Andel (%)", "[x]" . # (note)', ox.RdfFormat.TURTLE)
    False
    >>> may_have_blank_nodes(b'<< <a:s> <a:p> <a:o> >> <a:q> 1 .', ox.RdfFormat.TURTLE)
    True
    """
    if format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        markers: tuple[bytes, ...] = (b"_:",)
    elif format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        # RDF 1.2: a reified triple "<< … >>", an annotation "{| … |}" and a bare "~"
        # reifier each make a blank node too
        markers = (b"_:", b"[", b"(", b"<<", b"{|", b"~")
    else:
        return True  # JSON-LD, RDF/XML, N3: nodes without an id are blank
    text_aware = format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    for lines in _whole_lines(source):
        if not any(marker in lines for marker in markers):
            continue
        if not text_aware:
            return True
        if b'"""' in lines or b"'''" in lines:
            return True
        if any(marker in _TEXT.sub(b" ", lines) for marker in markers):
            return True
    return False


# strings (short ones end on their line), IRIs and comments, where "[", "(" and "_:" mean nothing
_TEXT = re.compile(rb'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')


def _whole_lines(source: bytes | Path) -> Iterator[bytes]:
    """*source* in pieces of about 1 MB that end at a line's end."""
    if isinstance(source, bytes):
        yield source
        return
    with source.open("rb") as handle:
        rest = b""
        while chunk := handle.read(1 << 20):
            cut = chunk.rfind(b"\n")
            if cut < 0:
                rest += chunk
                continue
            yield rest + chunk[: cut + 1]
            rest = chunk[cut + 1 :]
        if rest:
            yield rest


def _source(source: bytes | Path) -> dict[str, Any]:
    """The keyword pyoxigraph's parse() and Store.load() take for bytes or a file."""
    return {"input": source} if isinstance(source, bytes) else {"path": source}


def load_recording(
    store: ox.Store,
    ledger: LiteralLedger | None,
    data: bytes | Path,
    *,
    format: ox.RdfFormat,
    base_iri: str | None,
    to_graph: ox.NamedNode,
    tables: PropertyTables | None = None,
) -> None:
    """Load *data* into *to_graph* of *store* and record its literals in *ledger* (if any),
    and the triples of the properties *tables* gathers there (if given, with a ledger).

    *data* is the source's bytes, or its path (the store and the scan then
    each read the file themselves, so nothing holds it whole).

    A source without blank nodes goes through the store's bulk loader while
    a thread parses it again to find rewritten and ill-formed literals (the
    store would rename blank nodes, so those sources are parsed once and
    added with the parser's blank nodes, which is slower but keeps every
    rewritten literal attached to its triple).

    :raises SyntaxError: as :meth:`pyoxigraph.Store.load` does.

    >>> store, ledger, graph = ox.Store(), LiteralLedger(), ox.NamedNode("https://e.org/g")
    >>> data = b'<https://e.org/s> <https://e.org/p> "01"^^<http://www.w3.org/2001/XMLSchema#int> .'
    >>> load_recording(
    ...     store, ledger, data, format=ox.RdfFormat.N_TRIPLES, base_iri=None, to_graph=graph
    ... )
    >>> [(k[2].value, [o.value for o in v]) for k, v in ledger.rewritten([graph]).items()]
    [('1', ['01'])]
    """
    if ledger is None:
        store.load(**_source(data), format=format, base_iri=base_iri, to_graph=to_graph)
        return
    if may_have_blank_nodes(data, format):
        triples = [
            q.triple if isinstance(q, ox.Quad) else q
            for q in ox.parse(**_source(data), format=format, base_iri=base_iri)
        ]
        if tables is not None:
            tables.observe(triples)
        ledger.add(store, triples, graph=to_graph)
        return
    book = ledger._graphs.get(to_graph)
    scan = _Scan(_StoredForms(), book.originals.keys() if book is not None else ())
    if any(store.quads_for_pattern(None, None, None, to_graph)):
        # the graph holds triples already: whether a rewritten triple was there before
        # must be asked before loading, so the scan comes first
        scan.triples(ox.parse(**_source(data), format=format, base_iri=base_iri), tables)
        present = _present(store, scan, to_graph)
        store.load(**_source(data), format=format, base_iri=base_iri, to_graph=to_graph)
    else:
        _load_beside_scan(
            store, scan, data, format=format, base_iri=base_iri, to_graph=to_graph, tables=tables
        )
        present = set()
    suspects = scan.suspects()
    if suspects:
        scan.written_pass(ox.parse(**_source(data), format=format, base_iri=base_iri), suspects)
    with ledger._lock:
        ledger._merge(scan, to_graph, present_before=present)


def _load_beside_scan(
    store: ox.Store,
    scan: _Scan,
    data: bytes | Path,
    *,
    format: ox.RdfFormat,
    base_iri: str | None,
    to_graph: ox.NamedNode,
    tables: PropertyTables | None,
) -> None:
    """The store's bulk load, with the scan's first pass in a thread beside it."""
    failure: list[BaseException] = []

    def scan_source() -> None:
        try:
            # lenient: the store's own load checks the syntax and reports the errors
            lenient = ox.parse(**_source(data), format=format, base_iri=base_iri, lenient=True)
            scan.triples(lenient, tables)
        except BaseException as exc:  # the load reports the same syntax error itself
            failure.append(exc)

    thread = threading.Thread(target=scan_source, name="goalgraph-literal-scan")
    thread.start()
    try:
        store.load(**_source(data), format=format, base_iri=base_iri, to_graph=to_graph)
    finally:
        thread.join()
    if failure:
        raise failure[0]


def _present(store: ox.Store, scan: _Scan, graph: ox.NamedNode) -> set[Key]:
    """The scan's changed keys already stored in *graph*."""
    return {
        key for key in scan.changed if any(store.quads_for_pattern(key[0], key[1], key[2], graph))
    }
