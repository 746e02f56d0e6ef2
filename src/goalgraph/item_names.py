"""Items of the goal chain found by the names users give them.

A user names an item by its IRI, a prefixed name (``sdg:11.3``), its local id
(``KFN-1``), an SDG code (``11.3``) or its title; :func:`resolve` finds the one
item so named, or raises an :class:`~goalgraph.errors.UnknownTermError` that
lists the candidates (several items of that name, or the names closest to it).
:func:`resolve_items` does so for a list of names, letting through an IRI
outside the goal chain for its caller to look up.

>>> from goalgraph import load
>>> resolve(load("examples/vetlanda"), "KFN-1")
'https://w3id.org/goalgraph/id/0685/goal/KFN-1'
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from goalgraph.errors import UnknownTermError
from goalgraph.goal_chain import SDG_KINDS, describe, network
from goalgraph.graph import PREFIXES, GoalGraph
from goalgraph.i18n import message
from goalgraph.municipalities import require_kommun

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["resolve", "resolve_items"]


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
