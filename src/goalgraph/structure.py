"""Structure of the goal chain: orphan goals, cycles and hubs.

* :func:`orphans` — goals linked to nothing upward (no KF goal, delstrategi,
  riktning or parent goal): they cannot be traced to the vision.
* :func:`cycles` — loops in the upward links (a goal contributing, through
  others, to itself), which make "upward" meaningless.
* :func:`hubs` — which delstrategier and KF goals carry the most nämnd goals.

Each returns a pandas DataFrame; ``frame.to_csv()`` and
:func:`goalgraph.gaps.records` give CSV and JSON.

>>> from goalgraph import load
>>> orphans(load()).empty
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goalgraph.goal_chain import GOAL_KINDS, UPWARD, describe, kind_label, network
from goalgraph.graph import GoalGraph
from goalgraph.i18n import pick_label

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.endpoint import Endpoint

__all__ = ["cycles", "hubs", "orphans"]


def _row(net: object, node: str, lang: str | None) -> dict[str, object]:
    attrs = net.nodes[node]  # type: ignore[attr-defined]
    return {
        "node": node,
        "kind": attrs["kind"],
        "kind_label": kind_label(attrs["kind"], lang),
        "identifier": attrs["identifier"],
        "label": pick_label(attrs["labels"], lang),
        "kommun": attrs["kommun"],
        "organisation": attrs["organisation"],
    }


def orphans(graph: GoalGraph | Endpoint, *, lang: str | None = None) -> pd.DataFrame:
    """Goals of the user's data with no upward link at all, sorted by IRI.

    KF goals count as linked when they lie in a riktning or realise the
    vision; nämnd goals when they contribute to a goal or support a
    delstrategi.

    :raises QueryError: never for a loaded graph (listed for symmetry with queries).

    >>> from goalgraph import load
    >>> list(orphans(load()).columns)[:2]
    ['node', 'kind']
    """
    from goalgraph.store.remote import as_graph

    graph = as_graph(graph)
    import pandas as pd

    net = network(graph)
    rows = [
        _row(net, node, lang)
        for node in sorted(net.nodes)
        if net.nodes[node]["kind"] in GOAL_KINDS
        and not any(key in UPWARD for _, _, key in net.out_edges(node, keys=True))
    ]
    return pd.DataFrame(
        rows,
        columns=["node", "kind", "kind_label", "identifier", "label", "kommun", "organisation"],
    )


def cycles(graph: GoalGraph | Endpoint, *, lang: str | None = None) -> pd.DataFrame:
    """Every loop of upward links, one row per loop, as IRIs and as an explanation.

    :raises QueryError: never for a loaded graph.

    >>> from goalgraph import load
    >>> cycles(load()).empty
    True
    """
    from goalgraph.store.remote import as_graph

    graph = as_graph(graph)
    import networkx as nx
    import pandas as pd

    net = network(graph)
    upward = nx.DiGraph((a, b) for a, b, key in net.edges(keys=True) if key in UPWARD)
    rows = []
    for loop in sorted(nx.simple_cycles(upward), key=lambda c: (len(c), sorted(c))):
        start = loop.index(min(loop))
        loop = loop[start:] + loop[:start]
        rows.append(
            {
                "length": len(loop),
                "nodes": " ".join(loop),
                "explanation": " → ".join(describe(net, n, lang) for n in [*loop, loop[0]]),
            }
        )
    return pd.DataFrame(rows, columns=["length", "nodes", "explanation"])


def hubs(
    graph: GoalGraph | Endpoint, *, lang: str | None = None, top: int | None = None
) -> pd.DataFrame:
    """Delstrategier and KF goals ranked by how many nämnd goals link to them directly.

    Columns: the hub's IRI, kind, identifier, label, kommun, ``committee_goals``
    (nämnd goals supporting or contributing to it) and ``goals`` (all goals
    linking to it). Items no nämnd goal links to are listed with 0.

    :param top: keep only the first *top* rows.
    :raises QueryError: never for a loaded graph.

    >>> from goalgraph import load
    >>> hubs(load()).empty
    True
    """
    from goalgraph.store.remote import as_graph

    graph = as_graph(graph)
    import pandas as pd

    net = network(graph)
    rows = []
    for node in net.nodes:
        if net.nodes[node]["kind"] not in ("substrategy", "council_goal"):
            continue
        linked = {
            source
            for source, _, key in net.in_edges(node, keys=True)
            if key in (UPWARD[0], UPWARD[3])  # contributesToGoal, supportsSubStrategy
        }
        row = _row(net, node, lang)
        row["committee_goals"] = sum(1 for s in linked if net.nodes[s]["kind"] == "committee_goal")
        row["goals"] = sum(1 for s in linked if net.nodes[s]["kind"] in GOAL_KINDS)
        rows.append(row)
    frame = pd.DataFrame(
        rows,
        columns=[
            "node",
            "kind",
            "kind_label",
            "identifier",
            "label",
            "kommun",
            "organisation",
            "committee_goals",
            "goals",
        ],
    )
    frame = frame.sort_values(
        ["committee_goals", "goals", "node"], ascending=[False, False, True], ignore_index=True
    )
    return frame.head(top) if top is not None else frame
