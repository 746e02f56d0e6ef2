"""Coverage as heatmaps: how many goals of each organisation reach each SDG, RUS area, perspective.

Built from :func:`goalgraph.coverage` (which says which goal reaches which
item, directly or through a delstrategi) by counting, per item and
organisation, the goals of one kommun that reach it. A goal with several
responsible organisations counts for each; goals without one are counted in
a column of their own. The rows are every item the kommun's goals could
reach (its gaps included) and any other item they do reach.

>>> DIMENSIONS
('sdg', 'rus', 'perspective')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goalgraph.i18n import message
from goalgraph.report.annotations import natural_key
from goalgraph.report.model import Heatmap

if TYPE_CHECKING:
    from goalgraph.gaps import CoverageReport
    from goalgraph.report.annotations import Catalogue

__all__ = ["DIMENSIONS", "heatmap"]

#: The dimensions the report shows, in order.
DIMENSIONS = ("sdg", "rus", "perspective")

_NONE = ""


def heatmap(
    report: CoverageReport,
    *,
    kommun: str,
    goals: list[str],
    responsible: dict[str, list[str]],
    catalogue: Catalogue,
) -> Heatmap:
    """The heatmap of one kommun for the dimension of *report*.

    :param kommun: the kommun's IRI.
    :param goals: IRIs of the kommun's goals.
    :param responsible: goal IRI → IRIs of its responsible organisations.
    :raises KeyError: if a goal is not in the coverage matrix (a programming error).
    """
    lang = catalogue.lang
    matrix = report.matrix
    reached_by: dict[str, set[str]] = {}
    for goal in goals:
        if goal in matrix.index:
            row = matrix.loc[goal]
            reached_by[goal] = {item for item, hit in row.items() if hit}
    gaps = report.gaps[report.gaps["kommun"] == kommun]
    items = set(gaps["item"]) | set().union(*reached_by.values())
    names = {item: report.labels.get(item) or catalogue.title(item) for item in items}
    rows = sorted(items, key=lambda item: natural_key(names[item]))
    organisations = sorted(
        {org for goal in reached_by for org in responsible.get(goal) or [_NONE]},
        key=lambda org: (org == _NONE, natural_key(catalogue.label(org) if org else "")),
    )
    cells = tuple(
        tuple(
            sum(
                1
                for goal, hit in reached_by.items()
                if item in hit and org in (responsible.get(goal) or [_NONE])
            )
            for org in organisations
        )
        for item in rows
    )
    none = message("report.no_organisation", lang)
    return Heatmap(
        dimension=report.dimension,
        title=message(f"report.heatmap_{report.dimension}", lang),
        rows=tuple(names[item] for item in rows),
        columns=tuple(
            (catalogue.identifier(org) or catalogue.label(org)) if org else none
            for org in organisations
        ),
        column_names=tuple(catalogue.label(org) if org else none for org in organisations),
        cells=cells,
        gaps=tuple(str(label) for label in gaps["label"]),
        reached=sum(1 for row in cells if any(row)),
    )
