"""The report's own SPARQL lookups, one ``.rq`` file each under ``report/queries/``.

They read what no analysis function returns (notes, illustrative marks,
descriptions, organisations, the criteria of each nämnd goal); everything
else the report takes from validation, coverage, traceability and follow-up.

>>> from goalgraph import load
>>> run(load(), "kommuner")
[]
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from goalgraph.resources import report_dir

if TYPE_CHECKING:
    from collections.abc import Sequence

    from goalgraph.graph import GoalGraph, GraphName, Term

__all__ = ["run", "text"]


@cache
def text(name: str) -> str:
    """The SPARQL text of the lookup *name* (``report/queries/<name>.rq``).

    :raises FileNotFoundError: if there is no such lookup (a programming error).
    """
    return (report_dir() / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def run(
    graph: GoalGraph,
    name: str,
    *,
    graphs: Sequence[GraphName] = ("data", "vocabulary"),
) -> list[dict[str, Term]]:
    """Run the lookup *name* on *graph* and return its rows.

    :raises FileNotFoundError: if there is no such lookup.
    :raises goalgraph.errors.QueryError: if its text does not parse (a programming error).
    """
    return graph.select(text(name), graphs=graphs)
