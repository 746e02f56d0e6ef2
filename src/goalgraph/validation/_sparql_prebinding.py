"""Pre-binding of variables in SHACL-SPARQL queries (SHACL Appendix A, restrictions of 5.3.1).

SHACL evaluates a constraint's query once per focus node with ``$this``
(and a component's parameters, and ``$value`` in ASK validators)
*pre-bound*: every group of the query is joined with one solution holding
those values, so ``$this`` has its value inside FILTERs, BINDs, UNION
branches, nested groups and sub-selects too. Binding ``?this`` at the top
only (pyoxigraph's ``substitutions=``) or joining the query's solutions with
the focus nodes set-wise is not the same there.

This module

- checks a query against the restrictions that make pre-binding well
  defined (no MINUS, VALUES or SERVICE, no ``AS ?this`` for a pre-bound
  variable, sub-selects project every pre-bound variable) and raises
  :class:`~goalgraph.errors.ShapesError` otherwise;
- decides whether a set-wise join gives exactly the pre-bound answer
  (:func:`setwise_exact`), so most constraints still run as one query;
- otherwise marks every group of the query and fills the marks per focus
  node with a ``VALUES`` row of the pre-bound terms (:func:`prebind`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from rdflib.term import Node, Variable

from goalgraph.errors import ShapesError
from goalgraph.graph import from_rdflib_term
from goalgraph.i18n import message
from goalgraph.sparql_text import keywords, masked
from goalgraph.validation._analysis_cache import AnalysisCache, Anchors
from goalgraph.validation._check import Check, Unsupported
from goalgraph.validation._shapes import SH, path_text

__all__ = [
    "MARK",
    "ParsedQuery",
    "anchors",
    "check_shapes_queries",
    "check_syntax",
    "constants",
    "mark_groups",
    "parse",
    "prebind",
    "prebound_solutions",
    "refuse_service",
]


# The analysis runs rdflib's SPARQL parser (slow); its answers are kept on disk,
# keyed by this module's source too, so a change of the analysis invalidates them.
_CACHE = AnalysisCache(code=Path(__file__).read_bytes())

#: Placed right after each ``{`` that opens a group; replaced by the pre-bound ``VALUES`` row.
MARK = "%%PREBIND%%"

# not allowed where variables are pre-bound (SHACL Appendix A)
_RESTRICTED = ("MINUS", "VALUES", "SERVICE")


def _syntax_error(where: str, error: BaseException) -> ShapesError:
    """The error for the SPARQL of a shape (*where*) that does not parse, with the place in
    the query in the user's words."""
    from goalgraph.positions import parser_problem

    found = parser_problem(error)
    return ShapesError(found.worded("shapes.sparql_syntax_at", "shapes.sparql_syntax", where=where))


def mark_groups(text: str) -> str:
    """*text* with :data:`MARK` after every ``{`` that opens a group (not a sub-select's wrapper).

    >>> mark_groups("SELECT $this WHERE { { SELECT $this WHERE { FILTER(true) } } }")
    'SELECT $this WHERE {%%PREBIND%% { SELECT $this WHERE {%%PREBIND%% FILTER(true) } } }'
    """
    bare = masked(text)
    pieces = []
    start = 0
    for match in re.finditer(r"\{", bare):
        after = bare[match.end() :].lstrip()
        if re.match(r"SELECT\b", after, re.I):
            continue
        pieces.append(text[start : match.end()])
        pieces.append(MARK)
        start = match.end()
    pieces.append(text[start:])
    return "".join(pieces)


def prebind(text: str, bindings: Iterable[tuple[str, ox.NamedNode | ox.Literal]]) -> str:
    """Marked *text* with each mark replaced by one ``VALUES`` row of *bindings*.

    >>> prebind("ASK {%%PREBIND%% }", [("this", ox.NamedNode("urn:a"))])
    'ASK { VALUES (?this) { (<urn:a>) } }'
    """
    pairs = list(bindings)
    names = " ".join(f"?{name}" for name, _ in pairs)
    terms = " ".join(str(term) for _, term in pairs)
    return text.replace(MARK, f" VALUES ({names}) {{ ({terms}) }}")


@dataclass(frozen=True)
class ParsedQuery:
    """What the fast engine needs to know of a SHACL-SPARQL query."""

    projected: tuple[str, ...]
    setwise: bool
    #: what every solution says of ``$this`` (see :data:`Anchors`): where each alternative
    #: makes ``$this`` a focus node, the join with the focus nodes can be left out
    anchors: Anchors = ()


def _parse_tree(text: str) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery

    return parseQuery(text)


@functools.lru_cache(maxsize=256)
def parse(text: str, prebound: frozenset[str], where: str) -> ParsedQuery:
    """Parse *text* (prefixes included), check the pre-binding restrictions for the
    variables *prebound*, and say whether a set-wise join over ``$this`` is exact.

    :raises ShapesError: if the query is malformed or breaks a restriction;
        *where* names the shape and constraint in the message.

    >>> parse("SELECT $this WHERE { $this a ?c }", frozenset({"this"}), "ex:S").setwise
    True
    >>> parse("SELECT $this WHERE { FILTER($this = 1) }", frozenset({"this"}), "ex:S").setwise
    False
    """
    _check_text(text, prebound, where)
    key = _CACHE.key(text, prebound)
    cached = _CACHE.get(key)
    if cached is not None:
        return ParsedQuery(*cached)
    parsed = _analyse(text, prebound, where)
    _CACHE.put(key, parsed.projected, parsed.setwise, parsed.anchors)
    return parsed


def _analyse(text: str, prebound: frozenset[str], where: str) -> ParsedQuery:
    from rdflib.plugins.sparql.algebra import translateQuery

    try:
        tree = _parse_tree(text)
    except Exception as exc:  # pyparsing's errors carry the position; rdflib wraps nothing
        raise _syntax_error(where, exc) from exc
    for sub in _nodes(tree, "SubSelect"):
        missing = sorted((prebound - {"shapesGraph", "currentShape"}) - _returned(sub))
        if missing:
            raise ShapesError(
                message("shapes.sparql_subselect", where=where, variables=", ".join(missing))
            )
    try:
        algebra = translateQuery(tree).algebra
    except Exception as exc:  # an undeclared prefix, mostly
        raise _syntax_error(where, exc) from exc
    # CompValue.get answers a missing key with the key itself
    projected = tuple(str(v) for v in (algebra["PV"] if "PV" in algebra else ()))  # noqa: SIM401
    return ParsedQuery(projected, _setwise(algebra), anchors(algebra))


def _check_text(text: str, prebound: frozenset[str], where: str) -> None:
    used = {match.group(0).upper() for match in keywords(text, *_RESTRICTED)}
    for keyword in _RESTRICTED:
        if keyword in used:
            raise ShapesError(message("shapes.sparql_keyword", where=where, keyword=keyword))
    for name in re.findall(r"\bAS\s*[?$]([A-Za-z_][A-Za-z0-9_]*)", masked(text), re.I):
        if name in prebound:
            raise ShapesError(message("shapes.sparql_assigned", where=where, variable=name))


def check_syntax(text: str, names: Iterable[str], where: str) -> None:
    """Let pyoxigraph parse *text* (marks filled with placeholder terms for *names*).

    rdflib accepts some queries pyoxigraph rejects (a projected variable not
    grouped, ``BIND`` to a variable already bound); running the query on an
    empty store finds them while the shape is still known.

    :raises ShapesError: naming *where*, with pyoxigraph's message.

    >>> check_syntax("SELECT $this WHERE {%%PREBIND%% $this ?p ?o }", ["this"], "ex:S")
    """
    placeholder = ox.NamedNode("urn:goalgraph:prebound")
    try:
        ox.Store().query(prebind(text, [(name, placeholder) for name in names]))
    except SyntaxError as exc:
        raise _syntax_error(where, exc) from exc


def refuse_service(text: str, where: str) -> None:
    """Raise if *text* (any SPARQL of the shapes graph) contains ``SERVICE``.

    :raises ShapesError: naming *where*: a rule must not reach the network.
    """
    if keywords(text, "SERVICE"):
        raise ShapesError(message("shapes.sparql_keyword", where=where, keyword="SERVICE"))


def _nodes(tree: Any, name: str) -> Iterator[Any]:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(tree, CompValue):
        if tree.name == name:
            yield tree
        for value in tree.values():
            yield from _nodes(value, name)
    elif isinstance(tree, list | tuple) or type(tree).__name__ == "ParseResults":
        for item in tree:
            yield from _nodes(item, name)


def _variables(tree: Any) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(tree, Variable):
        return {str(tree)}
    found: set[str] = set()
    if isinstance(tree, CompValue):
        for value in tree.values():
            found |= _variables(value)
    elif isinstance(tree, list | tuple) or type(tree).__name__ == "ParseResults":
        for item in tree:
            found |= _variables(item)
    return found


def _returned(sub: Any) -> set[str]:
    """The variables a sub-select returns: its projection, or for ``SELECT *`` the
    variables its patterns (not its filters) bind."""
    # CompValue.get answers a missing key with the key itself: test membership instead
    if "projection" in sub:
        return {str(item["var"] if "var" in item else item["evar"]) for item in sub["projection"]}
    where = sub["where"]
    found: set[str] = set()
    for kind in ("TriplesBlock", "Bind", "SubSelect", "InlineData"):
        for node in _nodes(where, kind):
            found |= _variables(node) if kind != "Bind" else {str(node["var"])}
    return found


_THIS = Variable("this")


def _setwise(algebra: Any) -> bool:
    node = algebra.p if algebra.name == "SelectQuery" else algebra
    while node.name in ("Distinct", "Reduced"):
        node = node.p
    if node.name != "Project" or _THIS not in node.PV:
        return False
    # a sub-select, or an EXISTS whose pattern uses $this without binding it, is
    # evaluated apart from the outer solution on pyoxigraph
    if any(True for kind in ("Project", "ToMultiSet") for _ in _nodes(node.p, kind)):
        return False
    for kind in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        for exists in _nodes(node.p, kind):
            if _mentions(exists.graph) and not _exact(exists.graph):
                return False
    return _exact(node.p)


def _mentions(node: Any) -> bool:
    return "this" in _variables(node)


def _exact(node: Any) -> bool:
    """True if pre-binding ``$this`` in *node* gives exactly the solutions of *node*
    with that ``$this`` (so a join with the focus nodes is the same), and *node*
    binds ``$this`` in every solution."""
    name = node.name
    if name == "BGP":
        return any(_THIS in triple for triple in node.triples)
    if name in ("Join", "LeftJoin"):
        left, right = node.p1, node.p2
        if name == "LeftJoin":
            return _exact(left) and (_exact(right) or not _mentions(right))
        return (_exact(left) and (_exact(right) or not _mentions(right))) or (
            _exact(right) and not _mentions(left)
        )
    if name in ("Filter", "Extend"):
        return ("var" not in node or node["var"] != _THIS) and _exact(node.p)
    if name == "Union":
        return _exact(node.p1) and _exact(node.p2)
    return False


_RDF_TYPE = rdflib.RDF.type
_MAX_ALTERNATIVES = 16


def anchors(algebra: Any) -> Anchors:
    """What every solution of a query's *algebra* says of ``$this``: alternatives, one of
    which holds for each solution, each a tuple of facts: ``("s", p)`` for a pattern
    ``$this p ?o``, ``("a", c)`` for ``$this a c`` or ``$this a/rdfs:subClassOf* c`` (a
    SHACL instance of ``c``). Patterns under OPTIONAL, MINUS, FILTER, a sub-select or
    anything else say nothing; ``()`` means nothing is known.

    >>> from rdflib.plugins.sparql import prepareQuery
    >>> q = "SELECT $this WHERE { { $this <urn:p> ?o } UNION { $this a <urn:C> } }"
    >>> anchors(prepareQuery(q).algebra)
    ((('s', 'urn:p'),), (('a', 'urn:C'), ('s', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type')))
    """
    node = algebra.p if algebra.name == "SelectQuery" else algebra
    while node.name in ("Distinct", "Reduced", "Project"):
        node = node.p
    found = _alternatives(node)
    if len(found) > _MAX_ALTERNATIVES or not all(found):
        return ()
    return tuple(tuple(sorted(alternative)) for alternative in found)


def _alternatives(node: Any) -> list[frozenset[tuple[str, str]]]:
    """The alternatives of :func:`anchors` for one algebra node (``[frozenset()]``:
    nothing known)."""
    unknown: list[frozenset[tuple[str, str]]] = [frozenset()]
    name = getattr(node, "name", None)
    if name == "BGP":
        return [frozenset(atom for triple in node.triples for atom in _facts(triple))]
    if name == "Join":
        left, right = _alternatives(node.p1), _alternatives(node.p2)
        if len(left) * len(right) > _MAX_ALTERNATIVES:
            return unknown
        return [a | b for a in left for b in right]
    if name in ("LeftJoin", "Minus", "Filter", "Extend"):
        inner = node.p1 if name in ("LeftJoin", "Minus") else node.p
        return _alternatives(inner)
    if name == "Union":
        return _alternatives(node.p1) + _alternatives(node.p2)
    return unknown


def _facts(triple: tuple[Any, Any, Any]) -> Iterator[tuple[str, str]]:
    """What one triple pattern says of ``$this`` as its subject."""
    from rdflib.paths import MulPath, SequencePath

    subject, predicate, obj = triple
    if subject != _THIS:
        return
    if isinstance(predicate, URIRef):
        yield ("s", str(predicate))
        if predicate == _RDF_TYPE and isinstance(obj, URIRef):
            yield ("a", str(obj))
    elif (
        isinstance(predicate, SequencePath)
        and isinstance(obj, URIRef)
        and len(predicate.args) == 2
        and predicate.args[0] == _RDF_TYPE
        and isinstance(predicate.args[1], MulPath)
        and predicate.args[1].path == rdflib.RDFS.subClassOf
        and predicate.args[1].mod == "*"
    ):
        yield ("a", str(obj))


def prebound_solutions(
    check: Check, focus: ox.NamedNode | ox.BlankNode | ox.Literal, run: Callable[[str], Any]
) -> list[ox.QuerySolution]:
    """The solutions of a per-focus *check* for *focus*, its variables pre-bound.

    With ``check.per_value`` the query runs once per value node of *focus*
    with ``$value`` pre-bound too (an ASK validator).

    :raises Unsupported: for a blank focus or value node, which SPARQL cannot name.
    :raises ShapesError: if pyoxigraph rejects the query text.
    """
    parameters = constants(check.prebound)
    this = _constant(focus)
    if check.per_value:
        if check.path is None:
            values: list[ox.NamedNode | ox.Literal] = [this]
        else:
            listing = f"SELECT DISTINCT ?value WHERE {{ {this} {path_text(check.path)} ?value }}"
            values = [_constant(row["value"]) for row in _run(run, listing, check)]
        found = []
        for value in values:
            bindings = [("this", this), ("value", value), *parameters]
            found.extend(_run(run, prebind(check.query, bindings), check))
        return found
    return list(_run(run, prebind(check.query, [("this", this), *parameters]), check))


def _run(run: Callable[[str], Any], text: str, check: Check) -> Any:
    try:
        return run(text)
    except SyntaxError as exc:
        where = f"{check.shape} / {check.constraint or check.component}"
        raise _syntax_error(where, exc) from exc


def constants(
    bindings: Iterable[tuple[str, Node]],
) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
    """*bindings* of rdflib terms (a component's parameters) as the terms :func:`prebind`
    writes.

    :raises Unsupported: for a blank node, which SPARQL cannot name.

    >>> constants([("p", URIRef("urn:p"))])
    [('p', <NamedNode value=urn:p>)]
    """
    return [(name, _constant(from_rdflib_term(term))) for name, term in bindings]


def _constant(term: object) -> ox.NamedNode | ox.Literal:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term
    raise Unsupported(f"pre-binding the blank node {term} in a SPARQL query")


_QUERY_PROPERTIES = (SH.select, SH.ask, SH.construct, SH.update)


def check_shapes_queries(shapes: rdflib.Graph) -> None:
    """Refuse a shapes graph whose SPARQL (any ``sh:select``, ``sh:ask``, ``sh:construct``
    or ``sh:update``) contains ``SERVICE``: a rule must not reach the network.

    :raises ShapesError: naming the node that holds the query.
    """
    for prop in _QUERY_PROPERTIES:
        for holder, text in shapes.subject_objects(prop):
            refuse_service(str(text), _name(shapes, holder))


_OWNERS = (SH.sparql, SH.rule, SH.target, SH.validator, SH.nodeValidator, SH.propertyValidator)


def _name(graph: rdflib.Graph, node: Node) -> str:
    """*node* for a message, after the shape or component that holds it."""
    text = _term_text(node)
    for prop in _OWNERS:
        for owner in graph.subjects(prop, node):
            return f"{_term_text(owner)} ({text})"
    return text


def _term_text(node: Node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else f"_:{node}"
