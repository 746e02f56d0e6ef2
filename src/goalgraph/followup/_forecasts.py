"""Forecasts at reporting points, beside the computed status, and the forecasts that are missing.

A steering goal is expected to have an attainment forecast at every
reporting point of its kommun whose year lies within the goal's years (its
``gg:validFrom``–``gg:validUntil``, else its ``gg:budgetYear``, else its
mandate period; a goal with none of these is expected at every reporting
point of its kommun). A reporting point's year is its ``gg:budgetYear``, else
the year of its ``gg:reportingDate``. A guiding goal gets no forecast
(seed 001): a forecast on one is a finding too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from goalgraph.errors import UnknownTermError
from goalgraph.followup._indicators import read_year
from goalgraph.followup._names import Finding, Names, notation
from goalgraph.graph import PREFIXES
from goalgraph.i18n import message

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.followup._rollup import GoalInfo
    from goalgraph.followup._tables import Tables

__all__ = ["FORECAST_COLUMNS", "ReportingPoint", "forecasts", "reporting_points", "resolve_point"]

GG = PREFIXES["gg"]

FORECAST_COLUMNS = [
    "assessment",
    "kind",
    "kommun",
    "goal",
    "goal_id",
    "goal_label",
    "goal_role",
    "reporting_point",
    "reporting_point_id",
    "reporting_point_label",
    "reporting_point_type",
    "date",
    "year",
    "attainment",
    "attainment_label",
    "illustrative",
]


@dataclass(frozen=True)
class ReportingPoint:
    """A delårsrapport, halvårsbokslut or årsredovisning, with the year it belongs to."""

    iri: str
    identifier: str
    type: str
    date: str
    year: int | None
    kommun: str

    @property
    def order(self) -> tuple[int, str]:
        """Sort key: year, then date (a point without date last within its year)."""
        return (self.year if self.year is not None else -9999, self.date or "9999")


def reporting_points(tables: Tables) -> dict[str, ReportingPoint]:
    """Every reporting point of the data by IRI."""
    points = {}
    for row in tables.reporting_points.to_dict(orient="records"):
        if row["point"] in points:
            continue
        budget = read_year(row["budgetYear"]) if row["budgetYear"] else None
        dated = int(row["date"][:4]) if row["date"][:4].isdigit() else None
        points[row["point"]] = ReportingPoint(
            iri=row["point"],
            identifier=row["identifier"],
            type=notation(row["type"], "reporting"),
            date=row["date"],
            year=budget if budget is not None else dated,
            kommun=row["kommun"],
        )
    return points


def resolve_point(points: dict[str, ReportingPoint], name: str, lang: str | None) -> ReportingPoint:
    """The reporting point *name* names: its IRI or its local id (e.g. ``DR-2019-08``).

    :raises UnknownTermError: if no reporting point, or several, have that IRI or id.
    """
    if name in points:
        return points[name]
    found = [p for p in points.values() if p.identifier == name]
    if len(found) == 1:
        return found[0]
    candidates = sorted(p.identifier or p.iri for p in (found or points.values()))
    raise UnknownTermError(
        message(
            "followup.unknown_point" if not found else "followup.ambiguous_point",
            lang,
            name=name,
            candidates=", ".join(candidates) or message("analysis.no_candidates", lang),
        ),
        term=name,
        candidates=candidates,
    )


def _applies(point: ReportingPoint, goal: GoalInfo) -> bool:
    if point.kommun and goal.kommun and point.kommun != goal.kommun:
        return False
    if point.year is None:
        return False
    return goal.years is None or goal.years[0] <= point.year <= goal.years[1]


def forecasts(
    tables: Tables,
    goals: dict[str, GoalInfo],
    points: dict[str, ReportingPoint],
    names: Names,
    *,
    at: ReportingPoint | None,
    year: int | None,
    kommun: str | None,
) -> tuple[pd.DataFrame, dict[str, dict[str, object]], list[Finding]]:
    """The forecasts and assessments in scope, the latest forecast per goal, and findings.

    Without *at*, every reporting point up to *year* counts; with it, only that one.
    """
    import pandas as pd

    def selected(point: ReportingPoint | None) -> bool:
        if point is None:
            return at is None
        if at is not None:
            return point.iri == at.iri
        return year is None or point.year is None or point.year <= year

    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    findings: list[Finding] = []
    frame = tables.assessments.sort_values("class", key=lambda c: c != GG + "Forecast")
    for record in frame.to_dict(orient="records"):
        iri = record["assessment"]
        if iri in seen:
            continue
        seen.add(iri)
        goal, point = goals.get(record["goal"]), points.get(record["point"])
        goal_kommun = goal.kommun if goal is not None else ""
        if kommun is not None and goal_kommun != kommun:
            continue
        if not selected(point):
            continue
        kind = "forecast" if record["class"] == GG + "Forecast" else "assessment"
        rows.append(
            {
                "assessment": iri,
                "kind": kind,
                "kommun": names.code(goal_kommun) if goal_kommun else "",
                "goal": record["goal"],
                "goal_id": names.identifier(record["goal"]),
                "goal_label": names.label(record["goal"]) if record["goal"] else "",
                "goal_role": goal.role if goal is not None else "",
                "reporting_point": record["point"],
                "reporting_point_id": point.identifier if point else "",
                "reporting_point_label": names.label(record["point"]) if record["point"] else "",
                "reporting_point_type": point.type if point else "",
                "date": point.date if point else "",
                "year": point.year if point else None,
                "attainment": notation(record["attainment"], "attainment"),
                "attainment_label": names.label(record["attainment"])
                if record["attainment"]
                else "",
                "illustrative": record["illustrative"] == "true",
            }
        )
        if kind == "forecast" and goal is not None and goal.role == "guiding":
            findings.append(
                Finding(
                    "warning",
                    "forecast-on-guiding-goal",
                    iri,
                    message(
                        "followup.forecast_on_guiding",
                        names.lang,
                        goal=names.item(goal.iri),
                        point=names.item(record["point"]) if record["point"] else "–",
                    ),
                )
            )
    table = pd.DataFrame(rows, columns=FORECAST_COLUMNS)
    table["year"] = table["year"].astype("Int64")
    latest: dict[str, dict[str, object]] = {}
    for row in rows:
        point = points.get(str(row["reporting_point"]))
        if row["kind"] != "forecast" or point is None:
            continue
        current = latest.get(str(row["goal"]))
        if current is None or point.order > points[str(current["reporting_point"])].order:
            latest[str(row["goal"])] = row
    forecast_pairs = {(r["goal"], r["reporting_point"]) for r in rows if r["kind"] == "forecast"}
    chosen = sorted((p for p in points.values() if selected(p)), key=lambda p: (p.order, p.iri))
    by_kommun: dict[str, list[ReportingPoint]] = {}
    for point in chosen:
        by_kommun.setdefault(point.kommun, []).append(point)
        if point.year is None:
            findings.append(
                Finding(
                    "info",
                    "reporting-point-without-year",
                    point.iri,
                    message("followup.point_without_year", names.lang, point=names.item(point.iri)),
                )
            )
    anywhere = by_kommun.get("", [])  # a reporting point without kommun is every kommun's
    for goal in sorted(goals.values(), key=lambda g: g.iri):
        if goal.role != "steering" or (kommun is not None and goal.kommun != kommun):
            continue
        candidates = chosen if not goal.kommun else [*by_kommun.get(goal.kommun, []), *anywhere]
        for point in candidates:
            if _applies(point, goal) and (goal.iri, point.iri) not in forecast_pairs:
                findings.append(
                    Finding(
                        "warning",
                        "missing-forecast",
                        goal.iri,
                        message(
                            "followup.missing_forecast",
                            names.lang,
                            goal=names.item(goal.iri),
                            point=names.item(point.iri),
                        ),
                    )
                )
    return table, latest, findings
