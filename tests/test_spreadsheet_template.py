"""The import template a municipal official fills in: Swedish drop-downs, own columns per sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from goalgraph.errors import SpreadsheetError
from goalgraph.spreadsheet import convert, import_files, write_template
from goalgraph.spreadsheet._definitions import spreadsheet_format

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An untouched template workbook."""
    path = tmp_path_factory.mktemp("template") / "mall.xlsx"
    write_template(path)
    return path


def drop_down(book: openpyxl.Workbook, sheet: str, header: str) -> list[str]:
    """The values of the drop-down list on *header* of *sheet*."""
    worksheet = book[sheet]
    headers = [str(c.value).rstrip(" *") for c in worksheet[1]]
    letter = worksheet.cell(row=1, column=headers.index(header) + 1).column_letter
    for validation in worksheet.data_validations.dataValidation:
        if str(validation.sqref).startswith(f"{letter}2:"):
            column = validation.formula1.split("!$")[1].split("$")[0]
            return [c.value for c in book["Koder"][column] if c.value is not None]
    raise AssertionError(f"no drop-down on {sheet}/{header}")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("roll", {"styrande", "stödjande"}),
        ("mätbarhet", {"kvalitativ", "kvantitativ"}),
        ("hållbarhetsdimension", {"social", "ekologisk", "ekonomisk", "demokratisk"}),
        ("status", {"antaget", "utkast", "vilande", "förslag", "ersatt"}),
    ],
)
def test_goal_drop_downs_offer_swedish_words(
    template: Path, header: str, expected: set[str]
) -> None:
    """The Nämndmål drop-downs list Swedish words, not English codes like steering."""
    book = openpyxl.load_workbook(template)
    assert set(drop_down(book, "Nämndmål", header)) == expected


def test_indicator_drop_downs_offer_swedish_words(template: Path) -> None:
    """Nyckeltal's källa and mappning read Kolada, SCB, egen … and mappad/omappad."""
    book = openpyxl.load_workbook(template)
    assert {"Kolada", "SCB", "egen"} <= set(drop_down(book, "Nyckeltal", "källa"))
    assert set(drop_down(book, "Nyckeltal", "mappning")) == {"mappad", "omappad"}
    assert "local" not in drop_down(book, "Nyckeltal", "källa")


def test_every_drop_down_value_imports(tmp_path: Path, template: Path) -> None:
    """Each value offered in Nämndmål's roll/mätbarhet/dimension lists is accepted by the import."""
    book = openpyxl.load_workbook(template)
    rows = [
        {"roll": role, "mätbarhet": measure, "hållbarhetsdimension": dimension}
        for role, measure, dimension in zip(
            drop_down(book, "Nämndmål", "roll"),
            drop_down(book, "Nämndmål", "mätbarhet") * 2,
            drop_down(book, "Nämndmål", "hållbarhetsdimension"),
            strict=False,
        )
    ]
    source = tmp_path / "mål.yaml"
    lines = ['metadata: {kommunkod: "0685"}', "nämndmål:"]
    for number, row in enumerate(rows, start=1):
        cells = ", ".join(f"{k}: {v}" for k, v in row.items())
        lines.append(f"  - {{id: N{number}, namn: Mål {number}, {cells}}}")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(convert(source)) > 0


def test_a_value_outside_the_drop_down_is_refused(tmp_path: Path) -> None:
    """A role that is neither styrande nor stödjande is a problem naming the column."""
    source = tmp_path / "mål.yaml"
    source.write_text(
        'metadata: {kommunkod: "0685"}\nnämndmål:\n  - {id: N1, namn: Mål, roll: bestämmande}\n',
        encoding="utf-8",
    )
    with pytest.raises(SpreadsheetError, match="roll"):
        convert(source)


def test_namndmal_sheet_has_only_a_committee_goals_columns(template: Path) -> None:
    """Nämndmål drops typ, område, vision, delmål av and genomför but keeps the five criteria."""
    book = openpyxl.load_workbook(template)
    headers = [str(c.value).rstrip(" *") for c in book["Nämndmål"][1]]
    assert len(headers) < 31
    for gone in ("typ", "område", "vision", "delmål av", "genomför"):
        assert gone not in headers
    for kept in ("id", "namn", "KF-mål", "RUS", "perspektiv", "agenda 2030", "utmaningar"):
        assert kept in headers
    mal = [str(c.value).rstrip(" *") for c in book["Mål"][1]]
    assert {"typ", "område", "vision", "delmål av", "genomför"} <= set(mal)


def test_namndmal_still_reads_the_columns_of_the_earlier_template(tmp_path: Path) -> None:
    """A Nämndmål sheet with typ and område (the old 31-column template) still imports."""
    source = tmp_path / "mål.yaml"
    source.write_text(
        'metadata: {kommunkod: "0685"}\n'
        "mål:\n  - {id: A, typ: riktning, namn: Attraktiv}\n"
        "nämndmål:\n  - {id: N1, typ: nämndmål, namn: Mål, område: A}\n",
        encoding="utf-8",
    )
    assert len(convert(source)) > 0
    source.write_text(
        'metadata: {kommunkod: "0685"}\nnämndmål:\n  - {id: N1, namn: Mål, färg: blå}\n',
        encoding="utf-8",
    )
    with pytest.raises(SpreadsheetError, match="okänd kolumn"):
        convert(source)


@pytest.mark.parametrize("name", ["vetlanda", "vaggeryd", "norberg"])
def test_every_column_the_examples_use_is_still_read(name: str) -> None:
    """Each header of each example CSV file answers to a column of its sheet."""
    fmt = spreadsheet_format()
    for path in sorted((EXAMPLES / name / "csv").glob("*.csv")):
        match = fmt.sheet_for(path.stem)
        assert match is not None, path
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert all(match[0].column_for(h) is not None for h in header), path
    assert len(import_files(EXAMPLES / name / "csv")) > 0
