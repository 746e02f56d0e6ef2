"""Traceability: how a goal connects up to the vision and out to everything it serves.

The goal chain is read into a networkx graph (:func:`network`) whose edges
point the way the modelling contract does — upwards (nämnd goal → KF goal →
riktning → vision, goal → delstrategi) and outwards (→ RUS area,
perspective, SDG indicator → SDG target → SDG goal, challenge, indicator). Links the user
stated in either direction (``gg:hasContributingGoal`` is read as the
reverse ``gg:contributesToGoal``) are *stated*; links that only the
inferred graph holds are *inferred*.

:func:`trace` lists every path from one goal; each path is printable as an
explanation in Swedish or English, and a path of more than one link (a goal
reaching an SDG target through its delstrategi) is marked inferred, with the
ontology's derived property (``gg:tracesToSDG``) when there is one.

>>> from goalgraph import load
>>> net = network(load())
>>> net.has_edge("http://metadata.un.org/sdg/11.7", "http://metadata.un.org/sdg/11")
True
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from goalgraph.agenda2030 import sdg_code, titled
from goalgraph.errors import UnknownTermError
from goalgraph.graph import DATA_GRAPH, INFERRED_GRAPH, PREFIXES, VOCABULARY_GRAPH, GoalGraph
from goalgraph.i18n import message, pick_label
from goalgraph.municipalities import require_kommun

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from goalgraph.endpoint import Endpoint

__all__ = [
    "DERIVED",
    "INVERSES",
    "OUTWARD",
    "UPWARD",
    "Link",
    "Trace",
    "TracePath",
    "describe",
    "kind_label",
    "network",
    "resolve",
    "resolve_items",
    "trace",
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
    """The IRI or lexical form of a term."""
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


def resolve(
    graph: GoalGraph,
    name: str,
    *,
    net: nx.MultiDiGraph | None = None,
    kommun: str | None = None,
) -> str:
    """The IRI of the goal-chain item *name* names.

    *name* may be an IRI, a prefixed name (``sdg:11.3``), a local id
    (``dcterms:identifier``, e.g. ``KFN-1``; case-insensitive when no id
    matches exactly), an SDG code (``11.3``) or a title (``rdfs:label``,
    case-insensitive) when exactly one item has it.

    :param kommun: a kommun code (``"0685"``): only that kommun's items (and
        items of no kommun, such as SDG targets) are candidates, to choose
        between kommuner that use the same id.
    :raises UnknownTermError: if nothing or more than one item matches (the
        error lists the candidates), or if *kommun* is not a kommun of the data.

    >>> from goalgraph import load
    >>> resolve(load(), "nothing-here")
    Traceback (most recent call last):
    goalgraph.errors.UnknownTermError: ...
    """
    net = net if net is not None else network(graph)
    chosen = require_kommun(graph, kommun) if kommun is not None else None
    text = name.strip()
    folded = text.casefold()
    iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    prefix, _, local = iri.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        iri = PREFIXES[prefix] + local
    if iri in net:
        return iri
    matchers: tuple[Callable[[dict[str, Any]], bool], ...] = (
        lambda a: a["identifier"] == text,
        lambda a: a["kind"] in SDG_KINDS and a["identifier"] == text,
        lambda a: (a["identifier"] or "").casefold() == folded,
        lambda a: any(v.casefold() == folded for v in a["labels"].values()),
    )
    for matcher in matchers:
        found: list[str] = sorted(
            n
            for n, a in net.nodes(data=True)
            if matcher(a) and (chosen is None or a["kommun"] in (None, chosen))
        )
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            several = len({net.nodes[n]["kommun"] for n in found}) > 1
            raise UnknownTermError(
                message(
                    "analysis.ambiguous_kommuner" if several else "analysis.ambiguous",
                    name=name,
                    candidates="; ".join(f"{describe(net, n)} <{n}>" for n in found),
                ),
                term=name,
                candidates=found,
            )
    names = {a["identifier"]: n for n, a in net.nodes(data=True) if a["identifier"]}
    names.update({v: n for n, a in net.nodes(data=True) for v in a["labels"].values()})
    close = difflib.get_close_matches(text, list(names), n=5, cutoff=0.6)
    raise UnknownTermError(
        message(
            "analysis.unknown_node",
            name=name,
            candidates=", ".join(close) or message("analysis.no_candidates"),
        ),
        term=name,
        candidates=[names[c] for c in close],
    )


def resolve_items(graph: GoalGraph, names: Iterable[str]) -> list[str]:
    """The IRIs of the items *names* name, each resolved as :func:`resolve` does.

    An IRI (``https://…`` or ``<https://…>``) that is not in the goal chain (an
    indicator, an organisation) is given back as it is, for the caller to look
    up: ``validate(graph, focus=…)`` refuses it by name if the data lacks it.

    :raises UnknownTermError: naming the first id or title that matches nothing
        or more than one item.

    >>> from goalgraph import load
    >>> resolve_items(load("examples/vetlanda"), ["KFN-1", "https://example.org/x"])
    ['https://w3id.org/goalgraph/id/0685/goal/KFN-1', 'https://example.org/x']
    >>> resolve_items(load("examples/vetlanda"), ["KFN-99"])
    Traceback (most recent call last):
    goalgraph.errors.UnknownTermError: ...
    """
    net = network(graph)
    iris: list[str] = []
    for name in names:
        try:
            iris.append(resolve(graph, name, net=net))
        except UnknownTermError:
            iri = name.strip().removeprefix("<").removesuffix(">")
            if "://" not in iri:
                raise
            iris.append(iri)
    return iris


@dataclass(frozen=True)
class Link:
    """One edge of a path: *source* —*property*→ *target*, stated by the user or inferred.

    *illustrative* is true when only an illustrative file states the link
    (an ``rdf:Statement`` marked ``gg:illustrative``) or either end is an
    illustrative item: an invented example, not something the document says.
    """

    source: str
    property: str
    target: str
    stated: bool
    illustrative: bool = False


@dataclass(frozen=True)
class TracePath:
    """A path from a goal to something it serves, with how it got there."""

    links: tuple[Link, ...]
    kinds: tuple[str, ...]
    entailed: str | None = None

    @property
    def goal(self) -> str:
        """The goal the path starts from."""
        return self.links[0].source

    @property
    def target(self) -> str:
        """The item the path reaches."""
        return self.links[-1].target

    @property
    def target_kind(self) -> str:
        """The kind of the item reached, e.g. ``sdg_target``."""
        return self.kinds[-1]

    @property
    def inferred(self) -> bool:
        """True unless the goal links to the target in one stated step."""
        return len(self.links) > 1 or not self.links[0].stated

    @property
    def illustrative(self) -> bool:
        """True when any link of the path is illustrative (see :class:`Link`)."""
        return any(link.illustrative for link in self.links)

    def nodes(self) -> list[str]:
        """The IRIs along the path, goal first."""
        return [self.links[0].source, *(link.target for link in self.links)]

    def explain(self, net: nx.MultiDiGraph, lang: str | None = None) -> str:
        """The path as a sentence: "nämndmål X → delstrategi Y → Agenda 2030-delmål 11.7"."""
        text = describe(net, self.links[0].source, lang)
        for link in self.links:
            arrow = " → " if link.stated else " ⇢ "
            text += arrow + describe(net, link.target, lang)
        status = message("analysis.inferred" if self.inferred else "analysis.stated", lang)
        if self.inferred and self.entailed:
            status += message(
                "analysis.entailed_as", lang, property="gg:" + self.entailed[len(GG) :]
            )
        if self.illustrative:
            status += message("analysis.illustrative_path", lang)
        return f"{text} ({status})"


@dataclass
class Trace:
    """Every path from one goal, with the network they were found in."""

    goal: str
    paths: list[TracePath]
    net: Any

    def explain(self, lang: str | None = None) -> str:
        """Every path as one sentence per line."""
        return "\n".join(p.explain(self.net, lang) for p in self.paths)

    def reached(self, kind: str | None = None) -> set[str]:
        """The IRIs the goal reaches, optionally of one kind only (``sdg_target``, ...)."""
        return {p.target for p in self.paths if kind is None or p.target_kind == kind}

    def rows(self, lang: str | None = None) -> list[dict[str, Any]]:
        """One dict per path: target, kind, hops, stated/inferred, illustrative, derived
        property, explanation (the columns of :meth:`to_frame`)."""
        return [
            {
                "goal": p.goal,
                "target": p.target,
                "target_kind": p.target_kind,
                "target_label": describe(self.net, p.target, lang),
                "hops": len(p.links),
                "status": "inferred" if p.inferred else "stated",
                "illustrative": p.illustrative,
                "entailed": p.entailed,
                "path": " ".join(p.nodes()),
                "explanation": p.explain(self.net, lang),
            }
            for p in self.paths
        ]

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        """One row per path (see :meth:`rows`)."""
        import pandas as pd

        columns = [
            "goal",
            "target",
            "target_kind",
            "target_label",
            "hops",
            "status",
            "illustrative",
            "entailed",
            "path",
            "explanation",
        ]
        return pd.DataFrame(self.rows(lang), columns=columns)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """The trace as a JSON-ready document (``trace.schema.json``): ``$schema``, the goal,
        the language and every path (see :meth:`rows`)."""
        from goalgraph.contract import stamped
        from goalgraph.i18n import LANGUAGES, default_lang

        chosen = lang if lang in LANGUAGES else default_lang()
        return stamped("trace", {"goal": self.goal, "lang": chosen, "paths": self.rows(chosen)})

    def to_json(self, lang: str | None = None) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)


_MAX_HOPS = 8


def trace(
    graph: GoalGraph | Endpoint,
    goal: str,
    *,
    net: nx.MultiDiGraph | None = None,
    kommun: str | None = None,
) -> Trace:
    """Every path from *goal* up to the vision and out to what it serves.

    Follows upward links (KF goal, riktning, vision, delstrategi) and
    outward links (RUS area, perspective, SDG target and goal, challenge,
    indicator) and returns one :class:`TracePath` per distinct path to each
    reached item — so a goal reaching SDG 11.7 both directly and through a
    delstrategi shows both. *goal* may be an IRI, local id or unique title.

    :param kommun: a kommun code (``"0685"``) to choose between kommuner using the same id.
    :raises UnknownTermError: if *goal* names nothing or several items, or
        *kommun* is not a kommun of the data.

    >>> from goalgraph import load
    >>> trace(load(), "KFN-1")
    Traceback (most recent call last):
    goalgraph.errors.UnknownTermError: ...
    """
    from goalgraph.store.remote import as_graph

    graph = as_graph(graph)
    from goalgraph.reasoning import materialise

    net = net if net is not None else network(graph)
    start = resolve(graph, goal, net=net, kommun=kommun)
    entailed: dict[str, list[str]] = {}
    import networkx as nx

    reachable = nx.descendants(net, start) | {start}
    for t in materialise(graph, about=reachable, properties=DERIVED):
        if term_text(t.subject) == start and term_text(t.predicate) in DERIVED:
            entailed.setdefault(term_text(t.object), []).append(term_text(t.predicate))
    paths: list[TracePath] = []

    def walk(node: str, links: tuple[Link, ...], seen: frozenset[str]) -> None:
        if len(links) >= _MAX_HOPS:
            return
        for _, target, key, attrs in sorted(net.out_edges(node, keys=True, data=True)):
            if target in seen:
                continue
            illustrative = (
                attrs["illustrative"]
                or net.nodes[node]["illustrative"]
                or net.nodes[target]["illustrative"]
            )
            step = (*links, Link(node, key, target, attrs["stated"], illustrative))
            props = entailed.get(target, [])
            best = min(props, key=DERIVED.index) if props else None
            kinds = tuple(net.nodes[n]["kind"] for n in [start, *(s.target for s in step)])
            paths.append(TracePath(step, kinds, best))
            walk(target, step, seen | {target})

    walk(start, (), frozenset({start}))
    paths.sort(key=lambda p: (len(p.links), [link.target for link in p.links]))
    return Trace(start, paths, net)
