"""The goal chain as a network: its links, the kinds of its items and their names.

The goal chain is read into a networkx graph (:func:`network`) whose edges
point the way the modelling contract does — upwards (nämnd goal → KF goal →
riktning → vision, goal → delstrategi) and outwards (→ RUS area,
perspective, SDG indicator → SDG target → SDG goal, challenge, indicator). Links the user
stated in either direction (``gg:hasContributingGoal`` is read as the
reverse ``gg:contributesToGoal``) are *stated*; links that only the
inferred graph holds are *inferred*. Each item is named for a reader by its
kind, id and label (:func:`describe`).

Traces (:mod:`goalgraph.traceability`), impact, structure, follow-up and the
report read the chain from here; names are resolved to items by
:mod:`goalgraph.item_names`.

>>> from goalgraph import load
>>> net = network(load())
>>> net.has_edge("http://metadata.un.org/sdg/11.7", "http://metadata.un.org/sdg/11")
True
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph.agenda2030 import sdg_code, titled
from goalgraph.graph import DATA_GRAPH, INFERRED_GRAPH, PREFIXES, VOCABULARY_GRAPH, GoalGraph
from goalgraph.i18n import message, pick_label

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "DERIVED",
    "GOAL_KINDS",
    "INVERSES",
    "OUTWARD",
    "SDG_KINDS",
    "UPWARD",
    "describe",
    "kind_label",
    "network",
    "term_text",
]

GG = PREFIXES["gg"]
SDGO = PREFIXES["sdgo"]
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_IDENTIFIER = "http://purl.org/dc/terms/identifier"
_MUNICIPALITY = GG + "municipality"
_RESPONSIBLE = GG + "responsibleOrganisation"
_ILLUSTRATIVE = GG + "illustrative"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_TYPE_NODE = ox.NamedNode(_TYPE)
_REIFIED = tuple(ox.NamedNode(_RDF + p) for p in ("subject", "predicate", "object"))

#: Upward links of the goal chain (sub-properties of ``gg:tracesTo``).
UPWARD = tuple(
    GG + p
    for p in (
        "contributesToGoal",
        "subGoalOf",
        "implements",
        "supportsSubStrategy",
        "inArea",
        "realisesVision",
    )
)
#: Outward links: the traceability criteria, an SDG indicator's target and a target's goal.
OUTWARD = (
    *(
        GG + p
        for p in (
            "relatesToRegionalArea",
            "hasPerspective",
            "contributesToSDG",
            "addressesChallenge",
            "measuredBy",
        )
    ),
    SDGO + "isIndicatorOf",
    SDGO + "isTargetOf",
)
#: Inverse properties, read as their forward link reversed.
INVERSES = {
    GG + "hasContributingGoal": GG + "contributesToGoal",
    GG + "areaContains": GG + "inArea",
    GG + "supportedBy": GG + "supportsSubStrategy",
    GG + "addressedBy": GG + "addressesChallenge",
    GG + "measures": GG + "measuredBy",
    SDGO + "hasIndicator": SDGO + "isIndicatorOf",
    SDGO + "hasTarget": SDGO + "isTargetOf",
}
#: Derived properties of the ontology, most specific first.
DERIVED = tuple(
    GG + p
    for p in (
        "tracesToSDG",
        "tracesToPerspective",
        "tracesToChallenge",
        "tracesToRegionalArea",
        "tracesToArea",
        "anchoredInGoal",
        "tracesTo",
    )
)

# Kinds of node, most specific first; the key names the kind in messages and output.
_KINDS = (
    (GG + "CouncilGoal", "council_goal"),
    (GG + "ExecutiveBoardGoal", "executive_board_goal"),
    (GG + "CommitteeGoal", "committee_goal"),
    (GG + "SubGoal", "sub_goal"),
    (GG + "Goal", "goal"),
    (GG + "Vision", "vision"),
    (GG + "StrategicArea", "area"),
    (GG + "SubStrategy", "substrategy"),
    (GG + "Commitment", "commitment"),
    (GG + "Action", "action"),
    (GG + "RegionalStrategyArea", "rus_area"),
    (GG + "CitizenPerspective", "perspective"),
    (SDGO + "Indicator", "sdg_indicator"),
    (SDGO + "Target", "sdg_target"),
    (SDGO + "Goal", "sdg"),
    (GG + "Challenge", "challenge"),
    (GG + "Indicator", "indicator"),
)
_KIND_OF_CLASS = dict(_KINDS)
_KIND_RANK = {kind: i for i, (_, kind) in enumerate(_KINDS)}
GOAL_KINDS = ("council_goal", "executive_board_goal", "committee_goal", "sub_goal", "goal")
#: Kinds of the UN's Agenda 2030 items, cited by code and title.
SDG_KINDS = ("sdg", "sdg_target", "sdg_indicator")


def term_text(term: object) -> str:
    """The IRI or lexical form of a term (a pyoxigraph term's ``value``, else its text).

    :raises: nothing; any object is given back as text.

    >>> term_text(ox.NamedNode("https://example.org/a")), term_text(ox.Literal("11.3"))
    ('https://example.org/a', '11.3')
    """
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


def _quads(graph: GoalGraph, predicate: str) -> Iterator[ox.Quad]:
    yield from graph.store.quads_for_pattern(None, ox.NamedNode(predicate), None, None)


def network(graph: GoalGraph) -> nx.MultiDiGraph:
    """The goal chain as a networkx multigraph of IRIs, edges pointing up and out.

    Each edge has ``property`` (the forward property IRI), ``stated``
    (false when only the inferred graph holds it) and ``illustrative`` (true
    when every triple of the data stating it is marked illustrative by an
    ``rdf:Statement``); each node has ``kind`` (e.g. ``committee_goal``,
    ``substrategy``, ``sdg_target``), ``labels`` (language → text),
    ``identifier``, ``kommun``, ``organisation`` and ``illustrative``
    (``gg:illustrative true``).

    :raises: nothing for a loaded graph; links to literals are skipped.

    >>> from goalgraph import load
    >>> network(load()).nodes["http://metadata.un.org/sdg/11.7"]["kind"]
    'sdg_target'
    """
    import networkx as nx

    net = nx.MultiDiGraph()
    sources = {DATA_GRAPH, VOCABULARY_GRAPH, INFERRED_GRAPH}
    reified = _illustrative_statements(graph)
    # whether each stating triple of an edge is marked illustrative; inferred ones do not count
    marks: dict[tuple[str, str, str], list[bool]] = {}
    for prop in (*UPWARD, *OUTWARD, *INVERSES):
        forward = INVERSES.get(prop, prop)
        for quad in _quads(graph, prop):
            if quad.graph_name not in sources or not isinstance(quad.object, ox.NamedNode):
                continue
            s, o = term_text(quad.subject), term_text(quad.object)
            mark = (s, prop, o) in reified
            if prop in INVERSES:
                s, o = o, s
            stated = quad.graph_name != INFERRED_GRAPH
            if stated:
                marks.setdefault((s, o, forward), []).append(mark)
            if net.has_edge(s, o, key=forward):
                net.edges[s, o, forward]["stated"] |= stated
            else:
                net.add_edge(s, o, key=forward, property=forward, stated=stated)
    for s, o, key, attrs in net.edges(keys=True, data=True):
        found = marks.get((s, o, key), [])
        attrs["illustrative"] = bool(found) and all(found)
    # Every goal of the user's data is a node, linked or not.
    for quad in _quads(graph, _TYPE):
        if quad.graph_name == DATA_GRAPH and term_text(quad.object) in _KIND_OF_CLASS:
            net.add_node(term_text(quad.subject))
    _annotate(graph, net)
    return net


def _illustrative_statements(graph: GoalGraph) -> set[tuple[str, str, str]]:
    """The links the user's data marks illustrative with an ``rdf:Statement`` (modelling.md)."""
    found: set[tuple[str, str, str]] = set()
    statement_class = ox.NamedNode(_RDF + "Statement")
    for quad in _quads(graph, _ILLUSTRATIVE):
        node = quad.subject
        if quad.graph_name != DATA_GRAPH or term_text(quad.object) != "true":
            continue
        if not any(graph.store.quads_for_pattern(node, _TYPE_NODE, statement_class, DATA_GRAPH)):
            continue
        parts = [
            [term_text(q.object) for q in graph.store.quads_for_pattern(node, p, None, DATA_GRAPH)]
            for p in _REIFIED
        ]
        if all(len(values) == 1 for values in parts):
            found.add((parts[0][0], parts[1][0], parts[2][0]))
    return found


def _annotate(graph: GoalGraph, net: nx.MultiDiGraph) -> None:
    for node in net.nodes:
        net.nodes[node].update(
            kind="other",
            labels={},
            identifier=None,
            kommun=None,
            organisation=None,
            illustrative=False,
        )
    for quad in _quads(graph, _ILLUSTRATIVE):
        node = term_text(quad.subject)
        if quad.graph_name == DATA_GRAPH and node in net and term_text(quad.object) == "true":
            net.nodes[node]["illustrative"] = True
    for quad in _quads(graph, _TYPE):
        node = term_text(quad.subject)
        kind = _KIND_OF_CLASS.get(term_text(quad.object))
        if kind is None or node not in net or quad.graph_name == INFERRED_GRAPH:
            continue
        current = net.nodes[node]["kind"]
        if current == "other" or _KIND_RANK[kind] < _KIND_RANK[current]:
            net.nodes[node]["kind"] = kind
    for node, attrs in net.nodes(data=True):
        attrs["labels"] = graph.labels(ox.NamedNode(node))
    for prop, attr in (
        (_IDENTIFIER, "identifier"),
        (_MUNICIPALITY, "kommun"),
        (_RESPONSIBLE, "organisation"),
    ):
        for quad in _quads(graph, prop):
            node = term_text(quad.subject)
            if node in net and net.nodes[node][attr] is None:
                net.nodes[node][attr] = term_text(quad.object)
    for node, attrs in net.nodes(data=True):
        if attrs["kind"] in SDG_KINDS:
            attrs["identifier"] = sdg_code(graph, node) or attrs["identifier"]


def kind_label(kind: str, lang: str | None = None) -> str:
    """The name of a kind of node (``committee_goal`` → "nämndmål") in *lang*.

    :raises KeyError: for a kind that has no message.

    >>> kind_label("sdg_target", "en")
    'SDG target'
    """
    return message(f"analysis.kind_{kind}", lang)


def describe(net: nx.MultiDiGraph, node: str, lang: str | None = None) -> str:
    """A node as a reader would name it: kind, local id and label.

    An Agenda 2030 item is named by kind, UN code and title, the title's
    language marked when it is not *lang* (see :func:`goalgraph.agenda2030.titled`).

    >>> import networkx as nx
    >>> net = nx.MultiDiGraph()
    >>> net.add_node("x", kind="substrategy", identifier="A-LEVA-1", labels={"sv": "Mötesplatser"})
    >>> describe(net, "x", "sv")
    'delstrategi A-LEVA-1 «Mötesplatser»'

    :raises: nothing; a node the network does not hold is shown by its IRI.
    """
    attrs = net.nodes[node] if node in net else {}
    kind = kind_label(attrs.get("kind", "other"), lang)
    identifier = attrs.get("identifier")
    label = pick_label(attrs.get("labels", {}), lang)
    if attrs.get("kind") in SDG_KINDS and identifier:
        return f"{kind} {titled(identifier, attrs.get('labels', {}), lang, quoted=True)}"
    parts = [kind]
    if identifier:
        parts.append(identifier)
    if label and label != identifier:
        parts.append(f"«{label}»")
    if len(parts) == 1:
        parts.append(f"<{node}>")
    return " ".join(parts)
