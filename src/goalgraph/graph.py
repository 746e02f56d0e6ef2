"""The goal graph: a user's data beside the ontology and reference data.

A :class:`GoalGraph` keeps four named graphs in one embedded pyoxigraph
store, so the user's data never mixes with what goalgraph ships, infers or computes:

* :data:`DATA_GRAPH` — what the user loaded;
* :data:`VOCABULARY_GRAPH` — the ontology and reference data (Agenda 2030,
  concept schemes, RUS, kommuner);
* :data:`INFERRED_GRAPH` — triples a reasoner derived, shown or dropped on their own;
* :data:`FOLLOWUP_GRAPH` — computed follow-up results with their provenance
  (``goalgraph.followup``); queries and validation leave it out unless asked.

>>> from goalgraph import load
>>> graph = load()
>>> len(graph)
0
>>> graph.select("SELECT (COUNT(*) AS ?n) WHERE { ?g a sdgo:Goal }")[0]["n"].value
'17'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal, TypeAlias

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from goalgraph.errors import QueryError, UnsupportedTerm
from goalgraph.federation import refuse_services, service_failure, services
from goalgraph.i18n import message
from goalgraph.ledger import LiteralLedger
from goalgraph.literals import well_formed
from goalgraph.property_tables import PropertyTables
from goalgraph.sources import SourceRow

__all__ = [
    "DATA_GRAPH",
    "FOLLOWUP_GRAPH",
    "INFERRED_GRAPH",
    "PREFIXES",
    "VOCABULARY_GRAPH",
    "GoalGraph",
    "GraphName",
    "from_rdflib_term",
    "to_rdflib_term",
]

DATA_GRAPH = ox.NamedNode("https://w3id.org/goalgraph/graph/data")
VOCABULARY_GRAPH = ox.NamedNode("https://w3id.org/goalgraph/graph/vocabulary")
INFERRED_GRAPH = ox.NamedNode("https://w3id.org/goalgraph/graph/inferred")
FOLLOWUP_GRAPH = ox.NamedNode("https://w3id.org/goalgraph/graph/followup")

GraphName: TypeAlias = Literal["data", "vocabulary", "inferred", "followup"]
_GRAPHS: dict[str, ox.NamedNode] = {
    "data": DATA_GRAPH,
    "vocabulary": VOCABULARY_GRAPH,
    "inferred": INFERRED_GRAPH,
    "followup": FOLLOWUP_GRAPH,
}

PREFIXES: dict[str, str] = {
    "gg": "https://w3id.org/goalgraph/ontology#",
    "ref": "https://w3id.org/goalgraph/ref/",
    "sdg": "http://metadata.un.org/sdg/",
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "qb": "http://purl.org/linked-data/cube#",
    "sh": "http://www.w3.org/ns/shacl#",
}

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
BindingValue: TypeAlias = Term | Node | str | int | float | bool


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_WHITESPACE_COLLAPSED = {
    "http://www.w3.org/2001/XMLSchema#normalizedString",
    "http://www.w3.org/2001/XMLSchema#token",
}


def to_rdflib_term(term: Term) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term, a literal's lexical form kept.

    rdflib would rewrite a typed literal into its own normal form (``"01"`` to
    ``"1"``, and ``"1e999999999"^^xsd:decimal`` into a billion digits the first
    time it is printed), so literals cross this border unnormalised, and
    their well-formedness is set from :func:`goalgraph.literals.well_formed`
    (which pySHACL's ``sh:datatype`` reads) rather than from rdflib's parsers.

    :raises UnsupportedTerm: for an RDF 1.2 triple term, which rdflib cannot hold.

    >>> decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    >>> term = to_rdflib_term(ox.Literal("1e999999999", datatype=decimal))
    >>> str(term), term.ill_typed
    ('1e999999999', True)
    """
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Triple):
        raise UnsupportedTerm(message("errors.triple_term", term=term))
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    verdict = well_formed(term.value, datatype)
    if datatype == _XSD_STRING and verdict:  # rdflib's plain literal, as its parsers make it
        return rdflib.Literal(term.value)
    if datatype in _WHITESPACE_COLLAPSED:
        # rdflib collapses these types' whitespace even unnormalised: build it as a
        # string and give it its datatype afterwards (rdflib has no public way)
        literal = rdflib.Literal(term.value)
        literal._datatype = rdflib.URIRef(datatype)
    else:
        literal = rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)
    if verdict is not None:
        literal._ill_typed = not verdict  # rdflib has no public way to set it either
    return literal


def from_rdflib_term(term: Node) -> Term:
    """Convert an rdflib term to the equal pyoxigraph term.

    :raises TypeError: for rdflib terms with no RDF 1.1 equivalent (variables, graphs).
    """
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an RDF term")


def _binding(value: BindingValue) -> Term:
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
        return value
    if isinstance(value, Node):
        return from_rdflib_term(value)
    if isinstance(value, bool):
        return ox.Literal(
            "true" if value else "false",
            datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"),
        )
    if isinstance(value, int | float | str):
        return ox.Literal(value)
    raise QueryError(message("query.unbindable", kind=type(value).__name__))


class GoalGraph:
    """A user's goal data with the ontology and reference data available.

    Build one with :func:`goalgraph.load`. Queries see the data, vocabulary
    and inferred graphs together unless told otherwise; serialising writes
    the user's data only unless told otherwise.
    """

    #: The triples of the shapes' properties and the instances of each class, as
    #: :func:`goalgraph.load` read them (see :mod:`goalgraph.property_tables`); the
    #: fast engine reads simple property shapes from them while the data and
    #: vocabulary graphs are unchanged since. Write through :meth:`add` and
    #: :meth:`clear` (or the ledger): a write straight to :attr:`store` is not seen.
    tables: PropertyTables | None = None

    def __init__(
        self, store: ox.Store | None = None, *, literals: LiteralLedger | None = None
    ) -> None:
        self.store = store if store is not None else ox.Store()
        #: Where each item imported from a spreadsheet came from, by its IRI (empty for RDF
        #: input); validation uses it to name the sheet, row and column of a finding.
        self.sources: dict[str, SourceRow] = {}
        #: Literals as written where the store rewrote them, and the ill-formed ones
        #: (see :mod:`goalgraph.ledger`); writers and validation read them from here.
        #: A store given without its ledger is scanned for ill-formed literals (the
        #: originals of rewritten ones are lost then).
        self.literals = literals if literals is not None else LiteralLedger()
        if store is not None and literals is None:
            self.literals.add_existing(store)

    def current_tables(self) -> PropertyTables | None:
        """:attr:`tables` while nothing was written to the graphs they stand for since loading
        (once something was, they are dropped: they would never be current again)."""
        tables = self.tables
        if tables is None:
            return None
        if not tables.current([self.literals.version(g) for g in tables.graphs]):
            self.tables = None
            return None
        return tables

    # --- size and content -------------------------------------------------

    def __len__(self) -> int:
        """The number of triples of user data."""
        return self.count("data")

    def count(self, graph: GraphName = "data") -> int:
        """The number of triples in one of the four graphs."""
        # counted by the store itself: ~3x faster than iterating quads in Python
        # (the graph IRI is one of our four constants, never user text)
        result = self.store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_GRAPHS[graph]} {{ ?s ?p ?o }} }}"
        )
        assert isinstance(result, ox.QuerySolutions)
        return int(next(result)["n"].value)

    def triples(
        self, graphs: Sequence[GraphName] = ("data",), *, as_written: bool = False
    ) -> Iterator[ox.Triple]:
        """Every triple of the chosen graphs (duplicates across graphs repeated).

        With *as_written*, literals the store rewrote (``"1.50"`` stored as
        ``"1.5"``) come back as the user wrote them.
        """
        for name in graphs:
            stored = (
                q.triple for q in self.store.quads_for_pattern(None, None, None, _GRAPHS[name])
            )
            yield from self.literals.as_written(stored, _GRAPHS[name]) if as_written else stored

    def add(self, triples: Iterable[ox.Triple], *, graph: GraphName = "data") -> None:
        """Add *triples* to one graph in a single transaction, literals kept as written."""
        self.literals.add(self.store, triples, graph=_GRAPHS[graph])

    def add_rdflib(self, source: rdflib.Graph, *, graph: GraphName = "data") -> None:
        """Add every triple of an rdflib graph to one graph."""
        self.add(
            (
                ox.Triple(from_rdflib_term(s), from_rdflib_term(p), from_rdflib_term(o))  # type: ignore[arg-type]
                for s, p, o in source
            ),
            graph=graph,
        )

    def clear(self, graph: GraphName) -> None:
        """Remove every triple of one graph, e.g. to drop inferred triples."""
        self.store.clear_graph(_GRAPHS[graph])
        self.literals.clear(_GRAPHS[graph])

    # --- querying ---------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, BindingValue] | None = None,
        graphs: Sequence[GraphName] = ("data", "vocabulary", "inferred"),
        allow_service: bool = False,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL 1.1 query over the union of *graphs*.

        Values in *bindings* replace the query's variables of the same name
        as RDF terms (never as query text), so a hostile value cannot change
        the query. Strings become plain literals; pass an rdflib ``URIRef``
        or pyoxigraph ``NamedNode`` for an IRI. A bound variable of a SELECT
        query must be in its projection. The prefixes of :data:`PREFIXES`
        are predeclared. A ``SERVICE`` clause would reach the network, so it
        is refused unless *allow_service*; then iterating the result may raise
        ``OSError`` when a service fails (:meth:`select` turns it into
        :class:`~goalgraph.errors.EndpointError`), and a service that never
        answers is waited for without limit (``run_query(..., timeout=)`` sets one).

        :raises QueryError: if the query does not parse, a binding cannot be
            used, or the query has a SERVICE clause and *allow_service* is false.
        :raises EndpointError: if a service cannot be reached (with *allow_service*).
        """
        if not allow_service:
            refuse_services(sparql)
        substitutions: dict[ox.Variable, Term | ox.Triple] = {
            ox.Variable(k): _binding(v) for k, v in (bindings or {}).items()
        }
        try:
            return self.store.query(
                sparql,
                prefixes=PREFIXES,
                default_graph=[_GRAPHS[g] for g in graphs],
                substitutions=substitutions or None,
            )
        except SyntaxError as exc:
            raise QueryError(_sparql_syntax(exc)) from exc
        except RuntimeError as exc:  # e.g. a bound variable missing from the SELECT projection
            raise QueryError(message("query.cannot_run", detail=exc)) from exc
        except OSError as exc:
            if allow_service and services(sparql):  # a SERVICE call failed, not the store
                raise service_failure(sparql, exc) from exc
            raise

    def select(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, BindingValue] | None = None,
        graphs: Sequence[GraphName] = ("data", "vocabulary", "inferred"),
        allow_service: bool = False,
    ) -> list[dict[str, Term]]:
        """Run a SELECT query and return its rows as ``{variable: term}`` dicts.

        Unbound variables are left out of a row.

        :raises QueryError: if the query is not a SELECT query or does not parse,
            or has a SERVICE clause and *allow_service* is false.
        :raises EndpointError: if a service cannot be reached (with *allow_service*).
        """
        result = self.query(sparql, bindings=bindings, graphs=graphs, allow_service=allow_service)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(message("query.not_select"))
        names = [v.value for v in result.variables]
        rows: list[dict[str, Term]] = []
        solution = None
        try:
            for solution in result:
                row = {}
                for name in names:
                    value = solution[name]
                    if value is not None:
                        row[name] = value
                rows.append(row)
        except OSError as exc:
            if allow_service and services(sparql):  # a SERVICE call failed, not the store
                raise service_failure(sparql, exc) from exc
            raise
        finally:
            # pyoxigraph's results may only be dropped by the thread that made them; an
            # error's traceback (collected by any thread) must not keep them alive
            del result, solution
        return rows

    def labels(self, node: Term | Node) -> dict[str, str]:
        """Every ``rdfs:label`` / ``skos:prefLabel`` of *node*, keyed by language tag.

        ``rdfs:label`` wins over ``skos:prefLabel``; of two labels of one
        predicate in one language the longest (then the first in text order)
        is kept, so the choice never depends on the store's order.
        """
        subject = node if isinstance(node, ox.NamedNode | ox.BlankNode) else _binding(node)
        found: dict[str, str] = {}
        for predicate in (
            "http://www.w3.org/2000/01/rdf-schema#label",
            "http://www.w3.org/2004/02/skos/core#prefLabel",
        ):
            these: dict[str, str] = {}
            for quad in self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, None):  # type: ignore[arg-type]
                if isinstance(quad.object, ox.Literal):
                    lang, text = quad.object.language or "", quad.object.value
                    kept = these.get(lang)
                    if kept is None or (-len(text), text) < (-len(kept), kept):
                        these[lang] = text
            for lang, text in these.items():
                found.setdefault(lang, text)
        return found

    # --- conversion -------------------------------------------------------

    def to_rdflib(self, graphs: Sequence[GraphName] = ("data",)) -> rdflib.Graph:
        """A new rdflib graph holding the triples of *graphs*, literals as written."""
        result = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            result.bind(prefix, namespace)
        for t in self.triples(graphs, as_written=True):
            s, p, o = t.subject, t.predicate, t.object
            result.add((to_rdflib_term(s), to_rdflib_term(p), to_rdflib_term(o)))  # type: ignore[arg-type]
        return result

    def serialize(
        self,
        *,
        format: Literal["turtle", "json-ld", "n-triples"] = "turtle",
        graphs: Sequence[GraphName] = ("data",),
        destination: str | Path | None = None,
    ) -> str:
        """Serialise *graphs* (by default the user's data) as Turtle, JSON-LD or N-Triples.

        Blank nodes are relabelled by RDF Canonicalization (RDFC-1.0) and
        triples are sorted, so the same data always gives the same text. With
        *destination* the text is also written there, atomically.

        :raises OutputError: if *destination* cannot be written (nothing is, then).
        """
        rdf_format = {
            "turtle": ox.RdfFormat.TURTLE,
            "json-ld": ox.RdfFormat.JSON_LD,
            "n-triples": ox.RdfFormat.N_TRIPLES,
        }[format]
        triples = list(self.triples(graphs, as_written=True))
        if any(
            isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
            for t in triples
        ):
            # blank node ids are random per load; canonical ids make the text reproducible
            dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
            dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
            triples = [quad.triple for quad in dataset]
        unique = {(str(t.subject), str(t.predicate), str(t.object)): t for t in triples}
        ordered = [unique[key] for key in sorted(unique)]
        prefixes = PREFIXES if format == "turtle" else None
        serialised = ox.serialize(ordered, format=rdf_format, prefixes=prefixes)
        text = (serialised or b"").decode("utf-8")
        if destination is not None:
            write_atomically(Path(destination), text)
        return text


def _sparql_syntax(error: SyntaxError) -> str:
    """The message for a SPARQL query pyoxigraph cannot parse, its place in the user's words."""
    from goalgraph.positions import parser_problem

    return parser_problem(error).worded("query.sparql_syntax", "query.sparql_syntax_unplaced")


def write_atomically(path: Path, text: str) -> None:
    """Write *text* to *path* whole or not at all (:func:`goalgraph.destinations.write_atomically`).

    :raises OutputError: naming *path* if it cannot be written; no temporary file is left.
    """
    from goalgraph.destinations import write_atomically as write

    write(path, text)
