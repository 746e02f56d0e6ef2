"""Broken import files: each problem names file, sheet, row, column and value; none is written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from goalgraph import SpreadsheetError
from goalgraph.cli import app
from goalgraph.spreadsheet import convert, import_files

DATA = Path(__file__).parent / "data" / "spreadsheet"
GOAL_HEADER = ["id", "typ", "namn", "KF-mål", "RUS", "perspektiv", "agenda 2030", "giltig från"]


def workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """Write *sheets* (first row = headers) as an XLSX workbook at *path*."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def vaggeryd(
    path: Path,
    *,
    namndmal: list[list[str]] | None = None,
    extra: dict[str, list[list[str]]] | None = None,
    kommun: str = "0665",
) -> Path:
    """A small Vaggeryd workbook with KF1–KF4 and the given nämnd goal rows."""
    sheets = {
        "Metadata": [["kommunkod"], [kommun]],
        "Mål": [["id", "typ", "namn"]] + [[f"KF{i}", "KF-mål", f"Mål {i}"] for i in range(1, 5)],
        "Nämndmål": [GOAL_HEADER, *(namndmal or [])],
    }
    sheets.update(extra or {})
    return workbook(path, sheets)


def good_row(goal_id: str, **changes: str) -> list[str]:
    """A nämnd goal row that imports cleanly, with some cells changed."""
    cells = {
        "id": goal_id,
        "typ": "",
        "namn": "Ett nämndmål",
        "KF-mål": "KF1",
        "RUS": "attraktiv",
        "perspektiv": "Bo",
        "agenda 2030": "11.3",
        "giltig från": "2020",
    }
    cells.update(changes)
    return [cells[h] for h in GOAL_HEADER]


def problems(*paths: Path) -> list[str]:
    """The messages of the SpreadsheetError the import raises."""
    with pytest.raises(SpreadsheetError) as caught:
        convert(*paths)
    return [str(p) for p in caught.value.problems]


@pytest.fixture(autouse=True)
def swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in Swedish unless a test says otherwise."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)


def test_a_clean_workbook_imports(tmp_path: Path) -> None:
    """The fixture builder makes a workbook that imports without problems."""
    graph = import_files(vaggeryd(tmp_path / "ok.xlsx", namndmal=[good_row("N1")]))
    assert len(graph) > 0


def test_unknown_kf_goal_names_sheet_row_column_value_and_known_goals(tmp_path: Path) -> None:
    """«Nämndmål, rad 7, kolumn KF-mål: inget KF-mål "KF5" i Vaggeryd; kända: KF1–KF4»."""
    rows = [good_row(f"N{i}") for i in range(1, 6)] + [good_row("N6", **{"KF-mål": "KF5"})]
    path = vaggeryd(tmp_path / "bad.xlsx", namndmal=rows)
    assert problems(path) == [
        f'{path}, Nämndmål, rad 7, kolumn KF-mål: inget KF-mål "KF5" i Vaggeryd; kända: KF1–KF4'
    ]


def test_every_problem_of_the_file_is_reported_together(tmp_path: Path) -> None:
    """Four wrong cells in two rows give four problems in one error, in row order."""
    rows = [
        good_row("N1", perspektiv="Lewa", RUS="attraktv"),
        good_row("N2", **{"agenda 2030": "11.13", "giltig från": "2019-04-31"}),
    ]
    found = problems(vaggeryd(tmp_path / "bad.xlsx", namndmal=rows))
    assert len(found) == 4
    assert "rad 2" in found[0] and "rad 2" in found[1] and "rad 3" in found[-1]


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("perspektiv", "Lewa", 'okänt värde "Lewa" (menade du Leva?); giltiga: Bo, Leva, Verka'),
        ("RUS", "attraktv", 'okänt värde "attraktv" (menade du En attraktiv region?)'),
        ("agenda 2030", "11.13", 'okänt Agenda 2030-mål "11.13" (menade du 11.3'),
        ("agenda 2030", "18", 'okänt Agenda 2030-mål "18"'),
        ("giltig från", "2019-04-31", '"2019-04-31" är inget verkligt datum eller år'),
        ("giltig från", "2020-13-01", '"2020-13-01" är inget verkligt datum eller år'),
    ],
)
def test_unknown_codes_and_impossible_dates_are_cell_errors(
    tmp_path: Path, column: str, value: str, expected: str
) -> None:
    """Unknown perspectives, RUS areas, SDG codes and impossible dates name the cell and the fix."""
    path = vaggeryd(tmp_path / "bad.xlsx", namndmal=[good_row("N1", **{column: value})])
    (message,) = problems(path)
    assert f"Nämndmål, rad 2, kolumn {column}: " in message
    assert expected in message


def test_unknown_kommun_code_suggests_a_near_miss(tmp_path: Path) -> None:
    """Kommun 0666 does not exist; 0665 (Vaggeryd) is suggested."""
    (message,) = problems(vaggeryd(tmp_path / "bad.xlsx", kommun="0666"))
    assert "Metadata, rad 2, kolumn kommunkod" in message
    assert 'okänd kommun "0666"' in message and "0665" in message


def test_duplicate_ids_are_errors_naming_the_first_row(tmp_path: Path) -> None:
    """Two rows with id N1 in one kommun: the second is an error that points at the first."""
    (message,) = problems(
        vaggeryd(tmp_path / "bad.xlsx", namndmal=[good_row("N1"), good_row("N1")])
    )
    assert 'rad 3, kolumn id: id "N1" finns redan i Vaggeryd (Nämndmål, rad 2)' in message


def test_ids_with_spaces_are_errors(tmp_path: Path) -> None:
    """An id must be usable in an IRI."""
    (message,) = problems(vaggeryd(tmp_path / "bad.xlsx", namndmal=[good_row("N 1")]))
    assert 'id "N 1" får bara innehålla' in message


def test_a_reference_to_the_wrong_kind_of_row_is_an_error(tmp_path: Path) -> None:
    """KF-mål of a nämnd goal must be a KF goal, not another nämnd goal."""
    rows = [good_row("N1"), good_row("N2", **{"KF-mål": "N1"})]
    (message,) = problems(vaggeryd(tmp_path / "bad.xlsx", namndmal=rows))
    assert '"N1" är mål, inte KF-mål; kända KF-mål: KF1–KF4' in message


def test_unknown_sheet_and_column_get_a_did_you_mean(tmp_path: Path) -> None:
    """A misspelt sheet name and column header are named with a suggestion."""
    path = vaggeryd(
        tmp_path / "bad.xlsx",
        namndmal=[good_row("N1")],
        extra={
            "Nyckeltall": [["id", "namn"], ["I1", "x"]],
            "Utmaningar": [["id", "namm"], ["U1", "x"]],
        },
    )
    found = problems(path)
    assert any('okänt blad "Nyckeltall" (menade du Nyckeltal?)' in p for p in found)
    assert any(
        'Utmaningar, rad 1, kolumn namm: okänd kolumn "namm" (menade du namn' in p for p in found
    )


def test_missing_required_cells_and_columns_are_errors(tmp_path: Path) -> None:
    """A nämnd goal without a name, and a Utmaningar sheet without a namn column."""
    path = vaggeryd(
        tmp_path / "bad.xlsx",
        namndmal=[good_row("N1", namn="")],
        extra={"Utmaningar": [["id"], ["U1"]]},
    )
    found = problems(path)
    assert any("Nämndmål, rad 2, kolumn namn: värde saknas" in p for p in found)
    assert any('kolumnen "namn" saknas' in p for p in found)


def test_a_workbook_without_metadata_is_an_error(tmp_path: Path) -> None:
    """No Metadata sheet means no kommun code."""
    path = workbook(tmp_path / "bad.xlsx", {"Mål": [["id", "typ", "namn"], ["V", "vision", "x"]]})
    (message,) = problems(path)
    assert "bladet Metadata med kommunkod saknas" in message


def test_the_kommun_option_stands_in_for_a_missing_metadata_sheet(tmp_path: Path) -> None:
    """convert(kommun=...) imports a workbook without Metadata."""
    path = workbook(tmp_path / "ok.xlsx", {"Mål": [["id", "typ", "namn"], ["V", "vision", "x"]]})
    assert len(convert(path, kommun="Vaggeryd")) == 4


@pytest.mark.parametrize(
    ("sheet", "header", "row", "expected"),
    [
        (
            "Observationer",
            ["id", "nyckeltal", "år", "värde"],
            ["O1", "I1", "20x9", "1"],
            '"20x9" är inget årtal',
        ),
        (
            "Observationer",
            ["id", "nyckeltal", "år", "värde"],
            ["O1", "I1", "2019", "tolv"],
            '"tolv" är inget tal',
        ),
        (
            "Nyckeltal",
            ["id", "namn", "illustrativt"],
            ["I2", "x", "kanske"],
            '"kanske" ska vara ja eller nej',
        ),
        ("Länkar", ["från", "länktyp", "till"], ["I1", "mäts av", "I1"], 'okänd länktyp "mäts av"'),
        (
            "Länkar",
            ["från", "länktyp", "till"],
            ["I1", "hänvisar till", "ref:rus/07"],
            '"ref:rus/07" finns varken som id i Vaggeryd eller i referensdata',
        ),
        (
            "Beslut",
            ["id", "rubrik", "datum"],
            ["B1", "x", "2019"],
            '"2019" är inget verkligt datum',
        ),
    ],
)
def test_years_numbers_booleans_link_types_and_references_are_checked(
    tmp_path: Path, sheet: str, header: list[str], row: list[str], expected: str
) -> None:
    """Each value type rejects what it cannot read, naming the cell."""
    path = vaggeryd(
        tmp_path / "bad.xlsx",
        extra={
            "Nyckeltal (illustrativt)": [["id", "namn"], ["I1", "Ett nyckeltal"]],
            sheet: [header, row],
        },
    )
    (message,) = problems(path)
    assert f"{sheet}, rad 2" in message and expected in message


def test_a_cp1252_csv_file_says_how_to_save_it_as_utf8(tmp_path: Path) -> None:
    """Excel's ANSI CSV is refused with a pointer to 'CSV UTF-8'."""
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "metadata.csv").write_text("kommunkod\n0665\n", encoding="utf-8")
    (folder / "mal.csv").write_bytes("id,typ,namn\nV,vision,Här gör vi plats\n".encode("cp1252"))
    (message,) = problems(folder)
    assert "mal.csv, mal, rad 2" in message
    assert "inte UTF-8" in message and "CSV UTF-8" in message


def test_semicolon_separated_csv_from_swedish_excel_is_read(tmp_path: Path) -> None:
    """A CSV file with ';' between cells (Swedish Excel) imports like a comma-separated one."""
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "metadata.csv").write_text("kommunkod;titel\n0665;x\n", encoding="utf-8-sig")
    (folder / "mal.csv").write_text("id;typ;namn\nV;vision;Här, där\n", encoding="utf-8")
    graph = import_files(folder)
    assert (
        graph.labels(graph.select("SELECT ?v WHERE { ?v a gg:Vision }", graphs=("data",))[0]["v"])[
            "sv"
        ]
        == "Här, där"
    )


def test_broken_csv_fixture_folder_reports_every_problem() -> None:
    """tests/data/spreadsheet/broken-csv holds three mistakes; all three are reported."""
    found = problems(DATA / "broken-csv")
    assert len(found) == 3
    assert any('inget KF-mål "KF9" i Vaggeryd; kända: KF1–KF4' in p for p in found)


def test_yaml_rows_report_their_line_and_keep_codes_as_text() -> None:
    """YAML dates and codes are read as typed: 2019-04-31 is a cell error on its line."""
    found = problems(DATA / "broken.yaml")
    assert any("broken.yaml, nämndmål, rad 7, kolumn giltig från" in p for p in found)
    assert any('okänt Agenda 2030-mål "11.13"' in p for p in found)


def test_a_valid_yaml_file_imports_list_values() -> None:
    """A YAML list of perspectives gives one triple per perspective."""
    graph = import_files(DATA / "valid.yaml")
    rows = graph.select("SELECT ?p WHERE { ?g gg:hasPerspective ?p }", graphs=("data",))
    assert len(rows) == 2


def test_a_file_that_is_not_a_workbook_is_reported(tmp_path: Path) -> None:
    """Garbage with an .xlsx suffix gives a readable problem, not a traceback."""
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    (message,) = problems(path)
    assert "kunde inte läsas" in message


def test_messages_switch_to_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With GOALGRAPH_LANG=en the same problem is worded in English."""
    monkeypatch.setenv("GOALGRAPH_LANG", "en")
    path = vaggeryd(tmp_path / "bad.xlsx", namndmal=[good_row("N1", **{"KF-mål": "KF5"})])
    (message,) = problems(path)
    assert 'no council goal "KF5" in Vaggeryd; known: KF1–KF4' in message


def test_cli_import_writes_nothing_when_a_row_is_wrong(tmp_path: Path) -> None:
    """goalgraph import exits 2, prints every problem and leaves the old output untouched."""
    path = vaggeryd(tmp_path / "bad.xlsx", namndmal=[good_row("N1", **{"KF-mål": "KF5"})])
    output = tmp_path / "out.ttl"
    output.write_text("old", encoding="utf-8")
    from goalgraph.cli import main

    runner = CliRunner()
    result = runner.invoke(app, ["import", str(path), "-o", str(output)])
    assert result.exit_code != 0
    assert output.read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob(".*tmp"))
    assert callable(main)


def test_cli_import_of_a_wrong_file_exits_with_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through the command line, a SpreadsheetError becomes a message and exit code 2, not a
    traceback (the app itself: main() would end the test's process, see cli/ending.py)."""
    from goalgraph.cli import app

    path = vaggeryd(tmp_path / "bad.xlsx", namndmal=[good_row("N1", perspektiv="Lewa")])
    monkeypatch.setattr(
        "sys.argv", ["goalgraph", "import", str(path), "-o", str(tmp_path / "out.ttl")]
    )
    with pytest.raises(SystemExit) as caught:
        app()
    assert caught.value.code == 2
    assert "menade du Leva?" in capsys.readouterr().err
    assert not (tmp_path / "out.ttl").exists()
