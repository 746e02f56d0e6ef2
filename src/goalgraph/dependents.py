"""Impact: everything that depends on a KF goal, delstrategi, indicator or other item.

A change to a KF goal touches the nämnd goals contributing to it, their
delmål, åtaganden and activities; a change to a delstrategi touches the goals
supporting it; a change to an indicator touches the goals measured by it and
its observations and target levels. :func:`impact` lists them all with the
path by which each depends on the item.

>>> from goalgraph import load
>>> impact(load(), "KF1")
Traceback (most recent call last):
goalgraph.errors.UnknownTermError: ...
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph.goal_chain import describe, kind_label, network
from goalgraph.graph import GoalGraph
from goalgraph.i18n import pick_label
from goalgraph.item_names import resolve
from goalgraph.traceability import Link, TracePath

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.endpoint import Endpoint

__all__ = ["impact"]

_ATTACHED = """
SELECT ?item ?node ?kind WHERE {
  VALUES (?p ?named) {
    (gg:indicator "observation") (gg:forGoal "target_level") (gg:assessedGoal "assessment")
  }
  ?item ?p ?node .
  # a target level names its indicator too (gg:indicator): it is a target level, not an observation
  BIND(IF(EXISTS { ?item a gg:TargetLevel }, "target_level", ?named) AS ?kind)
}
"""
_COLUMNS = ["node", "kind", "kind_label", "label", "distance", "via", "explanation"]


def impact(
    graph: GoalGraph | Endpoint, node: str, *, lang: str | None = None, kommun: str | None = None
) -> pd.DataFrame:
    """Everything that depends on *node*, nearest first.

    One row per dependent item: its IRI, kind, label, distance (links
    between it and *node*), the next item on its way (``via``) and an
    explanation of the path ("nämndmål X → KF-mål Y"). Observations, target
    levels and assessments of the item and of its dependent goals are
    included.

    :param node: an IRI, local id or unique title (see :func:`~goalgraph.item_names.resolve`).
    :param kommun: a kommun code (``"0685"``) to choose between kommuner using the same id.
    :raises UnknownTermError: if *node* names nothing or several items, or
        *kommun* is not a kommun of the data.

    >>> from goalgraph import load
    >>> impact(load(), "sdg:C110701").empty
    True
    """
    from goalgraph.store.remote import as_graph

    graph = as_graph(graph)
    import networkx as nx
    import pandas as pd

    net = network(graph)
    target = resolve(graph, node, net=net, kommun=kommun)
    reverse = net.reverse(copy=False)
    distances = nx.single_source_shortest_path(reverse, target)
    rows = []
    for dependent, path in distances.items():
        if dependent == target:
            continue
        nodes = list(reversed(path))
        links = tuple(
            Link(a, next(iter(net[a][b])), b, any(d["stated"] for d in net[a][b].values()))
            for a, b in itertools.pairwise(nodes)
        )
        trace = TracePath(links, tuple(net.nodes[n]["kind"] for n in nodes))
        attrs = net.nodes[dependent]
        rows.append(
            {
                "node": dependent,
                "kind": attrs["kind"],
                "kind_label": kind_label(attrs["kind"], lang),
                "label": pick_label(attrs["labels"], lang) or attrs["identifier"] or dependent,
                "distance": len(links),
                "via": nodes[1],
                "explanation": trace.explain(net, lang),
            }
        )
    affected = {target, *distances}
    # an item attached to several affected nodes (a target level of a goal and of its
    # indicator) is listed once, by its nearest owner
    nearest: dict[str, tuple[int, str, str, ox.NamedNode]] = {}
    for row in graph.select(_ATTACHED):
        owner = row["node"].value
        if owner not in affected or not isinstance(row["item"], ox.NamedNode):
            continue
        item = row["item"].value
        if item in affected:
            continue
        distance = len(distances.get(owner, [owner]))
        candidate = (distance, owner, row["kind"].value, row["item"])
        if item not in nearest or candidate[:2] < nearest[item][:2]:
            nearest[item] = candidate
    for item, (distance, owner, kind, term) in sorted(nearest.items()):
        labels = graph.labels(term)
        rows.append(
            {
                "node": item,
                "kind": kind,
                "kind_label": kind_label(kind, lang),
                "label": pick_label(labels, lang) or item.rsplit("/", 1)[-1],
                "distance": distance,
                "via": owner,
                "explanation": f"{kind_label(kind, lang)} {item.rsplit('/', 1)[-1]} → "
                f"{describe(net, owner, lang)}",
            }
        )
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    return frame.sort_values(["distance", "kind", "node"], ignore_index=True)
