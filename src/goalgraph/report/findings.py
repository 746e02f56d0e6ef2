"""Validation findings for the report: grouped by nämnd and item, each saying what to fix.

The grouping is the validation report's own (:meth:`ValidationReport.by_organisation`,
then :meth:`ValidationReport.by_goal` within each group), restricted to one
kommun. Every finding gets an anchor, so the goal tree can link a missing
criterion to the finding that reports it; :func:`finding_anchors` gives those
links per item and shape.

>>> SYMBOLS["VIOLATION"]
'✗'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goalgraph.i18n import message
from goalgraph.report.model import Finding, FindingGoal, FindingGroup
from goalgraph.validation import ValidationReport

if TYPE_CHECKING:
    from collections.abc import Callable

    from goalgraph.report.annotations import Anchors
    from goalgraph.validation import ValidationResult

__all__ = ["SYMBOLS", "finding_groups", "shape_name"]

#: The symbol shown beside each severity's name (as in ``goalgraph validate``).
SYMBOLS = {"VIOLATION": "✗", "WARNING": "!", "INFO": "i"}


def shape_name(result: ValidationResult) -> str:
    """The local name of the shape that produced *result* (``CommitteeGoalAnchoredShape``).

    :raises: nothing; a shape IRI without ``#`` or ``/`` is returned whole.

    >>> from types import SimpleNamespace
    >>> shape_name(SimpleNamespace(source_shape="https://w3id.org/goalgraph/shapes#XShape"))
    'XShape'
    """
    return str(result.source_shape).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def finding_groups(
    report: ValidationReport,
    results: list[ValidationResult],
    *,
    anchors: Anchors,
    home: Callable[[str], str | None],
    name: Callable[[str], str | None],
    links: dict[str, dict[str, str]],
) -> tuple[FindingGroup, ...]:
    """The findings *results* (of one kommun) grouped by organisation, then by item.

    :param report: the whole validation report (for its language and engine).
    :param home: item IRI → the anchor where the report shows the item, if it does.
    :param name: item IRI → how the report names it (else the finding's label is used).
    :param links: filled with item IRI → shape local name → the finding's anchor, and
        ``""`` → the anchor of the item's findings.
    :raises: nothing; items without a label are named by the last part of their IRI.
    """
    lang = report.lang
    subset = ValidationReport(results=tuple(results), engine=report.engine, lang=lang)
    groups = []
    for (_, organisation), members in subset.by_organisation().items():
        heading = organisation or message("report.no_organisation", lang)
        part = ValidationReport(results=tuple(members), engine=report.engine, lang=lang)
        items = []
        for focus, found in part.by_goal().items():
            iri = str(focus)
            first = found[0]
            label = name(iri) or first.focus_label or iri.rstrip("/").rsplit("/", 1)[-1]
            item_anchor = anchors.of(f"{organisation}|{iri}", "f", text=label)
            links.setdefault(iri, {}).setdefault("", item_anchor)
            findings: list[Finding] = []
            for result in found:
                anchor = anchors.of(
                    f"{iri}|{shape_name(result)}|{len(findings)}",
                    "f",
                    text=f"{label}-{shape_name(result)}",
                )
                links.setdefault(iri, {}).setdefault(shape_name(result), anchor)
                findings.append(_finding(result, anchor, lang))
            items.append(
                FindingGoal(
                    anchor=item_anchor, label=label, target=home(iri), findings=tuple(findings)
                )
            )
        groups.append(
            FindingGroup(
                anchor=anchors.of(f"group|{organisation}", "fg", text=heading),
                organisation=heading,
                items=tuple(items),
            )
        )
    return tuple(groups)


def _finding(result: ValidationResult, anchor: str, lang: str) -> Finding:
    value = None
    if result.value is not None and result.value != result.focus_node:
        text = str(result.value)
        value = result.value_label or (text.rsplit("/", 1)[-1] if "://" in text else text)
    return Finding(
        anchor=anchor,
        severity=result.severity.name.lower(),
        severity_label=result.severity.label(lang),
        symbol=SYMBOLS[result.severity.name],
        message=result.message,
        value=value,
        rule=result.shape_name,
    )
