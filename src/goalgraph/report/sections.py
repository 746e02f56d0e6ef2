"""One kommun's section of the report, arranged from the answers gathered once for the graph.

The order is the page's: summary, overview (vision, riktningar, KF and KS
goals with status), the goal tree per nämnd with the five criteria, the
delstrategi grid, coverage heatmaps, nyckeltal, findings, and the marks
(illustrative data, notes). Every item placed somewhere gets its anchor
there (its *home*); findings and notes link to homes only.

>>> GOAL_KINDS[0]
'council_goal'
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import TYPE_CHECKING

from goalgraph.goal_chain import term_text
from goalgraph.graph import PREFIXES
from goalgraph.i18n import message
from goalgraph.report import criteria as criteria_module
from goalgraph.report.annotations import natural_key
from goalgraph.report.findings import SYMBOLS, finding_groups
from goalgraph.report.heatmaps import DIMENSIONS, heatmap
from goalgraph.report.model import (
    AreaEntry,
    Entry,
    Finding,
    FindingGoal,
    FindingGroup,
    Grid,
    KommunSection,
    OrganisationEntry,
    StatusGoal,
    TreeGoal,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from goalgraph.report.annotations import Catalogue
    from goalgraph.report.contents import Context

__all__ = ["GOAL_KINDS", "followup_group", "section"]

GG = PREFIXES["gg"]
#: Kinds of goal counted in the coverage heatmaps.
GOAL_KINDS = ("council_goal", "executive_board_goal", "committee_goal", "sub_goal", "goal")
# Organisations that get a place in the goal tree even without goals.
_NAMND_CLASSES = {
    GG + c for c in ("Committee", "WorkingCommittee", "JointBody", "MunicipalCompany")
}
_CHILD_LINKS = {GG + "subGoalOf", GG + "implements"}


def section(context: Context, *, code: str, iri: str) -> KommunSection:
    """The section of the kommun *code* (IRI *iri*).

    :raises goalgraph.errors.ReportError: if a chart cannot be drawn.
    """
    from goalgraph.report.contents import kommun_label

    catalogue = context.catalogue
    kinds = context.nodes.get(iri, {})

    def of(kind: str) -> list[str]:
        return kinds.get(kind, [])

    items = {node for nodes in kinds.values() for node in nodes} | context.items.get(iri, set())
    notes = catalogue.number_notes(items, prefix=f"n-{code}")
    indicators = context.progress.charts(code, catalogue)
    homes = {
        *of("vision"),
        *of("area"),
        *of("council_goal"),
        *of("executive_board_goal"),
        *of("committee_goal"),
        *(chart.entry.iri for chart in indicators),
    }

    def home(item: str) -> str | None:
        return catalogue.anchors.of(item, "i") if item in homes else None

    results = context.results.get(iri, [])
    links: dict[str, dict[str, str]] = {}
    findings = finding_groups(
        context.validation,
        results,
        anchors=catalogue.anchors,
        home=home,
        name=lambda item: catalogue.title(item) if item in catalogue.net else None,
        links=links,
    )
    findings += followup_group(context, kommun=iri, home=home)
    tree = _tree(
        context,
        iri,
        of("committee_goal"),
        links,
        Counter(str(r.focus_node) for r in results),
        challenges_known=bool(of("challenge")),
    )
    homes_anchors = {catalogue.anchors.of(h, "i") for h in homes}
    notes = tuple(
        n if n.about_anchor in homes_anchors else dataclasses.replace(n, about_anchor=None)
        for n in notes
    )
    tree_goals = {goal.entry.iri: goal for org in tree for goal in org.goals}
    counts = {
        "council_goals": len(of("council_goal")),
        "board_goals": len(of("executive_board_goal")),
        "committee_goals": len(of("committee_goal")),
        "organisations": len(tree),
        "substrategies": len(of("substrategy")),
        "indicators": len(indicators) or len(of("indicator")),
        "complete": sum(
            1 for g in tree_goals.values() if all(c.state != "missing" for c in g.criteria)
        ),
        "violations": sum(1 for r in results if r.severity.name == "VIOLATION"),
        "warnings": sum(1 for r in results if r.severity.name == "WARNING"),
        "infos": sum(1 for r in results if r.severity.name == "INFO"),
        "notes": len(notes),
    }
    progress = context.progress
    return KommunSection(
        code=code,
        label=kommun_label(context.graph, iri, catalogue.lang),
        anchor=catalogue.anchors.of(iri, "k", text=code),
        visions=tuple(catalogue.entry(v) for v in of("vision")),
        areas=tuple(
            AreaEntry(catalogue.entry(a), _goals_in(catalogue, a), progress.status(a))
            for a in of("area")
        ),
        council_goals=tuple(
            StatusGoal(
                catalogue.entry(g),
                _areas_of(catalogue, g),
                progress.status(g),
                progress.forecast(g),
            )
            for g in of("council_goal")
        ),
        board_goals=tuple(
            StatusGoal(
                catalogue.entry(g),
                _areas_of(catalogue, g),
                progress.status(g),
                progress.forecast(g),
            )
            for g in of("executive_board_goal")
        ),
        organisations=tree,
        grid=_grid(context, code),
        heatmaps=tuple(
            heatmap(
                context.coverage[d],
                kommun=iri,
                goals=[g for kind in GOAL_KINDS for g in of(kind)],
                responsible=context.responsible,
                catalogue=catalogue,
            )
            for d in DIMENSIONS
        ),
        findings=findings,
        counts=counts,
        indicators=indicators,
        notes=notes,
        illustrative=tuple(
            catalogue.entry(item)
            for item in sorted(
                (i for i in items if i in catalogue.illustrative), key=catalogue.order
            )
        ),
    )


def followup_group(
    context: Context, *, kommun: str, home: Callable[[str], str | None] | None = None
) -> tuple[FindingGroup, ...]:
    """Follow-up's own findings (a steering goal without a forecast, …) about items of *kommun*.

    :param kommun: the kommun's IRI, or ``""`` for items of no kommun.
    :param home: item IRI → its anchor in the report, if it has one.
    :raises: nothing; an empty tuple when follow-up found nothing there.
    """
    from goalgraph.validation import Severity

    catalogue = context.catalogue
    lang = catalogue.lang
    by_item: dict[str, list[Finding]] = {}
    labels: dict[str, str] = {}
    for row in context.progress.findings:
        focus = str(row["focus"])
        if catalogue.kommun.get(focus, "") != kommun:
            continue
        severity = Severity.parse(str(row["severity"]))
        findings = by_item.setdefault(focus, [])
        findings.append(
            Finding(
                anchor=catalogue.anchors.of(
                    f"followup|{focus}|{len(findings)}",
                    "f",
                    text=f"{row['focus_label']}-{row['code']}",
                ),
                severity=severity.name.lower(),
                severity_label=severity.label(lang),
                symbol=SYMBOLS[severity.name],
                message=str(row["message"]),
                value=None,
                rule=str(row["code"]),
            )
        )
        labels[focus] = str(row["focus_label"]) or catalogue.title(focus)
    if not by_item:
        return ()
    heading = message("report.followup_findings", lang)
    items = tuple(
        FindingGoal(
            anchor=catalogue.anchors.of(f"followup|{focus}", "f", text=labels[focus]),
            label=labels[focus],
            target=home(focus) if home is not None else None,
            findings=tuple(found),
        )
        for focus, found in by_item.items()
    )
    anchor = catalogue.anchors.of(f"followup-group|{kommun}", "fg", text=heading)
    return (FindingGroup(anchor=anchor, organisation=heading, items=items),)


def _goals_in(catalogue: Catalogue, area: str) -> tuple[Entry, ...]:
    net = catalogue.net
    members = {
        source
        for source, _, key in net.in_edges(area, keys=True)
        if key == GG + "inArea"
        and net.nodes[source]["kind"] in ("council_goal", "executive_board_goal")
    }
    return tuple(catalogue.entry(g) for g in sorted(members, key=catalogue.sort_key))


def _areas_of(catalogue: Catalogue, goal: str) -> tuple[str, ...]:
    return tuple(
        catalogue.title(target)
        for _, target, key in catalogue.net.out_edges(goal, keys=True)
        if key == GG + "inArea"
    )


def _tree(
    context: Context,
    kommun: str,
    committee_goals: list[str],
    links: dict[str, dict[str, str]],
    per_item: Counter[str],
    *,
    challenges_known: bool,
) -> tuple[OrganisationEntry, ...]:
    catalogue = context.catalogue
    responsible = context.responsible
    orgs = {
        term_text(row["organisation"])
        for row in context.organisations
        if term_text(row["class"]) in _NAMND_CLASSES
        and "kommun" in row
        and term_text(row["kommun"]) == kommun
    }
    orgs |= {org for goal in committee_goals for org in responsible.get(goal, [])}
    groups: list[tuple[Entry, list[str]]] = [
        (catalogue.entry(org), [g for g in committee_goals if org in responsible.get(g, [])])
        for org in sorted(orgs, key=lambda o: natural_key(catalogue.label(o)))
    ]
    orphans = [g for g in committee_goals if not responsible.get(g)]
    if orphans:
        nobody = Entry(
            iri="",
            anchor=catalogue.anchors.of(f"no-organisation|{kommun}", "o", text="utan-namnd"),
            kind="other",
            kind_label="",
            identifier=None,
            label=message("report.no_organisation", catalogue.lang),
            description=None,
        )
        groups.append((nobody, orphans))
    return tuple(
        OrganisationEntry(
            entry, tuple(_tree_goal(context, g, links, per_item, challenges_known) for g in goals)
        )
        for entry, goals in groups
    )


def _tree_goal(
    context: Context,
    goal: str,
    links: dict[str, dict[str, str]],
    per_item: Counter[str],
    challenges_known: bool,
) -> TreeGoal:
    catalogue = context.catalogue
    found = links.get(goal, {})
    children = sorted(
        {s for s, _, key in catalogue.net.in_edges(goal, keys=True) if key in _CHILD_LINKS},
        key=catalogue.sort_key,
    )
    return TreeGoal(
        entry=catalogue.entry(goal),
        criteria=criteria_module.criteria(
            goal,
            context.reach.get(goal, {}),
            catalogue=catalogue,
            challenges_known=challenges_known,
            findings=found,
        ),
        findings=per_item[goal],
        findings_anchor=found.get(""),
        children=tuple(catalogue.entry(c) for c in children),
        status=context.progress.status(goal),
    )


def _grid(context: Context, code: str) -> Grid:
    from goalgraph.gaps import substrategy_grid

    lang = context.catalogue.lang
    names = substrategy_grid(context.graph, kommun=code, lang=lang, names=True)
    counts = substrategy_grid(context.graph, kommun=code, lang=lang)
    return Grid(
        rows=tuple(str(r) for r in names.index),
        columns=tuple(str(c) for c in names.columns),
        cells=tuple(
            tuple(
                _cell(str(names.iloc[i, j]), int(counts.iloc[i, j]))
                for j in range(len(names.columns))
            )
            for i in range(len(names.index))
        ),
    )


def _cell(names: str, count: int) -> tuple[str, ...]:
    """The delstrategi titles of one grid cell, split only when the split is unambiguous."""
    if count == 0:
        return ()
    parts = names.split("; ")
    return tuple(parts) if len(parts) == count else (names,)
