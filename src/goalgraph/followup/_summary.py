"""A status report as plain text for a municipal analyst (Swedish by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from goalgraph.followup._text import number, rate
from goalgraph.i18n import message

if TYPE_CHECKING:
    from goalgraph.followup._report import StatusReport

__all__ = ["summary"]


def _present(value: Any) -> bool:
    return value is not None and value == value and value != ""


def _goal_line(row: dict[str, Any], lang: str | None) -> str:
    name = row["goal_id"] or row["goal_label"] or row["goal"]
    if row["goal_id"] and row["goal_label"] and row["goal_label"] != row["goal_id"]:
        name = f"{row['goal_id']} «{row['goal_label']}»"
    status = row["status_label"]
    if row["reason_label"]:
        status += f" — {row['reason_label']}"
    text = f"  {row['kind_label']} {name}: {status}"
    if row["status"] != "not-available" or row["not_available"]:
        text += " " + message(
            "followup.text_counts",
            lang,
            score=number(row["score"], lang) if _present(row["score"]) else "–",
            assessed=row["assessed"],
            missing=row["not_available"],
        )
    if row["forecast"]:
        text += " " + message(
            "followup.text_forecast",
            lang,
            point=row["forecast_at_id"] or row["forecast_at_label"],
            attainment=row["forecast_label"],
        )
    if row["illustrative"]:
        text += " " + message("followup.text_illustrative", lang)
    return text


def _indicator_line(row: dict[str, Any], lang: str | None) -> str:
    name = row["indicator_id"] or row["indicator_label"] or row["indicator"]
    if row["indicator_id"] and row["indicator_label"]:
        name = f"{row['indicator_id']} «{row['indicator_label']}»"
    if row["kolada_id"]:
        name += f" ({row['kolada_id']})"
    status = row["status_label"]
    if row["reason_label"]:
        status += f" — {row['reason_label']}"
    text = f"  {row['kommun']} {name}: {status}"
    if _present(row["base_year"]) and _present(row["latest_year"]):
        text += " " + message(
            "followup.explain_values",
            lang,
            base_year=row["base_year"],
            base=number(row["base_value"], lang),
            latest_year=row["latest_year"],
            latest=number(row["latest_value"], lang),
            cagr=rate(row["cagr"], lang),
        )
    elif _present(row["latest_year"]):
        text += " " + message(
            "followup.explain_latest",
            lang,
            year=row["latest_year"],
            value=number(row["latest_value"], lang),
        )
    if _present(row["target_value"]):
        text += message(
            "followup.explain_target",
            lang,
            value=number(row["target_value"], lang),
            year=row["target_year"] if _present(row["target_year"]) else "–",
        )
    if row["illustrative"]:
        text += " " + message("followup.text_illustrative", lang)
    return text


def summary(report: StatusReport, lang: str | None) -> str:
    """The report as text: scope line, goals, indicators and findings, each under a heading."""
    scope = message(
        "followup.text_scope",
        lang,
        kommun=report._names(lang).kommun(report.model.scope.kommun)
        if report.model.scope.kommun
        else message("followup.all_kommuner", lang),
        years=message("followup.text_until", lang, year=report.year)
        if report.year is not None
        else message("followup.all_years", lang),
        base_year=report.base_year,
        rule=report._names(lang).label(f"https://w3id.org/goalgraph/ref/rollup/{report.rule}"),
    )
    lines = [scope]
    if report.at:
        lines.append(message("followup.text_at", lang, point=report.at))
    note = report.note(lang)
    if note:
        lines.append(note[0].upper() + note[1:] + ".")
    sections = (
        ("followup.text_goals", report.goals, _goal_line),
        ("followup.text_indicators", report.indicators, _indicator_line),
    )
    for key, frame, line in sections:
        lines += ["", message(key, lang, count=len(frame))]
        lines += [line(row, lang) for row in frame.to_dict(orient="records")]
    lines += ["", message("followup.text_findings", lang, count=len(report.findings))]
    for row in report.findings.to_dict(orient="records"):
        severity = message(f"validation.severity_{row['severity']}", lang)
        lines.append(f"  {severity}: {row['message']}")
    return "\n".join(lines)
