"""Traceability: every path from a goal up to the vision and out to everything it serves.

:func:`trace` follows the goal chain (:func:`goalgraph.goal_chain.network`)
from one goal, named as :func:`goalgraph.item_names.resolve` reads a name, and
lists every path; each path is printable as an explanation in Swedish or
English, and a path of more than one link (a goal reaching an SDG target
through its delstrategi) is marked inferred, with the ontology's derived
property (``gg:tracesToSDG``) when there is one.

>>> from goalgraph import load
>>> trace(load("examples/vetlanda"), "KFN-1").reached("sdg_target") >= {
...     "http://metadata.un.org/sdg/11.7"}
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from goalgraph.goal_chain import DERIVED, GG, describe, network, term_text
from goalgraph.graph import GoalGraph
from goalgraph.i18n import message
from goalgraph.item_names import resolve

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from goalgraph.endpoint import Endpoint

__all__ = ["Link", "Trace", "TracePath", "trace"]


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
