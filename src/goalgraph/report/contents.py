"""Gather a report: everything goalgraph knows about one or more kommuner, as plain data.

:func:`gather` calls the library once per question — :func:`goalgraph.validate`
for the findings, :func:`goalgraph.coverage` for the heatmaps,
:func:`goalgraph.gaps.substrategy_grid` for the delstrategi grid, the
traceability network for names and links, and follow-up status for the
indicator charts — and arranges the answers per kommun into a
:class:`~goalgraph.report.model.Report`.

>>> from goalgraph import load
>>> gather(load("examples/vetlanda"), lang="en").sections[0].label  # doctest: +SKIP
'Vetlanda Municipality'
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from goalgraph.errors import LoadError, UnknownTermError
from goalgraph.graph import PREFIXES
from goalgraph.i18n import default_lang, message
from goalgraph.report import criteria as criteria_module
from goalgraph.report.annotations import Catalogue, natural_key
from goalgraph.report.findings import finding_groups
from goalgraph.report.heatmaps import DIMENSIONS, heatmap
from goalgraph.report.lookups import run
from goalgraph.report.model import (
    AreaEntry,
    Entry,
    Grid,
    KommunSection,
    OrganisationEntry,
    Report,
    StatusGoal,
    TreeGoal,
)
from goalgraph.traceability import term_text

if TYPE_CHECKING:
    from goalgraph.gaps import CoverageReport
    from goalgraph.graph import GoalGraph, Term
    from goalgraph.validation import ValidationReport, ValidationResult

__all__ = ["gather", "kommuner"]

GG = PREFIXES["gg"]
_KOMMUN = PREFIXES["ref"] + "kommun/"
# Organisations that get a place in the goal tree even without goals.
_NAMND_CLASSES = {
    GG + c for c in ("Committee", "WorkingCommittee", "JointBody", "MunicipalCompany")
}
_CHILD_LINKS = {GG + "subGoalOf", GG + "implements"}


def kommuner(graph: GoalGraph) -> dict[str, str]:
    """The kommuner the data is about: code → kommun IRI, sorted by code.

    :raises: nothing; data without ``gg:municipality`` gives an empty dict.

    >>> from goalgraph import load
    >>> kommuner(load())
    {}
    """
    found = {}
    for row in run(graph, "kommuner"):
        iri = term_text(row["kommun"])
        code = term_text(row["code"]) if "code" in row else iri.rsplit("/", 1)[-1]
        found[code] = iri
    return dict(sorted(found.items()))


def gather(
    graph: GoalGraph,
    *,
    kommun: str | None = None,
    year: int | None = None,
    lang: str | None = None,
    sources: tuple[str, ...] = (),
) -> Report:
    """Everything the report shows about the kommuner of *graph* (or only *kommun*).

    :param kommun: a kommun code (``"0685"``) to report on one kommun only.
    :param year: the follow-up year (default: the latest with values).
    :param lang: ``sv`` (default) or ``en``.
    :param sources: the input files' names, shown in the report's header.
    :raises UnknownTermError: if *kommun* is not a kommun of the data (the
        message lists the kommuner it has).
    :raises LoadError: if the data names no kommun at all.
    """
    from goalgraph.gaps import coverage
    from goalgraph.traceability import network
    from goalgraph.validation import validate

    chosen = lang if lang in ("sv", "en") else default_lang()
    present = kommuner(graph)
    if not present:
        raise LoadError(message("report.no_kommun", chosen))
    if kommun is not None and kommun not in present:
        known = ", ".join(
            f"{code} {_kommun_label(graph, iri, chosen)}" for code, iri in present.items()
        )
        raise UnknownTermError(
            message("report.unknown_kommun", chosen, kommun=kommun, known=known),
            term=kommun,
            candidates=list(present),
        )
    codes = [kommun] if kommun is not None else list(present)
    net = network(graph)
    catalogue = Catalogue(graph, net, chosen)
    validation = validate(graph, lang=chosen)
    reports = {d: coverage(graph, d, kommun=kommun, lang=chosen) for d in DIMENSIONS}  # type: ignore[arg-type]
    responsible: dict[str, list[str]] = defaultdict(list)
    for row in run(graph, "responsibility", graphs=("data",)):
        responsible[term_text(row["goal"])].append(term_text(row["organisation"]))
    organisations = run(graph, "organisations", graphs=("data",))
    reach = criteria_module.reach(graph)
    by_kommun: dict[str, list[ValidationResult]] = defaultdict(list)
    for result in validation.results:
        by_kommun[str(result.kommun) if result.kommun is not None else ""].append(result)
    sections = tuple(
        _section(
            graph,
            catalogue,
            code=code,
            iri=present[code],
            validation=validation,
            results=by_kommun.get(present[code], []),
            reports=reports,
            responsible=responsible,
            organisations=organisations,
            reach=reach,
        )
        for code in codes
    )
    unassigned = finding_groups(
        validation,
        by_kommun.get("", []),
        anchors=catalogue.anchors,
        home=lambda iri: None,
        name=lambda iri: None,
        links={},
    )
    from goalgraph import __version__

    title_key = "report.title_one" if len(sections) == 1 else "report.title_many"
    return Report(
        lang=chosen,
        title=message(title_key, chosen, kommun=sections[0].label, count=len(sections)),
        generated=datetime.date.today().isoformat(),
        year=year,
        sections=sections,
        unassigned=unassigned,
        followup=False,
        followup_reason=None,
        version=__version__,
        sources=sources,
    )


def _kommun_label(graph: GoalGraph, iri: str, lang: str) -> str:
    import pyoxigraph as ox

    from goalgraph.i18n import pick_label

    return pick_label(graph.labels(ox.NamedNode(iri)), lang) or iri.rsplit("/", 1)[-1]


def _section(
    graph: GoalGraph,
    catalogue: Catalogue,
    *,
    code: str,
    iri: str,
    validation: ValidationReport,
    results: list[ValidationResult],
    reports: dict[str, CoverageReport],
    responsible: dict[str, list[str]],
    organisations: list[dict[str, Term]],
    reach: criteria_module.Reach,
) -> KommunSection:
    """The section of one kommun (*code*, *iri*)."""
    from goalgraph.gaps import substrategy_grid

    lang = catalogue.lang
    net = catalogue.net
    kinds: dict[str, list[str]] = defaultdict(list)
    for node, attrs in net.nodes(data=True):
        if attrs["kommun"] == iri:
            kinds[attrs["kind"]].append(node)
    for nodes in kinds.values():
        nodes.sort(key=catalogue.sort_key)
    items = {node for nodes in kinds.values() for node in nodes}
    items |= {item for item, k in catalogue.kommun.items() if k == iri}
    notes = catalogue.number_notes(items, prefix=f"n-{code}")

    committee_goals = kinds["committee_goal"]
    homes = {
        *kinds["vision"],
        *kinds["area"],
        *kinds["council_goal"],
        *kinds["executive_board_goal"],
        *committee_goals,
    }
    links: dict[str, dict[str, str]] = {}
    per_item = Counter(str(r.focus_node) for r in results)
    findings = finding_groups(
        validation,
        results,
        anchors=catalogue.anchors,
        home=lambda item: catalogue.anchors.of(item, "i") if item in homes else None,
        name=lambda item: catalogue.title(item) if item in catalogue.net else None,
        links=links,
    )

    def goals_in(area: str) -> tuple[Entry, ...]:
        members = {
            source
            for source, _, key in net.in_edges(area, keys=True)
            if key == GG + "inArea"
            and net.nodes[source]["kind"] in ("council_goal", "executive_board_goal")
        }
        return tuple(catalogue.entry(g) for g in sorted(members, key=catalogue.sort_key))

    def areas_of(goal: str) -> tuple[str, ...]:
        return tuple(
            catalogue.title(target)
            for _, target, key in net.out_edges(goal, keys=True)
            if key == GG + "inArea"
        )

    challenges_known = bool(kinds["challenge"])
    orgs = {
        term_text(row["organisation"])
        for row in organisations
        if term_text(row["class"]) in _NAMND_CLASSES
        and "kommun" in row
        and term_text(row["kommun"]) == iri
    }
    orgs |= {org for goal in committee_goals for org in responsible.get(goal, [])}
    tree = []
    for org in sorted(orgs, key=lambda o: natural_key(catalogue.label(o))):
        members = [g for g in committee_goals if org in responsible.get(g, [])]
        tree.append(
            OrganisationEntry(
                catalogue.entry(org),
                _tree_goals(members, catalogue, reach, links, per_item, challenges_known),
            )
        )
    orphans = [g for g in committee_goals if not responsible.get(g)]
    if orphans:
        nobody = Entry(
            iri="",
            anchor=catalogue.anchors.of(f"no-organisation|{iri}", "o", text="utan-namnd"),
            kind="other",
            kind_label="",
            identifier=None,
            label=message("report.no_organisation", lang),
            description=None,
        )
        tree.append(
            OrganisationEntry(
                nobody, _tree_goals(orphans, catalogue, reach, links, per_item, challenges_known)
            )
        )

    names = substrategy_grid(graph, kommun=code, lang=lang, names=True)
    counts = substrategy_grid(graph, kommun=code, lang=lang)
    grid = Grid(
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
    goals = [g for kind in _GOAL_KINDS for g in kinds[kind]]
    heatmaps = tuple(
        heatmap(reports[d], kommun=iri, goals=goals, responsible=responsible, catalogue=catalogue)
        for d in DIMENSIONS
    )
    anchors_home = {catalogue.anchors.of(h, "i") for h in homes}
    notes = tuple(
        note if note.about_anchor in anchors_home else dataclasses.replace(note, about_anchor=None)
        for note in notes
    )
    tree_goals = [g for org in tree for g in org.goals]
    section_counts = {
        "council_goals": len(kinds["council_goal"]),
        "board_goals": len(kinds["executive_board_goal"]),
        "committee_goals": len(committee_goals),
        "organisations": len(tree),
        "substrategies": len(kinds["substrategy"]),
        "indicators": len(kinds["indicator"]),
        "complete": sum(
            1
            for g in {goal.entry.iri: goal for goal in tree_goals}.values()
            if all(c.state != "missing" for c in g.criteria)
        ),
        "violations": sum(1 for r in results if r.severity.name == "VIOLATION"),
        "warnings": sum(1 for r in results if r.severity.name == "WARNING"),
        "infos": sum(1 for r in results if r.severity.name == "INFO"),
        "notes": len(notes),
    }
    illustrative = tuple(
        catalogue.entry(item)
        for item in sorted(
            (i for i in items if i in catalogue.illustrative),
            key=catalogue.order,
        )
    )
    return KommunSection(
        code=code,
        label=_kommun_label(graph, iri, lang),
        anchor=catalogue.anchors.of(iri, "k", text=code),
        visions=tuple(catalogue.entry(v) for v in kinds["vision"]),
        areas=tuple(AreaEntry(catalogue.entry(a), goals_in(a)) for a in kinds["area"]),
        council_goals=tuple(
            StatusGoal(catalogue.entry(g), areas_of(g)) for g in kinds["council_goal"]
        ),
        board_goals=tuple(
            StatusGoal(catalogue.entry(g), areas_of(g)) for g in kinds["executive_board_goal"]
        ),
        organisations=tuple(tree),
        grid=grid,
        heatmaps=heatmaps,
        findings=findings,
        counts=section_counts,
        indicators=(),
        notes=notes,
        illustrative=illustrative,
    )


_GOAL_KINDS = ("council_goal", "executive_board_goal", "committee_goal", "sub_goal", "goal")


def _tree_goals(
    goals: list[str],
    catalogue: Catalogue,
    reach: criteria_module.Reach,
    links: dict[str, dict[str, str]],
    per_item: Counter[str],
    challenges_known: bool,
) -> tuple[TreeGoal, ...]:
    net = catalogue.net
    result = []
    for goal in goals:
        found = links.get(goal, {})
        children = sorted(
            (source for source, _, key in net.in_edges(goal, keys=True) if key in _CHILD_LINKS),
            key=catalogue.sort_key,
        )
        result.append(
            TreeGoal(
                entry=catalogue.entry(goal),
                criteria=criteria_module.criteria(
                    goal,
                    reach.get(goal, {}),
                    catalogue=catalogue,
                    challenges_known=challenges_known,
                    findings=found,
                ),
                findings=per_item[goal],
                findings_anchor=found.get(""),
                children=tuple(catalogue.entry(c) for c in dict.fromkeys(children)),
            )
        )
    return tuple(result)


def _cell(names: str, count: int) -> tuple[str, ...]:
    """The delstrategi titles of one grid cell, split only when the split is unambiguous."""
    if count == 0:
        return ()
    parts = names.split("; ")
    return tuple(parts) if len(parts) == count else (names,)
