"""The five traceability criteria of each nämnd goal: met directly, through a delstrategi, or not.

Seed 002 asks every nämnd goal to trace to (a) a KF goal, (b) the RUS, (c) a
citizen perspective, (d) Agenda 2030 and (e) a challenge of the
omvärldsanalys. :func:`criteria` reads, with the lookup ``criteria.rq``, how
each goal meets each criterion, with exactly the semantics of the shapes in
``shapes/traceability.ttl``: a link of the goal itself is *direct*; a link of a
delstrategi it supports (``gg:supportsSubStrategy``) is *via delstrategi*; a
KF goal reached through other goals of the chain is *via the goal chain*.
Criterion (e) is *not judged* when the kommun has no challenges in the data,
as the shape does.

>>> CRITERIA[0]
'kf'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goalgraph.goal_chain import term_text
from goalgraph.i18n import message
from goalgraph.report.lookups import run
from goalgraph.report.model import Criterion

if TYPE_CHECKING:
    from goalgraph.graph import GoalGraph
    from goalgraph.report.annotations import Catalogue

__all__ = ["CRITERIA", "SHAPES", "STATES", "Reach", "criteria", "reach"]

#: The criteria in the order of seed 002: (a) KF goal … (e) challenge.
CRITERIA = ("kf", "rus", "perspective", "sdg", "challenge")

#: The shape (local name in ``ggsh:``) that reports each criterion missing.
SHAPES = {
    "kf": "CommitteeGoalAnchoredShape",
    "rus": "CommitteeGoalRegionalAreaShape",
    "perspective": "CommitteeGoalPerspectiveShape",
    "sdg": "CommitteeGoalAgenda2030Shape",
    "challenge": "CommitteeGoalChallengeShape",
}

#: How a criterion can stand, with the symbol shown beside its text.
STATES = {
    "direct": "✓",
    "via_substrategy": "↳",
    "via_goal": "↳",
    "missing": "✗",
    "not_judged": "–",
}

#: goal IRI → criterion → (item IRI, first step IRI or None) pairs.
Reach = dict[str, dict[str, set[tuple[str, str | None]]]]


def reach(graph: GoalGraph) -> Reach:
    """What every nämnd goal of *graph* reaches for each criterion, and through what.

    :raises: nothing for a loaded graph; a goal meeting no criterion has no key.

    >>> from goalgraph import load
    >>> reach(load())
    {}
    """
    found: Reach = {}
    for row in run(graph, "criteria"):
        via = term_text(row["via"]) if "via" in row else None
        by_criterion = found.setdefault(term_text(row["goal"]), {})
        by_criterion.setdefault(term_text(row["criterion"]), set()).add(
            (term_text(row["item"]), via)
        )
    return found


def criteria(
    goal: str,
    reached: dict[str, set[tuple[str, str | None]]],
    *,
    catalogue: Catalogue,
    challenges_known: bool,
    findings: dict[str, str],
) -> tuple[Criterion, ...]:
    """The five criteria of *goal*, each with its state, what it reaches and the finding.

    :param reached: the goal's part of :func:`reach` (criterion → (item, via) pairs).
    :param challenges_known: whether the goal's kommun has challenges in the data;
        if not, criterion (e) is not judged.
    :param findings: shape local name → anchor of the finding about this goal.
    :raises: nothing; an unknown criterion key cannot occur (the lookup fixes them).
    """
    lang = catalogue.lang
    result = []
    for key in CRITERIA:
        pairs = reached.get(key, set())
        direct = sorted({item for item, via in pairs if via is None}, key=catalogue.sort_key)
        indirect = sorted({item for item, via in pairs if via is not None}, key=catalogue.sort_key)
        steps = sorted({via for _, via in pairs if via is not None}, key=catalogue.sort_key)
        if direct:
            state, items, through = "direct", direct, []
        elif indirect:
            state = "via_goal" if key == "kf" else "via_substrategy"
            items, through = indirect, steps
        elif key == "challenge" and not challenges_known:
            state, items, through = "not_judged", [], []
        else:
            state, items, through = "missing", [], []
        result.append(
            Criterion(
                key=key,
                name=message(f"report.criterion_{key}", lang),
                state=state,
                state_label=message(f"report.state_{state}", lang),
                symbol=STATES[state],
                reached=tuple(catalogue.cited(i) for i in items),
                via=tuple(catalogue.cited(v) for v in through),
                finding=findings.get(SHAPES[key]) if state == "missing" else None,
            )
        )
    return tuple(result)
