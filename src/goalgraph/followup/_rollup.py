"""Roll a status up the goal chain: indicators → nämnd goal → KS/KF goal → riktning.

A goal's children are its own indicators (``gg:measuredBy``) in its kommun
and the goal-chain elements that point up to it (``gg:contributesToGoal``,
``gg:subGoalOf``, ``gg:implements``, ``gg:inArea`` — the upward links of
:data:`goalgraph.goal_chain.UPWARD` the chain is built from — or their
inverses). Children are judged first, then combined by
:func:`goalgraph.followup.progress.combine`. A link that would close a cycle
is left out, with a finding.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from goalgraph.followup._indicators import IndicatorResult, Key, read_year
from goalgraph.followup._names import Finding, Names, notation
from goalgraph.followup.progress import combine
from goalgraph.goal_chain import INVERSES, UPWARD
from goalgraph.graph import PREFIXES
from goalgraph.i18n import message

if TYPE_CHECKING:
    from goalgraph.followup._indicators import Scope
    from goalgraph.followup._tables import Tables

__all__ = ["Child", "GoalInfo", "GoalResult", "Links", "goal_infos", "links_of", "roll_up"]

GG = PREFIXES["gg"]
# goal-chain classes, most specific first, with the kind names of goalgraph.goal_chain
_KINDS = {
    GG + "CouncilGoal": "council_goal",
    GG + "ExecutiveBoardGoal": "executive_board_goal",
    GG + "CommitteeGoal": "committee_goal",
    GG + "SubGoal": "sub_goal",
    GG + "Goal": "goal",
    GG + "StrategicArea": "area",
    GG + "Commitment": "commitment",
    GG + "Action": "action",
}
_ORDER = list(_KINDS.values())
_GG = GG
_ATTRIBUTES = ("municipality", "responsibleOrganisation", "goalRole", "illustrative")
# the upward links of the goal chain a status rolls up along, and their inverses
_UPWARD = tuple(
    p for p in UPWARD if p[len(GG) :] in ("contributesToGoal", "subGoalOf", "implements", "inArea")
)
_DOWNWARD = tuple(inverse for inverse, forward in INVERSES.items() if forward in _UPWARD)
_MEASURED_BY = GG + "measuredBy"
_MEASURES = next(inverse for inverse, forward in INVERSES.items() if forward == _MEASURED_BY)


@dataclass
class GoalInfo:
    """What the data says about one goal-chain element."""

    iri: str
    kind: str
    identifier: str = ""
    kommun: str = ""
    organisation: str = ""
    role: str = ""
    years: tuple[int, int] | None = None  # steering goals only: when forecasts are due
    illustrative: bool = False


def _year_of(text: str) -> int | None:
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def _span(start: str, end: str) -> tuple[int, int] | None:
    first, last = _year_of(start), _year_of(end)
    if first is None and last is None:
        return None
    return (first if first is not None else -9999, last if last is not None else 9999)


def _years(row: dict[str, str]) -> tuple[int, int] | None:
    years = _span(row["from"], row["until"])
    budget = read_year(row["budgetYear"]) if row["budgetYear"] else None
    if years is None and budget is not None:
        years = (budget, budget)
    return years or _span(row["periodFrom"], row["periodUntil"])


def goal_infos(tables: Tables) -> dict[str, GoalInfo]:
    """The goal-chain elements of the user's data, each with its most specific kind.

    A steering goal also gets its years (for the forecasts it needs): those
    of its ``gg:validFrom``–``gg:validUntil``, else its ``gg:budgetYear``,
    else those of its mandate period.
    """
    items = tables.items
    first = {name: items.first(_GG + name) for name in _ATTRIBUTES}
    identifiers = items.first(PREFIXES["dcterms"] + "identifier")
    years = {row["goal"]: _years(row) for row in tables.steering.to_dict(orient="records")}
    infos: dict[str, GoalInfo] = {}
    for node, classes in items.types().items():
        kinds = [_KINDS[c] for c in classes if c in _KINDS]
        if not kinds:
            continue
        infos[node] = GoalInfo(
            iri=node,
            kind=min(kinds, key=_ORDER.index),
            identifier=identifiers.get(node, ""),
            kommun=first["municipality"].get(node, ""),
            organisation=first["responsibleOrganisation"].get(node, ""),
            role=notation(first["goalRole"].get(node, ""), "goal-role"),
            years=years.get(node),
            illustrative=first["illustrative"].get(node) in ("true", "1"),
        )
    return infos


@dataclass
class Links:
    """Who contributes to whom: parent → children, goal → indicators."""

    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    indicators: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def links_of(tables: Tables, goals: dict[str, GoalInfo]) -> Links:
    """The roll-up links among *goals* and from them to indicators, stated either way."""
    items = tables.items
    children: dict[str, set[str]] = defaultdict(set)
    indicators: dict[str, set[str]] = defaultdict(set)
    for prop in _UPWARD:
        for child, parents in items.all(prop).items():
            for parent in parents:
                children[parent].add(child)
    for prop in _DOWNWARD:
        for parent, found in items.all(prop).items():
            children[parent].update(found)
    for goal, found in items.all(_MEASURED_BY).items():
        indicators[goal].update(found)
    for indicator, found in items.all(_MEASURES).items():
        for goal in found:
            indicators[goal].add(indicator)
    links = Links()
    for parent, members in children.items():
        kept = sorted(c for c in members if c in goals and c != parent)
        if parent in goals and kept:
            links.children[parent] = kept
    for goal, measures in indicators.items():
        if goal in goals:
            links.indicators[goal] = sorted(measures)
    return links


@dataclass(frozen=True)
class Child:
    """One item a goal's status was combined from: an indicator in a kommun, or a goal."""

    indicator: Key | None
    goal: str | None
    status: str
    score: float | None


@dataclass
class GoalResult:
    """A goal's combined status and the children it was combined from."""

    goal: str
    status: str
    reason: str | None
    score: float | None
    children: list[Child]

    @property
    def assessed(self) -> int:
        """How many children had a status."""
        return sum(child.status != "not-available" for child in self.children)

    @property
    def not_available(self) -> int:
        """How many children could not be judged."""
        return len(self.children) - self.assessed


def roll_up(
    goals: dict[str, GoalInfo],
    links: Links,
    indicators: dict[Key, IndicatorResult],
    scope: Scope,
    names: Names,
    *,
    rule: str,
    share: float | None,
) -> tuple[dict[str, GoalResult], list[Finding]]:
    """Combine the status of every goal in *scope* from its children, children first."""
    by_indicator: dict[str, list[Key]] = defaultdict(list)
    for key in indicators:
        by_indicator[key[0]].append(key)
    in_scope = {
        iri for iri, info in goals.items() if scope.kommun is None or info.kommun == scope.kommun
    }
    results: dict[str, GoalResult] = {}
    findings: list[Finding] = []
    active: set[str] = set()

    def visit(goal: str) -> GoalResult:
        done = results.get(goal)
        if done is not None:
            return done
        active.add(goal)
        kommun = goals[goal].kommun
        children: list[Child] = []
        for indicator in links.indicators.get(goal, []):
            keys = [(indicator, kommun)] if kommun else by_indicator.get(indicator, [])
            for key in keys:
                result = indicators.get(key)
                if result is not None:
                    progress = result.progress
                    children.append(Child(key, None, progress.status, progress.score))
        for child in links.children.get(goal, []):
            if child not in in_scope:
                continue
            if child in active:
                findings.append(
                    Finding(
                        "warning",
                        "cycle",
                        child,
                        message(
                            "followup.cycle",
                            names.lang,
                            child=names.item(child),
                            goal=names.item(goal),
                        ),
                    )
                )
                continue
            sub = visit(child)
            children.append(Child(None, child, sub.status, sub.score))
        status, reason, score = combine(
            [(c.status, c.score) for c in children], rule=rule, share=share, method=scope.method
        )
        active.discard(goal)
        results[goal] = GoalResult(goal, status, reason, score, children)
        return results[goal]

    for goal in sorted(in_scope):
        visit(goal)
    return results, findings
