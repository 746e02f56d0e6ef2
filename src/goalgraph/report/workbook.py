"""The report as an Excel workbook: the same content as the HTML page, one table per sheet.

Sheets: findings, the traceability criteria of each nämnd goal, goal status
and indicator status (with follow-up), the coverage matrices (SDGs, RUS
areas, perspectives × organisations), the delstrategi grid and the notes.
Headers are in the report's language (Swedish by default), the header row is
frozen, every sheet has an auto-filter, columns get widths from their
content, and status columns are coloured by conditional formatting on the
status text — which stays in the cell, so colour is never the only signal.
The file is written atomically: a failure leaves no half-written workbook.

>>> SHEETS[0]
'findings'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goalgraph.destinations import atomic_file
from goalgraph.i18n import message

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from goalgraph.report.model import Report, Status

__all__ = ["SHEETS", "TONE_FILLS", "write_workbook"]

#: The sheets, in order (their titles come from ``messages/report.toml``).
SHEETS = (
    "findings",
    "criteria",
    "goal_status",
    "indicator_status",
    "coverage_sdg",
    "coverage_rus",
    "coverage_perspective",
    "grid",
    "notes",
)

#: Fill colours (RGB) of the status tones, as in the HTML page.
TONE_FILLS = {
    "good": "DFF3E4",
    "fair": "FFF4CC",
    "info": "E3EEFA",
    "poor": "FDE2E1",
    "none": "ECEFF1",
}

_SEVERITY_TONES = {"violation": "poor", "warning": "fair", "info": "info"}
_STATE_TONES = {
    "direct": "good",
    "via_substrategy": "info",
    "via_goal": "info",
    "missing": "poor",
    "not_judged": "none",
}
_MAX_WIDTH = 60


def write_workbook(report: Report, path: str | Path) -> Path:
    """Write *report* as an XLSX workbook to *path*, atomically, and return the path.

    :raises OutputError: if the folder does not exist or is not writable, naming *path*
        (nothing is left behind; see :func:`goalgraph.destinations.atomic_file`).

    >>> from goalgraph.report.model import Report
    >>> import tempfile, openpyxl
    >>> out = write_workbook(Report(lang="sv", title="t", generated="2025-01-01", year=None,
    ...                             sections=()), Path(tempfile.mkdtemp()) / "r.xlsx")
    >>> openpyxl.load_workbook(out).sheetnames[0]
    'Brister'
    """
    from openpyxl import Workbook

    lang = report.lang
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        rows, tones, kind = _SHEET_BUILDERS[sheet](report)
        worksheet = workbook.create_sheet(message(f"report.sheet_{sheet}", lang)[:31])
        _table(worksheet, rows, tones=tones, heat=kind == "matrix")
    target = Path(path)
    with atomic_file(target) as temporary:
        workbook.save(temporary)
    return target


Rows = list[list[Any]]
Tones = dict[str, str]  # cell text → tone, for conditional formatting


def _header(report: Report, *keys: str) -> list[str]:
    return [message(f"report.column_{key}", report.lang) for key in keys]


def _findings(report: Report) -> tuple[Rows, Tones, str]:
    rows: Rows = [
        _header(report, "kommun", "organisation", "item", "severity", "message", "value", "rule")
    ]
    tones: Tones = {}
    groups = [(s.label, g) for s in report.sections for g in s.findings]
    groups += [("", g) for g in report.unassigned]
    for kommun, group in groups:
        for item in group.items:
            for finding in item.findings:
                tones[finding.severity_label] = _SEVERITY_TONES[finding.severity]
                rows.append(
                    [
                        kommun,
                        group.organisation,
                        item.label,
                        finding.severity_label,
                        finding.message,
                        finding.value or "",
                        finding.rule or "",
                    ]
                )
    return rows, tones, "table"


def _criteria(report: Report) -> tuple[Rows, Tones, str]:
    names = [
        message(f"report.criterion_{k}", report.lang)
        for k in ("kf", "rus", "perspective", "sdg", "challenge")
    ]
    rows: Rows = [
        [*_header(report, "kommun", "organisation", "goal"), *names, *_header(report, "links")]
    ]
    tones: Tones = {}
    for section in report.sections:
        for org in section.organisations:
            for goal in org.goals:
                details = []
                for c in goal.criteria:
                    tones[c.state_label] = _STATE_TONES[c.state]
                    linked = "; ".join(map(str, c.reached))
                    if c.via:
                        linked += (
                            f" ({message('report.via', report.lang)} {'; '.join(map(str, c.via))})"
                        )
                    if linked:
                        details.append(f"{c.name}: {linked}")
                rows.append(
                    [
                        section.label,
                        org.entry.label,
                        _name(goal.entry.identifier, goal.entry.label),
                        *[c.state_label for c in goal.criteria],
                        " | ".join(details),
                    ]
                )
    return rows, tones, "table"


def _goal_status(report: Report) -> tuple[Rows, Tones, str]:
    rows: Rows = [_header(report, "kommun", "kind", "goal", "area", "status", "reason", "forecast")]
    tones: Tones = {}
    for section in report.sections:
        for goal in (*section.council_goals, *section.board_goals):
            rows.append(
                [
                    section.label,
                    goal.entry.kind_label,
                    _name(goal.entry.identifier, goal.entry.label),
                    "; ".join(goal.areas),
                    _status(goal.status, tones, report),
                    (goal.status.reason if goal.status else None) or "",
                    _status(goal.forecast, tones, report, "report.forecast_none"),
                ]
            )
    return rows, tones, "table"


def _indicator_status(report: Report) -> tuple[Rows, Tones, str]:
    rows: Rows = [
        _header(
            report,
            "kommun",
            "indicator",
            "latest_year",
            "latest_value",
            "target_value",
            "target_year",
            "status",
            "reason",
            "source",
            "illustrative",
        )
    ]
    tones: Tones = {}
    for section in report.sections:
        for chart in section.indicators:
            latest = chart.values[-1] if chart.values else (None, None)
            rows.append(
                [
                    section.label,
                    _name(chart.entry.identifier, chart.entry.label),
                    latest[0],
                    latest[1],
                    chart.target[0] if chart.target else None,
                    chart.target[1] if chart.target else None,
                    _status(chart.status, tones, report),
                    chart.reason or "",
                    message(
                        "report.source_kolada" if chart.from_kolada else "report.source_data",
                        report.lang,
                    ),
                    message("report.illustrative", report.lang) if chart.illustrative else "",
                ]
            )
    return rows, tones, "table"


def _coverage(dimension: str) -> Any:
    def build(report: Report) -> tuple[Rows, Tones, str]:
        columns: list[str] = []
        for section in report.sections:
            for heat in section.heatmaps:
                if heat.dimension == dimension:
                    columns += [c for c in heat.column_names if c not in columns]
        rows: Rows = [[*_header(report, "kommun", "reaches"), *columns]]
        for section in report.sections:
            for heat in section.heatmaps:
                if heat.dimension != dimension:
                    continue
                for label, values in zip(heat.rows, heat.cells, strict=True):
                    by_name = dict(zip(heat.column_names, values, strict=True))
                    rows.append([section.label, label, *[by_name.get(c) for c in columns]])
        return rows, {}, "matrix"

    return build


def _grid(report: Report) -> tuple[Rows, Tones, str]:
    columns: list[str] = []
    for section in report.sections:
        columns += [c for c in section.grid.columns if c not in columns]
    rows: Rows = [[*_header(report, "kommun", "area"), *columns]]
    for section in report.sections:
        for label, cells in zip(section.grid.rows, section.grid.cells, strict=True):
            by_name = dict(zip(section.grid.columns, cells, strict=True))
            rows.append([section.label, label, *["\n".join(by_name.get(c, ())) for c in columns]])
    return rows, {}, "table"


def _notes(report: Report) -> tuple[Rows, Tones, str]:
    rows: Rows = [_header(report, "kommun", "number", "about", "note")]
    for section in report.sections:
        for note in section.notes:
            rows.append([section.label, note.number, note.about, note.text])
    return rows, {}, "table"


_SHEET_BUILDERS = {
    "findings": _findings,
    "criteria": _criteria,
    "goal_status": _goal_status,
    "indicator_status": _indicator_status,
    "coverage_sdg": _coverage("sdg"),
    "coverage_rus": _coverage("rus"),
    "coverage_perspective": _coverage("perspective"),
    "grid": _grid,
    "notes": _notes,
}


def _name(identifier: str | None, label: str) -> str:
    return f"{identifier} {label}" if identifier and identifier != label else label


def _status(
    status: Status | None, tones: Tones, report: Report, empty: str = "report.status_none"
) -> str:
    if status is None:
        text = message(empty, report.lang)
        tones[text] = "none"
        return text
    tones[status.label] = status.tone
    return status.label


def _table(
    worksheet: Worksheet, rows: Sequence[Sequence[Any]], *, tones: Tones, heat: bool
) -> None:
    """Fill *worksheet* with *rows* (header first): frozen header, filter, widths, formatting."""
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for row in rows:
        worksheet.append(list(row))
    width = max((len(r) for r in rows), default=1)
    height = len(rows)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F4F6F8")
    for cell in worksheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    worksheet.freeze_panes = "C2" if heat else "A2"
    last = get_column_letter(width)
    worksheet.auto_filter.ref = f"A1:{last}{max(height, 1)}"
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(_columns(rows, width), start=1):
        letter = get_column_letter(index)
        longest = max((max(len(line) for line in str(v).split("\n")) for v in column), default=8)
        worksheet.column_dimensions[letter].width = min(max(longest + 2, 8), _MAX_WIDTH)
        if longest > _MAX_WIDTH:
            for cell in worksheet[letter][1:]:
                cell.alignment = wrap
    if height < 2:
        return
    area = f"A2:{last}{height}"
    for text, tone in sorted(tones.items()):
        quoted = '"' + text.replace('"', '""') + '"'
        worksheet.conditional_formatting.add(
            area,
            CellIsRule(
                operator="equal",
                formula=[quoted],
                fill=PatternFill("solid", fgColor=TONE_FILLS[tone], bgColor=TONE_FILLS[tone]),
            ),
        )
    if heat and width > 2:
        worksheet.conditional_formatting.add(
            f"C2:{last}{height}",
            ColorScaleRule(
                start_type="num",
                start_value=0,
                start_color="FFFFFF",
                end_type="max",
                end_color="7FA9DC",
            ),
        )


def _columns(rows: Sequence[Sequence[Any]], width: int) -> Iterable[list[Any]]:
    for index in range(width):
        yield [row[index] for row in rows if index < len(row) and row[index] is not None]
