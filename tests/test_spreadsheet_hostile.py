"""Hostile and careless import files: bombs, hidden sheets, formulas, quotes and huge numbers."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalgraph.errors import SpreadsheetError
from goalgraph.spreadsheet import convert
from goalgraph.spreadsheet._cells import CellError, parse_literal
from goalgraph.spreadsheet._reading import read_source

EXAMPLES = Path(__file__).parents[1] / "examples"
GOALS = "id,typ,namn\nV,vision,Här växer människor och företag\nKF1,kf-mål,Trygga invånare\n"


def _messages(path: Path) -> str:
    return "\n".join(str(p) for p in read_source(path)[1])


def test_an_unbalanced_quote_names_the_row_and_line_where_it_opens(tmp_path: Path) -> None:
    """The rows after an unclosed quote are not swallowed: the quote's row is named."""
    path = tmp_path / "mal.csv"
    path.write_text(GOALS.replace("Trygga", '"Trygga') + "KF2,kf-mål,Fler jobb\n", "utf-8")
    tables, problems = read_source(path)
    assert not tables and len(problems) == 1
    assert problems[0].row == 3 and "radnummer 3" in problems[0].message


def test_a_balanced_csv_with_quoted_line_breaks_still_reads(tmp_path: Path) -> None:
    """Strict quoting keeps a quoted line break (one row) and doubled quotes working."""
    path = tmp_path / "mal.csv"
    path.write_text('id,typ,namn\nV,vision,"Här ""växer""\nvi"\n', encoding="utf-8")
    tables, problems = read_source(path)
    assert not problems
    assert tables[0].rows[0].values["namn"] == 'Här "växer"\nvi'


def test_a_csv_field_over_131072_characters_is_accepted(tmp_path: Path) -> None:
    """A long description is realistic input: it is read whole."""
    text = "lång beskrivning " * 10_000
    path = tmp_path / "mal.csv"
    path.write_text(f'id,typ,namn,beskrivning\nV,vision,Här,"{text}"\n', encoding="utf-8")
    tables, problems = read_source(path)
    assert not problems
    assert tables[0].rows[0].values["beskrivning"] == text.strip()


def test_the_real_examples_still_import_under_the_strict_readers() -> None:
    """Every example's CSV folder and workbook reads without a problem."""
    for example in ("vetlanda", "vaggeryd", "norberg"):
        for source in (EXAMPLES / example / "csv", EXAMPLES / example / f"{example}.xlsx"):
            assert read_source(source)[1] == [], source


def test_a_yaml_key_given_twice_is_named_with_both_lines(tmp_path: Path) -> None:
    """The second value of a repeated key does not win in silence."""
    path = tmp_path / "data.yaml"
    path.write_text("mål:\n  - id: V\n    typ: vision\n    id: W\n", encoding="utf-8")
    problems = read_source(path)[1]
    assert len(problems) == 1 and problems[0].row == 4
    assert '"id"' in problems[0].message and "rad 2" in problems[0].message


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    """Nine levels of nine aliases (10^9 nodes) end in a limit error, at once."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "GOALGRAPH_MAX_CELLS" in _messages(path)


def test_yaml_nesting_beyond_the_depth_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deep nesting is refused from the events, before the recursive composer runs."""
    path = tmp_path / "deep.yaml"
    path.write_text("mål: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert "GOALGRAPH_MAX_DEPTH" in _messages(path)
    monkeypatch.setenv("GOALGRAPH_MAX_DEPTH", "10000")
    path.write_text("mål: [[[x]]]\n", encoding="utf-8")
    assert "GOALGRAPH_MAX_DEPTH" not in _messages(path)


def _workbook(path: Path) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Metadata"
    workbook.active.append(["kommunkod"])
    workbook.active.append(["0685"])
    goals = workbook.create_sheet("Mål")
    for line in GOALS.splitlines():
        goals.append(line.split(","))
    return workbook


@pytest.mark.parametrize(("state", "word"), [("veryHidden", "veryHidden"), ("hidden", "dolt")])
def test_hidden_sheets_are_named_not_imported(tmp_path: Path, state: str, word: str) -> None:
    """A hidden or very hidden sheet is a problem naming it; it is not imported."""
    path = tmp_path / "bok.xlsx"
    workbook = _workbook(path)
    sheet = workbook.create_sheet("Hemligt")
    sheet.append(["id"])
    sheet.sheet_state = state
    workbook.save(path)
    with pytest.raises(SpreadsheetError, match=word) as caught:
        convert(path)
    assert "Hemligt" in str(caught.value)


def test_a_formula_without_a_saved_value_says_formula(tmp_path: Path) -> None:
    """An uncalculated formula cell is a formula problem, not "value missing"."""
    path = tmp_path / "bok.xlsx"
    workbook = _workbook(path)
    workbook["Mål"]["C3"] = "=UPPER(A3)"
    workbook.save(path)
    problems = read_source(path)[1]
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Mål", 3, "namn")]
    assert "=UPPER(A3)" in problems[0].message and "formel" in problems[0].message


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    """A part that unzips 200 times its size or more is refused before openpyxl reads it."""
    path = tmp_path / "bok.xlsx"
    _workbook(path).save(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (8 << 20))
    assert "zip" in _messages(path)


def test_an_ordinary_workbook_passes_the_zip_checks(tmp_path: Path) -> None:
    """A normal workbook (its XML compresses well but is small) reads without a problem."""
    path = tmp_path / "bok.xlsx"
    _workbook(path).save(path)
    assert read_source(path)[1] == []


def test_openpyxl_parses_workbook_xml_with_defusedxml() -> None:
    """openpyxl found defusedxml, so every sheet's XML refuses entities."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_a_decimal_cell_is_written_out_exactly_or_refused(number: Decimal) -> None:
    """Within 40 written-out digits a number keeps its value in plain form; beyond, an error."""
    text = str(number)
    try:
        literal = parse_literal("decimal", text)
    except CellError as error:
        assert str(error) == "huge_number"
        assert not number.is_zero()
        return
    assert "E" not in str(literal) and "e" not in str(literal)
    assert Decimal(str(literal)) == number


def test_zero_with_any_exponent_is_zero() -> None:
    """0E+50 is not huge: it is written 0."""
    assert str(parse_literal("decimal", "0E+50")) == "0"


@pytest.mark.parametrize("text", ["1e999999999", "1E-999999999", "9" * 41, "nan", "-inf"])
def test_huge_tiny_and_non_numbers_are_refused(text: str) -> None:
    """A number short to type but huge written out, or not finite, is a cell error."""
    with pytest.raises(CellError):
        parse_literal("decimal", text)
