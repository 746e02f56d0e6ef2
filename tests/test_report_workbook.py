"""The report as an Excel workbook, re-opened with openpyxl and compared with the report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from goalgraph import Severity, load
from goalgraph.report import Report, gather
from goalgraph.report.workbook import SHEETS, TONE_FILLS, write_workbook

EXAMPLES = Path(__file__).parent.parent / "examples"
SWEDISH_SHEETS = [
    "Brister",
    "Spårbarhet",
    "Status mål",
    "Status nyckeltal",
    "Agenda 2030",
    "RUS",
    "Perspektiv",
    "Delstrategier",
    "Noteringar",
]


@pytest.fixture(scope="module", params=["vetlanda", "vaggeryd", "norberg"])
def written(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Report, openpyxl.Workbook]:
    """One example's report and its workbook, written and read back."""
    report = gather(load(EXAMPLES / request.param))
    path = write_workbook(report, tmp_path_factory.mktemp("xlsx") / "rapport.xlsx")
    return report, openpyxl.load_workbook(path)


def test_sheets_have_swedish_names_frozen_headers_and_filters(
    written: tuple[Report, openpyxl.Workbook],
) -> None:
    """Every sheet is there under its Swedish name, header row frozen and filtered."""
    _, workbook = written
    assert workbook.sheetnames == SWEDISH_SHEETS == SWEDISH_SHEETS[: len(SHEETS)]
    for sheet in workbook:
        assert sheet.freeze_panes in ("A2", "C2")
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.cell(1, 1).value == "Kommun"
        assert sheet.cell(1, 1).font.bold


def test_findings_sheet_holds_every_finding(written: tuple[Report, openpyxl.Workbook]) -> None:
    """One row per finding, saying what to fix, with its severity in words."""
    report, workbook = written
    sheet = workbook["Brister"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Kommun", "Nämnd", "Gäller", "Allvarlighet", "Vad som ska åtgärdas"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == report.sections[0].finding_count
    assert {r[3] for r in rows} <= {s.label("sv") for s in Severity}
    messages = {f.message for g in report.sections[0].findings for i in g.items for f in i.findings}
    assert {r[4] for r in rows} == messages


def test_status_is_formatted_conditionally_on_its_text(
    written: tuple[Report, openpyxl.Workbook],
) -> None:
    """Traceability states get a fill by a rule on the state's text, which stays in the cell."""
    report, workbook = written
    sheet = workbook["Spårbarhet"]
    rules = [
        (rule.formula[0], rule.dxf.fill.fgColor.rgb)
        for ranges in sheet.conditional_formatting
        for rule in ranges.rules
    ]
    assert ('"saknas"', "00" + TONE_FILLS["poor"]) in rules
    assert ('"direkt"', "00" + TONE_FILLS["good"]) in rules
    goals = [g for o in report.sections[0].organisations for g in o.goals]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == len(goals)
    assert [row[3:8] for row in values] == [tuple(c.state_label for c in g.criteria) for g in goals]


def test_coverage_matrices_match_the_heatmaps(written: tuple[Report, openpyxl.Workbook]) -> None:
    """The Agenda 2030 sheet has the 17 goals and the same counts as the page's heatmap."""
    report, workbook = written
    heat = next(h for h in report.sections[0].heatmaps if h.dimension == "sdg")
    sheet = workbook["Agenda 2030"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == list(heat.rows) and len(rows) == 17
    for row, cells in zip(rows, heat.cells, strict=True):
        by_column = dict(zip(header[2:], row[2:], strict=True))
        assert [by_column[name] for name in heat.column_names] == list(cells)
    assert any(rule.type == "colorScale" for r in sheet.conditional_formatting for rule in r.rules)


def test_columns_are_wide_enough_and_never_huge(written: tuple[Report, openpyxl.Workbook]) -> None:
    """Column widths follow the content, between 8 and 60 characters."""
    _, workbook = written
    widths = [d.width for s in workbook for d in s.column_dimensions.values()]
    assert widths and all(8 <= w <= 60 for w in widths)


def test_an_english_workbook_has_english_headers(tmp_path: Path) -> None:
    """With lang="en" sheet names and headers are English."""
    report = gather(load(EXAMPLES / "vetlanda"), lang="en")
    workbook = openpyxl.load_workbook(write_workbook(report, tmp_path / "r.xlsx"))
    assert workbook.sheetnames[0] == "Findings"
    assert workbook["Findings"].cell(1, 5).value == "What to fix"


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    """Writing into a folder that does not exist fails, naming the path, and leaves no file."""
    from goalgraph.errors import OutputError

    report = gather(load(EXAMPLES / "vetlanda"))
    with pytest.raises(OutputError, match=r"r\.xlsx"):
        write_workbook(report, tmp_path / "missing" / "r.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_the_workbook_gets_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    """A new workbook is readable like any file the user creates (the umask decides, not a
    private temporary file's 0600), and a rewritten one keeps the permissions it had."""
    import os
    import stat

    report = gather(load(EXAMPLES / "vetlanda"))
    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    new = write_workbook(report, tmp_path / "new.xlsx")
    assert stat.S_IMODE(new.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    kept = tmp_path / "kept.xlsx"
    kept.write_bytes(b"old")
    os.chmod(kept, 0o640)
    write_workbook(report, kept)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert openpyxl.load_workbook(kept).sheetnames[0] == "Brister"
