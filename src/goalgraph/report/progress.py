"""Follow-up in the report: goal status, forecasts and indicator charts from `status()`.

The status report's tables are read as they are — nothing is recomputed: a
goal's rolled-up status and latest forecast, and for each nyckeltal of a
kommun its yearly values, target level, status and the reason when it
cannot be judged. Every status is shown as a symbol and its label (never by
colour alone); values from Kolada carry "Källa: Kolada", and the statuses
derived from them "egen bearbetning av data från Kolada".

>>> status_of("on-track", "på väg att nås").symbol
'●'
>>> status_of("something-new", "ny status").tone
'none'
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from goalgraph.i18n import message
from goalgraph.report.charts import indicator_svg
from goalgraph.report.html import number
from goalgraph.report.model import IndicatorChart, Status

if TYPE_CHECKING:
    from goalgraph.followup import StatusReport
    from goalgraph.graph import GoalGraph
    from goalgraph.report.annotations import Catalogue

__all__ = ["Followup", "followup", "status_of"]

# Symbol and tone of each progress status (ref:progress) and attainment level (ref:attainment).
# The label always comes from the data; an unknown notation still shows its label.
_LOOK = {
    "target-achieved": ("✓", "good"),
    "on-track": ("●", "good"),
    "acceleration-needed": ("◐", "fair"),
    "limited-progress": ("○", "poor"),
    "deterioration": ("✗", "poor"),
    "not-available": ("–", "none"),
    "achieved": ("✓", "good"),
    "partly-achieved": ("◐", "fair"),
    "not-achieved": ("✗", "poor"),
    "not-assessed": ("–", "none"),
}


def status_of(notation: str, label: str, reason: str | None = None) -> Status:
    """The status *notation* (``on-track``, ``partly-achieved`` …) with its symbol and tone.

    :param reason: why the status is ``not-available``, if it is.
    :raises: nothing; an unknown notation gets a neutral dot and tone, and keeps its label.
    """
    symbol, tone = _LOOK.get(notation, ("•", "none"))
    return Status(
        notation=notation, label=label or notation, symbol=symbol, tone=tone, reason=reason or None
    )


@dataclass
class Followup:
    """The follow-up part of a report, looked up by goal IRI and by kommun code."""

    goals: dict[str, tuple[Status, Status | None]] = field(default_factory=dict)
    indicators: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    series: dict[tuple[str, str], list[tuple[int, float]]] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def status(self, goal: str) -> Status | None:
        """The rolled-up status of *goal*, if follow-up judged it."""
        found = self.goals.get(goal)
        return found[0] if found else None

    def forecast(self, goal: str) -> Status | None:
        """The latest forecast entered for *goal*, if any."""
        found = self.goals.get(goal)
        return found[1] if found else None

    def charts(self, code: str, catalogue: Catalogue) -> tuple[IndicatorChart, ...]:
        """The nyckeltal of the kommun *code*: a chart for each with values, the rest without."""
        charts = []
        for row in self.indicators.get(code, []):
            charts.append(_chart(row, self.series.get((code, row["indicator"]), []), catalogue))
        return tuple(charts)


def followup(
    graph: GoalGraph, *, year: int | None, kommun: str | None, lang: str
) -> tuple[Followup, StatusReport]:
    """Status, forecasts and series of *graph*'s goals and nyckeltal (one kommun if given).

    :raises goalgraph.errors.UnknownTermError: if *kommun* is not in the data.
    """
    from goalgraph.followup import status

    report = status(graph, year=year, kommun=kommun, lang=lang)
    found = Followup()
    for row in report.goals.to_dict(orient="records"):
        forecast = None
        if row["forecast"]:
            label = row["forecast_label"]
            if row["forecast_at_label"]:
                label = message(
                    "report.forecast_at", lang, forecast=label, point=row["forecast_at_label"]
                )
            forecast = status_of(row["forecast"], label)
        judged = status_of(row["status"], row["status_label"], row["reason_label"])
        found.goals[row["goal"]] = (judged, forecast)
    for row in report.indicators.to_dict(orient="records"):
        found.indicators.setdefault(row["kommun"], []).append(row)
    series: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for row in report.observations.itertuples(index=False):
        series[(row.kommun, row.indicator)].append((int(row.year), float(row.value)))
    found.series = {key: sorted(values) for key, values in series.items()}
    found.findings = report.findings.to_dict(orient="records")
    return found, report


def _present(value: object) -> bool:
    if value is None:
        return False
    try:
        return not math.isnan(value)  # type: ignore[arg-type]
    except TypeError:
        return str(value) not in ("", "<NA>")


def _chart(
    row: dict[str, Any], values: list[tuple[int, float]], catalogue: Catalogue
) -> IndicatorChart:
    lang = catalogue.lang
    entry = catalogue.entry(row["indicator"])
    target = None
    if _present(row["target_value"]):
        target_year = int(row["target_year"]) if _present(row["target_year"]) else None
        target = (float(row["target_value"]), target_year)
    status = status_of(row["status"], row["status_label"])
    reason = row["reason_label"] or None
    unit = row["unit"] or None
    summary = _summary(entry.label, values, target, status, reason, unit, lang)
    svg = ""
    if values:
        svg = indicator_svg(
            anchor=f"{entry.anchor}-chart",
            title=entry.label,
            description=summary,
            values=values,
            target=target,
            lang=lang,
            unit=unit,
        )
    return IndicatorChart(
        entry=entry,
        svg=svg,
        summary=summary,
        values=tuple(values),
        target=target,
        status=status,
        reason=reason,
        from_kolada=bool(row["from_kolada"]),
        unit=unit,
        illustrative=bool(row["illustrative"]),
    )


def _summary(
    label: str,
    values: list[tuple[int, float]],
    target: tuple[float, int | None] | None,
    status: Status,
    reason: str | None,
    unit: str | None,
    lang: str,
) -> str:
    """The chart in words: values, latest, target and status (its <desc> and caption)."""
    suffix = f" {unit}" if unit else ""
    parts = []
    if values:
        (first_year, first), (last_year, last) = values[0], values[-1]
        parts.append(
            message(
                "report.chart_values",
                lang,
                count=len(values),
                first_year=first_year,
                first=number(first, lang) + suffix,
                last_year=last_year,
                last=number(last, lang) + suffix,
            )
        )
    else:
        parts.append(message("report.chart_no_values", lang))
    if target is not None:
        key = "report.chart_target_year" if target[1] is not None else "report.chart_target"
        parts.append(message(key, lang, value=number(target[0], lang) + suffix, year=target[1]))
    text = message("report.chart_status", lang, status=status.label)
    parts.append(f"{text} ({reason})" if reason else text)
    return f"{label}: " + " ".join(parts)
