"""Inference and consistency: what the ontology implies about the user's data.

:func:`infer` materialises the links the ontology implies — sub-classes and
sub-properties, inverse properties, transitive ``gg:tracesTo`` and
``gg:anchoredInGoal``, and the property chains that let a nämnd goal inherit
its delstrategi's riktning, perspective, SDGs and challenges — into the
*inferred* named graph only, so they never mix with the user's data and
``graph.clear("inferred")`` drops them again. Only new triples about the
user's own items are kept, never the closure of the vocabulary.

Two engines give the same triples (a test checks it on every example):

* ``"rules"`` (default): the OWL 2 RL rules the ontology uses, read from its
  axioms and run to a semi-naive fixpoint in memory — 0.7 s at 68 k triples;
* ``"owlrl"``: the full OWL-RL closure by the owlrl package, then filtered —
  the reference, but about 2 minutes at 68 k triples (both give 60 248).

:func:`check_consistency` asks the HermiT reasoner (owlready2, needs Java)
whether ontology plus data is logically consistent and returns a
:class:`ConsistencyReport`; it raises only when the reasoner cannot run.

>>> from goalgraph import load
>>> graph = load()
>>> infer(graph)
0
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox

from goalgraph.errors import ReasonerUnavailable, RemoteUnavailable
from goalgraph.graph import GoalGraph
from goalgraph.i18n import message

if TYPE_CHECKING:
    from goalgraph.endpoint import Endpoint

__all__ = ["ConsistencyReport", "Engine", "check_consistency", "infer", "materialise"]

Engine = Literal["rules", "owlrl"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_TYPE = ox.NamedNode(_RDF + "type")
_IMPORTS = ox.NamedNode(_OWL + "imports")
_ONTOLOGY = ox.NamedNode(_OWL + "Ontology")
# Terms as pyoxigraph returns them (RDF 1.2 lets a triple be a term, which we never meet here).
_Term = Any
_Pair = tuple[Any, Any]


@dataclass(frozen=True)
class _Rules:
    """The OWL 2 RL rules the ontology's axioms give (prp-spo1, prp-inv, prp-trp, ...)."""

    sub_properties: dict[ox.NamedNode, set[ox.NamedNode]]
    inverses: dict[ox.NamedNode, set[ox.NamedNode]]
    transitive: set[ox.NamedNode]
    chains: list[tuple[ox.NamedNode, tuple[ox.NamedNode, ...]]]
    sub_classes: dict[ox.NamedNode, set[ox.NamedNode]]
    domains: dict[ox.NamedNode, set[ox.NamedNode]]
    ranges: dict[ox.NamedNode, set[ox.NamedNode]]


def _objects(store: ox.Store, subject: _Term, predicate: str) -> list[_Term]:
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, None)]


def _pairs(store: ox.Store, predicate: str) -> Iterable[tuple[_Term, _Term]]:
    for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
        yield quad.subject, quad.object


def _rdf_list(store: ox.Store, head: _Term) -> list[_Term]:
    items: list[_Term] = []
    node = head
    while node != ox.NamedNode(_RDF + "nil"):
        first = _objects(store, node, _RDF + "first")
        rest = _objects(store, node, _RDF + "rest")
        if not first or not rest:
            break
        items.append(first[0])
        node = rest[0]
    return items


def _rules(graph: GoalGraph) -> _Rules:
    store = graph.store
    sub_properties: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    inverses: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    sub_classes: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    domains: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    ranges: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    # (axiom, table, both ways, skip self-links): sub-relations of a term to itself add nothing,
    # while `p owl:inverseOf p` (a symmetric property) must be kept.
    axioms = (
        (_RDFS + "subPropertyOf", sub_properties, False, True),
        (_OWL + "equivalentProperty", sub_properties, True, False),
        (_OWL + "inverseOf", inverses, True, False),
        (_RDFS + "subClassOf", sub_classes, False, True),
        (_OWL + "equivalentClass", sub_classes, True, False),
        (_RDFS + "domain", domains, False, False),
        (_RDFS + "range", ranges, False, False),
    )
    for axiom, table, both_ways, skip_self in axioms:
        for a, b in _pairs(store, axiom):
            if not (isinstance(a, ox.NamedNode) and isinstance(b, ox.NamedNode)):
                continue
            if skip_self and a == b:
                continue
            table[a].add(b)
            if both_ways:
                table[b].add(a)
    transitive = {
        p
        for p, _ in _pairs(store, _RDF + "type")
        if isinstance(p, ox.NamedNode) and _ == ox.NamedNode(_OWL + "TransitiveProperty")
    }
    chains: list[tuple[ox.NamedNode, tuple[ox.NamedNode, ...]]] = []
    for p, head in _pairs(store, _OWL + "propertyChainAxiom"):
        steps = _rdf_list(store, head)
        if (
            isinstance(p, ox.NamedNode)
            and len(steps) >= 2
            and all(isinstance(s, ox.NamedNode) for s in steps)
        ):
            chains.append((p, tuple(steps)))
    return _Rules(sub_properties, inverses, transitive, chains, sub_classes, domains, ranges)


def _closure(rules: _Rules, facts: dict[ox.NamedNode, set[_Pair]]) -> None:
    """Apply the rules to *facts* (predicate → pairs) in place until nothing new follows.

    Semi-naive: each round only fires rules with at least one premise among the
    facts the previous round added (*delta*), so large graphs are not re-derived
    round after round.
    """
    delta: dict[ox.NamedNode, set[_Pair]] = {p: set(pairs) for p, pairs in facts.items() if pairs}
    empty: set[_Pair] = set()
    while delta:
        additions: dict[ox.NamedNode, set[_Pair]] = defaultdict(set)
        for p, pairs in delta.items():
            for q in rules.sub_properties.get(p, ()):
                additions[q] |= pairs
            for q in rules.inverses.get(p, ()):
                additions[q] |= {(o, s) for s, o in pairs if not isinstance(o, ox.Literal)}
            for c in rules.domains.get(p, ()):
                additions[_TYPE] |= {(s, c) for s, _ in pairs}
            for c in rules.ranges.get(p, ()):
                additions[_TYPE] |= {(o, c) for _, o in pairs if not isinstance(o, ox.Literal)}
        for s, c in delta.get(_TYPE, empty):
            for d in rules.sub_classes.get(c, ()):
                additions[_TYPE].add((s, d))
        for p in rules.transitive:
            if p in delta:
                everything = facts.get(p, empty)
                additions[p] |= _compose(delta[p], everything)
                additions[p] |= _compose(everything, delta[p])
        for p, steps in rules.chains:
            for i, changed in enumerate(steps):
                if changed not in delta:
                    continue
                joined = delta[changed] if i == 0 else facts.get(steps[0], empty)
                for j, step in enumerate(steps[1:], start=1):
                    joined = _compose(joined, delta[step] if j == i else facts.get(step, empty))
                additions[p] |= joined
        delta = {}
        for p, pairs in additions.items():
            fresh = pairs - facts[p] if p in facts else pairs
            if fresh:
                facts.setdefault(p, set()).update(fresh)
                delta[p] = fresh


def _compose(left: set[_Pair], right: set[_Pair]) -> set[_Pair]:
    by_subject: dict[_Term, list[_Term]] = defaultdict(list)
    for s, o in right:
        by_subject[s].append(o)
    return {(s, o2) for s, o in left for o2 in by_subject.get(o, ())}


def _keep(
    graph: GoalGraph,
    candidates: Iterable[ox.Triple],
    *,
    checked: bool = False,
    subjects: list[Any] | None = None,
) -> list[ox.Triple]:
    """The candidates that are new and about the user's items, sorted.

    With *checked*, the candidates are known not to be stated already; with
    *subjects*, only those can be the user's items (saves a pass over the data).
    """
    if subjects is None:
        data = graph.store.quads_for_pattern(None, None, None, _data())
        data_subjects = {q.subject for q in data}
    else:
        data_subjects = {
            s
            for s in subjects
            if next(graph.store.quads_for_pattern(s, None, None, _data()), None) is not None
        }
    stated: set[ox.Triple] = set()
    if not checked:
        stated = {
            q.triple
            for name in ("data", "vocabulary")
            for q in graph.store.quads_for_pattern(None, None, None, _named(name))
        }
    kept = set()
    for t in candidates:
        if t.subject not in data_subjects or t in stated:
            continue
        if isinstance(t.object, ox.BlankNode) or (t.subject == t.object and t.predicate != _TYPE):
            continue
        if t.predicate.value.startswith((_OWL, _RDFS)):
            continue
        if t.predicate == _TYPE and (
            not isinstance(t.object, ox.NamedNode) or t.object.value.startswith((_OWL, _RDFS, _RDF))
        ):
            continue
        kept.add(t)
    return sorted(kept, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _data() -> ox.NamedNode:
    from goalgraph.graph import DATA_GRAPH

    return DATA_GRAPH


def _named(name: str) -> ox.NamedNode:
    from goalgraph.graph import DATA_GRAPH, VOCABULARY_GRAPH

    return DATA_GRAPH if name == "data" else VOCABULARY_GRAPH


def _premises(rules: _Rules, wanted: set[ox.NamedNode]) -> set[ox.NamedNode]:
    """Every predicate a conclusion with a predicate in *wanted* can follow from."""
    needed = set(wanted)
    changed = True
    while changed:
        before = len(needed)
        for p, supers in rules.sub_properties.items():
            if supers & needed:
                needed.add(p)
        for p, inverses in rules.inverses.items():
            if inverses & needed:
                needed.add(p)
        for p, steps in rules.chains:
            if p in needed:
                needed.update(steps)
        if _TYPE in needed:
            needed.update(rules.domains, rules.ranges)
        changed = len(needed) != before
    return needed


def materialise(
    graph: GoalGraph,
    *,
    engine: Engine = "rules",
    about: Iterable[str] | None = None,
    properties: Iterable[str] | None = None,
) -> list[ox.Triple]:
    """The triples the ontology implies about the user's data, without storing them.

    Reads the data and vocabulary graphs (not the inferred graph) and returns
    only triples that are not already stated and whose subject is one of the
    user's items, sorted.

    :param engine: ``"rules"`` (fast, in memory) or ``"owlrl"`` (the owlrl package).
    :param about: IRIs of items to reason about (rules engine only): only facts
        whose subject is one of them are read, which is much faster for one
        goal and what it reaches; conclusions about other items may be missing.
    :param properties: IRIs of the predicates wanted (rules engine only): only
        facts they can follow from are read and only such triples returned.
    :raises ValueError: for an unknown *engine*.

    >>> from goalgraph import load
    >>> materialise(load())
    []
    """
    if engine == "rules":
        rules = _rules(graph)
        wanted = {ox.NamedNode(p) for p in properties} if properties is not None else None
        predicates = sorted(_premises(rules, wanted), key=str) if wanted is not None else [None]
        facts: dict[ox.NamedNode, set[_Pair]] = defaultdict(set)
        subjects = [ox.NamedNode(iri) for iri in about] if about is not None else [None]
        for name in ("data", "vocabulary"):
            for subject in subjects:
                for predicate in predicates:
                    quads = graph.store.quads_for_pattern(subject, predicate, None, _named(name))
                    for q in quads:
                        facts[q.predicate].add((q.subject, q.object))
        original = {p: set(pairs) for p, pairs in facts.items()}
        _closure(rules, facts)
        new = (
            ox.Triple(s, p, o)
            for p, pairs in facts.items()
            if wanted is None or p in wanted
            for s, o in pairs - original.get(p, set())
        )
        return _keep(graph, new, checked=True, subjects=None if about is None else subjects)
    if engine == "owlrl":
        return _keep(graph, _owlrl_closure(graph))
    raise ValueError(message("analysis.unknown_engine", engine=engine))


def _owlrl_closure(graph: GoalGraph) -> Iterable[ox.Triple]:
    import owlrl

    from goalgraph.graph import from_rdflib_term

    rdf = graph.to_rdflib(("data", "vocabulary"))
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(rdf)
    for s, p, o in rdf:
        try:
            subject: Any = from_rdflib_term(s)
            predicate: Any = from_rdflib_term(p)
            value = from_rdflib_term(o)
            if isinstance(value, ox.Literal):
                # owlrl saw the literals as written; inferred triples are stored as the store
                # keeps them, as the rules engine (which reads the store) returns them
                value = graph.literals.stored_form(value)
            yield ox.Triple(subject, predicate, value)
        except (TypeError, ValueError):  # owlrl may produce literal subjects; not RDF 1.1
            continue


def infer(graph: GoalGraph | Endpoint, *, engine: Engine = "rules") -> int:
    """Store what the ontology implies about the data in the inferred graph.

    Replaces the inferred graph's content (so running it twice adds nothing)
    and returns the number of inferred triples. ``graph.clear("inferred")``
    drops them again.

    :param engine: ``"rules"`` (fast, default) or ``"owlrl"``.
    :raises ValueError: for an unknown *engine*.

    >>> from goalgraph import load
    >>> graph = load()
    >>> infer(graph), graph.count("inferred")
    (0, 0)
    """
    from goalgraph.store.remote import as_graph

    graph = as_graph(graph)
    triples = materialise(graph, engine=engine)
    graph.clear("inferred")
    graph.add(triples, graph="inferred")
    return len(triples)


# --- consistency (owlready2 + HermiT) --------------------------------------


@dataclass(frozen=True)
class ConsistencyReport:
    """What HermiT concluded about the ontology plus the data.

    :ivar consistent: true when the ontology and data have no contradiction.
    :ivar explanation: the reasoner's own explanation when they do.
    :ivar unsatisfiable_classes: IRIs of classes that can have no member.
    :ivar offending: ``(item IRI, [class IRIs])`` for items typed with
        classes the ontology declares disjoint — the usual cause.
    """

    consistent: bool
    explanation: str = ""
    unsatisfiable_classes: list[str] = field(default_factory=list)
    offending: list[tuple[str, list[str]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.consistent

    def summary(self, lang: str | None = None) -> str:
        """One paragraph saying whether the graph is consistent and, if not, why."""
        if self.consistent and not self.unsatisfiable_classes:
            return message("analysis.consistent", lang)
        parts = [message("analysis.inconsistent", lang, explanation=self.explanation)]
        for item, classes in self.offending:
            parts.append(
                message("analysis.disjoint_types", lang, item=item, classes=", ".join(classes))
            )
        if self.unsatisfiable_classes:
            parts.append(
                message(
                    "analysis.unsatisfiable", lang, classes=", ".join(self.unsatisfiable_classes)
                )
            )
        return " ".join(parts)


def _java() -> str:
    import owlready2

    java = owlready2.JAVA_EXE
    found: str | None = str(java) if os.path.isabs(java) and os.access(java, os.X_OK) else None
    found = found or shutil.which(java)
    if not found:
        raise ReasonerUnavailable(message("analysis.no_java", java=java))
    return found


_DISJOINT_TYPES = """
SELECT DISTINCT ?item ?a ?b WHERE {
  ?set a owl:AllDisjointClasses ; owl:members ?list .
  ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b .
  FILTER(STR(?a) < STR(?b))
  ?item a ?a , ?b .
} ORDER BY ?item ?a ?b
"""


def _disjoint_offenders(graph: GoalGraph) -> list[tuple[str, list[str]]]:
    probe = GoalGraph()
    probe.add(graph.triples(("data", "vocabulary")), graph="data")
    probe.add(materialise(graph), graph="inferred")
    rows = probe.select(_DISJOINT_TYPES, graphs=("data", "inferred"))
    rows += probe.select(
        "SELECT DISTINCT ?item ?a ?b WHERE { ?a owl:disjointWith ?b . ?item a ?a , ?b } "
        "ORDER BY ?item ?a ?b",
        graphs=("data", "inferred"),
    )
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        found[row["item"].value] |= {row["a"].value, row["b"].value}
    return [(item, sorted(classes)) for item, classes in sorted(found.items())]


def _offline(graph: GoalGraph) -> list[ox.Triple]:
    """The data and vocabulary triples without ``owl:imports``, once every import is resolved.

    owlready2 fetches every IRI an ontology imports. An import is resolved
    offline when the ontology it names is already loaded (goalgraph's own
    ontology and reference data, or a user file declaring it ``a
    owl:Ontology``); the triple is then dropped so that nothing is fetched.

    :raises ReasonerUnavailable: naming the first import that is not loaded.
    """
    declared = {
        _without_end(quad.subject.value)
        for quad in graph.store.quads_for_pattern(None, _TYPE, _ONTOLOGY, None)
        if isinstance(quad.subject, ox.NamedNode)
    }
    kept: list[ox.Triple] = []
    for triple in graph.triples(("data", "vocabulary")):
        if triple.predicate != _IMPORTS:
            kept.append(triple)
            continue
        target = triple.object
        if not isinstance(target, ox.NamedNode) or _without_end(target.value) not in declared:
            iri = target.value if isinstance(target, ox.NamedNode | ox.Literal) else str(target)
            raise ReasonerUnavailable(message("network.import_refused", iri=iri))
    return kept


def _without_end(iri: str) -> str:
    """*iri* without a final ``#`` or ``/``: both spellings name one ontology in practice."""
    return iri.rstrip("#/")


def check_consistency(graph: GoalGraph | Endpoint) -> ConsistencyReport:
    """Check ontology, reference data and user data together with HermiT.

    The report says whether they are consistent; when not, it carries
    HermiT's explanation and the items typed with disjoint classes.
    ``xsd:date`` and other datatypes HermiT does not know are ignored.
    Nothing is fetched: ``owl:imports`` of an ontology goalgraph ships (or
    that the data holds) is resolved from what is loaded, any other is refused.

    :raises ReasonerUnavailable: if Java (needed by HermiT) is not installed, or
        the data imports an ontology that is not loaded (naming its IRI).
    :raises RemoteUnavailable: on a remote store (the whole graph would be downloaded).

    >>> from goalgraph import load
    >>> check_consistency(load()).consistent  # doctest: +SKIP
    True
    """
    from goalgraph.store.remote import RemoteGraph, as_graph

    graph = as_graph(graph)
    if isinstance(graph, RemoteGraph):  # HermiT needs every triple here: refuse, not download
        why = message("remote.why_download")
        raise RemoteUnavailable(
            message("remote.not_available", what="check_consistency", url=graph.url, why=why)
        )
    triples = _offline(graph)
    java = _java()
    import owlready2

    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert text is not None  # serialize returns bytes when given no output
    world = owlready2.World()
    previous = owlready2.JAVA_EXE
    owlready2.JAVA_EXE = java
    try:
        onto = world.get_ontology("https://w3id.org/goalgraph/graph/check")
        with contextlib.redirect_stderr(io.StringIO()):  # owlready2 prints punning notes
            onto.load(fileobj=io.BytesIO(text), format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ConsistencyReport(
                consistent=False,
                explanation=str(exc).strip().splitlines()[-1] if str(exc).strip() else "",
                offending=_disjoint_offenders(graph),
            )
        except FileNotFoundError as exc:
            raise ReasonerUnavailable(message("analysis.no_java", java=java)) from exc
        except owlready2.OwlReadyJavaError as exc:
            raise ReasonerUnavailable(
                message("analysis.reasoner_failed", detail=str(exc)[-500:])
            ) from exc
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if hasattr(c, "iri"))
        return ConsistencyReport(consistent=True, unsatisfiable_classes=unsatisfiable)
    finally:
        owlready2.JAVA_EXE = previous
        world.close()
