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


# --- example rows, required marks, Läs mig, widths ------------------------------------------


def test_every_sheet_has_one_grey_italic_example_row(template: Path) -> None:
    """Row 2 of each sheet is an example whose first cell starts with EXEMPEL, in grey italics."""
    book = openpyxl.load_workbook(template)
    for sheet in spreadsheet_format().sheets:
        worksheet = book[sheet.title]
        first = worksheet["A2"]
        assert str(first.value).startswith("EXEMPEL"), sheet.title
        assert first.font.italic and first.font.color.rgb.endswith("808080"), sheet.title
        assert worksheet.max_row == 2, sheet.title


def test_an_untouched_template_imports_to_nothing(tmp_path: Path, template: Path) -> None:
    """Example rows are ignored: with its kommun code filled in, the template gives no triples."""
    book = openpyxl.load_workbook(template)
    book["Metadata"].append(["0685", "Vetlanda"])
    path = tmp_path / "mall.xlsx"
    book.save(path)
    assert convert(path) == []
    with pytest.raises(SpreadsheetError, match="exakt en rad"):
        convert(template)


def test_the_example_rows_without_their_marker_import_cleanly(
    tmp_path: Path, template: Path
) -> None:
    """The examples are sound data: without EXEMPEL (plus the riktning they name) they import."""
    book = openpyxl.load_workbook(template)
    for worksheet in book.worksheets:
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = cell.value.replace("EXEMPEL ", "").replace("EXEMPEL-", "X-")
    book["Mål"].append(["X-A", "riktning", "", "Trygghet"])
    book["Metadata"]["B2"] = ""
    path = tmp_path / "ifylld.xlsx"
    book.save(path)
    graph = import_files(path)
    labels = graph.labels(graph.select("SELECT ?g WHERE { ?g a gg:CommitteeGoal }")[0]["g"])
    assert labels["sv"] == "Alla elever känner sig trygga i skolan"


def test_a_real_row_that_merely_mentions_exempel_is_read(tmp_path: Path, template: Path) -> None:
    """Only a first cell starting with EXEMPEL marks an example; other rows import as usual."""
    book = openpyxl.load_workbook(template)
    book["Metadata"].append(["0685", "Vetlanda"])
    book["Mål"].append(["KF1", "KF-mål", "1", "EXEMPEL på ett mål"])
    path = tmp_path / "mall.xlsx"
    book.save(path)
    assert len(convert(path)) > 0


def test_required_columns_are_marked_with_a_star_in_red(template: Path) -> None:
    """id and namn of Nämndmål carry '*' in red bold; an optional column like RUS does not."""
    book = openpyxl.load_workbook(template)
    cells = {str(c.value).rstrip(" *"): c for c in book["Nämndmål"][1]}
    for required in ("id", "namn"):
        assert cells[required].value == f"{required} *"
        assert cells[required].font.bold and cells[required].font.color.rgb.endswith("C00000")
        assert "Obligatorisk" in cells[required].comment.text
    assert cells["RUS"].value == "RUS"
    assert "Obligatorisk" not in cells["RUS"].comment.text
    assert book["Mål"]["B1"].value == "typ *"


def test_column_widths_fit_header_and_example(template: Path) -> None:
    """Each column is at least as wide as its header and its example (up to a 60 cap)."""
    book = openpyxl.load_workbook(template)
    for worksheet in (book["Nämndmål"], book["Nyckeltal"]):
        for header, example in zip(worksheet[1], worksheet[2], strict=True):
            width = worksheet.column_dimensions[header.column_letter].width
            longest = max(len(str(header.value)), len(str(example.value or "")))
            assert width >= min(longest, 58), header.value


def test_read_me_sheet_lists_the_four_steps_first(template: Path) -> None:
    """'Läs mig' opens the workbook with fill in → import → validate → report, then the sheets."""
    book = openpyxl.load_workbook(template)
    assert book.sheetnames[0] == "Läs mig"
    steps = [c.value for c in book["Läs mig"]["A"] if c.value]
    wanted = ["1. Fyll i", "2. goalgraph import", "3. goalgraph validate", "4. goalgraph report"]
    assert [s for s in steps if s in wanted] == wanted
    assert steps.index("4. goalgraph report") < steps.index("Nämndmål")
    text = " ".join(str(c.value) for c in book["Läs mig"]["B"] if c.value)
    assert "goalgraph import mall.xlsx" in text and "EXEMPEL" in text


def test_csv_template_has_the_example_row_and_imports_to_nothing(tmp_path: Path) -> None:
    """The CSV template's second line is the example, and the folder converts to no triples."""
    write_template(tmp_path / "mall", csv=True)
    lines = (tmp_path / "mall" / "namndmal.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("EXEMPEL-BUN1,")
    with (tmp_path / "mall" / "metadata.csv").open("a", encoding="utf-8") as metadata:
        metadata.write("0685,Vetlanda\n")
    assert convert(tmp_path / "mall") == []


# --- encoding and separators ---------------------------------------------------------------


def test_one_cp1252_file_gives_one_problem_not_a_cascade(tmp_path: Path) -> None:
    """Vetlanda with delstrategier.csv saved as ANSI reports that file once, nothing else."""
    import shutil

    folder = tmp_path / "vetlanda"
    shutil.copytree(EXAMPLES / "vetlanda" / "csv", folder)
    target = folder / "delstrategier.csv"
    target.write_bytes(target.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(SpreadsheetError) as caught:
        import_files(folder)
    (problem,) = caught.value.problems
    assert problem.path == str(target)
    assert "CSV UTF-8" in problem.message
    target.write_text(target.read_bytes().decode("cp1252"), encoding="utf-8")
    assert len(import_files(folder)) > 0


def test_semicolons_and_decimal_commas_from_swedish_excel_are_read(tmp_path: Path) -> None:
    """A folder saved by Swedish Excel (BOM, ';', decimal comma) imports; a cp1252 one does not."""
    folder = tmp_path / "csv"
    folder.mkdir()
    files = {
        "metadata.csv": "kommunkod;titel\r\n0685;Vetlanda\r\n",
        "nyckeltal.csv": "id;namn;enhet\r\nNT1;Trygga elever, andel;andel (%)\r\n",
        "observationer.csv": "id;nyckeltal;år;värde\r\nO1;NT1;2023;84,5\r\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8-sig", newline="")
    graph = import_files(folder)
    (row,) = graph.select("SELECT ?v WHERE { ?o gg:value ?v }", graphs=("data",))
    assert float(row["v"].value) == 84.5
    (folder / "nyckeltal.csv").write_bytes(
        files["nyckeltal.csv"].replace("Trygga", "Trygga ä").encode("cp1252")
    )
    with pytest.raises(SpreadsheetError, match="CSV UTF-8"):
        import_files(folder)
