"""The import format itself: definitions, reference codes, template, export and the CLI commands."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import openpyxl
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from goalgraph import SpreadsheetError, UnknownTermError, load
from goalgraph.cli import app
from goalgraph.spreadsheet import (
    convert,
    convert_workbook,
    export_workbook,
    import_files,
    is_spreadsheet_source,
    write_template,
)
from goalgraph.spreadsheet._cells import CellError, compress_ids, did_you_mean, parse_literal
from goalgraph.spreadsheet._codes import reference_codes
from goalgraph.spreadsheet._definitions import normalise, spreadsheet_format
from goalgraph.spreadsheet._export import graph_grid, graph_tables
from goalgraph.spreadsheet._reading import read_source

EXAMPLES = Path(__file__).parent.parent / "examples"
DATA = Path(__file__).parent / "data" / "spreadsheet"
MODULES = [
    "goalgraph.spreadsheet",
    "goalgraph.spreadsheet._cells",
    "goalgraph.spreadsheet._codes",
    "goalgraph.spreadsheet._definitions",
    "goalgraph.spreadsheet._reading",
]


@pytest.fixture(autouse=True)
def swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in Swedish."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_of_the_spreadsheet_modules_pass(name: str) -> None:
    """Every >>> example in the spreadsheet package runs as written."""
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


# --- definitions --------------------------------------------------------------------


def test_sheet_names_match_titles_keys_english_and_illustrative_suffixes() -> None:
    """'Nämndmål (illustrativt)', 'namndmal_illustrativt' and 'Committee goals' are one sheet."""
    fmt = spreadsheet_format()
    assert fmt.sheet_for("Nämndmål (illustrativt)") == (fmt.sheet("namndmal"), True)
    assert fmt.sheet_for("namndmal_illustrativt") == (fmt.sheet("namndmal"), True)
    assert fmt.sheet_for("Committee goals") == (fmt.sheet("namndmal"), False)
    assert fmt.sheet_for("Nämndmåls") is None


def test_columns_answer_to_english_aliases_but_not_to_strangers() -> None:
    """'contributes to' is the KF-mål column; 'colour' is no column."""
    sheet = spreadsheet_format().sheet("mal")
    column = sheet.column_for("contributes to")
    assert column is not None and column.header == "KF-mål"
    assert sheet.column_for("colour") is None


def test_normalise_folds_case_accents_and_separators() -> None:
    """'KF-mål', 'kf_mal' and ' KF mål ' are the same header."""
    assert normalise("KF-mål") == normalise("kf_mal") == normalise(" KF mål ") == "kf mal"
    assert normalise("KF-mål") != normalise("KS-mål")


def test_every_column_has_swedish_and_english_help() -> None:
    """The template's header comments need a help text in both languages for each column."""
    for sheet in spreadsheet_format().sheets:
        for column in sheet.columns:
            assert column.help and column.help_en, (sheet.key, column.header)


def test_every_link_type_property_is_in_the_ontology_or_dcterms() -> None:
    """Link types point at real properties (a misspelt gg: term would be a silent new IRI)."""
    vocabulary = load()
    for link in spreadsheet_format().link_types:
        if str(link.property).startswith("https://w3id.org/goalgraph/ontology#"):
            assert vocabulary.query(
                "ASK { ?p a ?t }", bindings={"p": link.property}, graphs=("vocabulary",)
            ), link.key


# --- codes -------------------------------------------------------------------------


def test_reference_codes_accept_codes_labels_and_spreadsheet_spellings() -> None:
    """'Leva', 'leva', 'stödjande', 'En attraktiv region', '11.a' and 'Vaggeryd' all resolve."""
    codes = reference_codes()
    ref = "https://w3id.org/goalgraph/ref/"
    assert str(codes.concept("perspective", "leva")) == ref + "perspective/leva"
    assert str(codes.concept("goal-role", "stödjande")) == ref + "goal-role/guiding"
    assert str(codes.concept("rus-area", "En attraktiv region")) == ref + "rus/06/attraktiv"
    assert str(codes.sdg("11.a")) == "http://metadata.un.org/sdg/11.a"
    assert str(codes.kommun("Vaggeryd")) == ref + "kommun/0665"


def test_reference_codes_reject_unknown_codes_with_suggestions() -> None:
    """'11.13' is no target (11.3 is suggested); RUS notation '1' is ambiguous across counties."""
    codes = reference_codes()
    assert codes.sdg("11.13") is None
    assert "11.3" in codes.suggest("sdg", "11.13")
    assert codes.concept("rus-area", "1") is None
    assert codes.kommun("9999") is None


# --- cells ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "lexical"),
    [
        ("date", "2019-08-31", "2019-08-31"),
        ("date_start", "2020", "2020-01-01"),
        ("date_end", "2022", "2022-12-31"),
        ("year", "2019", "2019"),
        ("decimal", "12,5", "12.5"),
        ("bool", "Ja", "true"),
    ],
)
def test_parse_literal_reads_dates_years_numbers_and_booleans(
    kind: str, text: str, lexical: str
) -> None:
    """Each column type reads its spreadsheet spelling."""
    assert str(parse_literal(kind, text)) == lexical


@pytest.mark.parametrize(
    ("kind", "text", "key"),
    [
        ("date", "2019-04-31", "bad_date"),
        ("date", "2019", "bad_date"),
        ("date_end", "31/12/2022", "bad_period_date"),
        ("year", "19", "bad_year"),
        ("decimal", "NaN", "bad_decimal"),
        ("bool", "kanske", "bad_bool"),
    ],
)
def test_parse_literal_rejects_what_its_type_cannot_hold(kind: str, text: str, key: str) -> None:
    """Impossible dates, short years, NaN and maybe are cell errors with a message key."""
    with pytest.raises(CellError, match=key):
        parse_literal(kind, text)


def test_compress_ids_writes_runs_and_lists_the_rest() -> None:
    """KF1–KF4 is a run; KS1, KS3 are not."""
    assert compress_ids(["KF2", "KF1", "KF3", "KF4"]) == "KF1–KF4"
    assert compress_ids(["KS1", "KS3"]) == "KS1, KS3"
    assert compress_ids([]) == "inga"


def test_did_you_mean_only_for_near_misses() -> None:
    """'Lewa' is near 'Leva'; 'xyz' is near nothing."""
    assert "Leva" in did_you_mean("Lewa", ["Bo", "Leva", "Verka"])
    assert did_you_mean("xyz", ["Bo", "Leva", "Verka"]) == ""


# --- reading ----------------------------------------------------------------------------


def test_spreadsheet_sources_are_recognised_by_suffix_or_csv_folder(tmp_path: Path) -> None:
    """.xlsx, .csv, .yaml and CSV folders are import sources; .ttl and RDF folders are not."""
    assert is_spreadsheet_source("a.xlsx") and is_spreadsheet_source("a.yml")
    assert is_spreadsheet_source(EXAMPLES / "vetlanda" / "csv")
    assert not is_spreadsheet_source(EXAMPLES / "vetlanda")
    assert not is_spreadsheet_source(tmp_path / "a.ttl")


def test_read_source_reports_missing_files_and_empty_folders(tmp_path: Path) -> None:
    """A missing path and a folder without CSV files are problems, not exceptions."""
    assert read_source(tmp_path / "nope.xlsx")[1][0].message.startswith("Filen eller mappen")
    assert "inga .csv-filer" in read_source(tmp_path)[1][0].message
    tables, problems = read_source(DATA / "valid.yaml")
    assert problems == [] and {t.sheet for t in tables} == {"metadata", "mål", "nämndmål"}


# --- template ---------------------------------------------------------------------------


def test_template_has_every_sheet_with_commented_headers(tmp_path: Path) -> None:
    """Each sheet is in the template; headers explain their column; 'typ' has a drop-down list."""
    path = tmp_path / "mall.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    titles = [s.title for s in spreadsheet_format().sheets]
    assert book.sheetnames == ["Läs mig", *titles, "Koder"]
    mal = book["Mål"]
    assert mal["A1"].value == "id *"
    assert all(cell.comment is not None and cell.comment.text for cell in mal[1])
    lists = {str(v.sqref): v.formula1 for v in mal.data_validations.dataValidation}
    column = lists["B2:B1000"].split("!$")[1][0]
    assert "KF-mål" in [c.value for c in book["Koder"][column]]


def test_empty_template_imports_to_nothing_but_needs_a_kommun(tmp_path: Path) -> None:
    """The untouched template asks for a Metadata row; with a kommun code it imports to nothing."""
    path = tmp_path / "mall.xlsx"
    write_template(path)
    with pytest.raises(SpreadsheetError, match="exakt en rad"):
        convert(path)
    book = openpyxl.load_workbook(path)
    book["Metadata"].append(["0685", "test"])
    book.save(path)
    assert convert(path) == []


def test_csv_template_writes_one_file_per_sheet(tmp_path: Path) -> None:
    """--csv writes mal.csv, namndmal.csv … with the Swedish headers."""
    write_template(tmp_path / "mall", csv=True)
    names = sorted(p.stem for p in (tmp_path / "mall").glob("*.csv"))
    assert names == sorted(s.key for s in spreadsheet_format().sheets)
    header = (tmp_path / "mall" / "namndmal.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,nummer,namn,namn (en)")


# --- export -------------------------------------------------------------------------------


def test_export_of_a_graph_with_two_kommuner_asks_which(tmp_path: Path) -> None:
    """Two kommuner need kommun=; with it, only that kommun's items are written."""
    graph = import_files(EXAMPLES / "vaggeryd" / "csv", EXAMPLES / "norberg" / "csv")
    with pytest.raises(UnknownTermError, match="0665, 1962"):
        export_workbook(graph, tmp_path / "x.xlsx")
    export_workbook(graph, tmp_path / "x.xlsx", kommun="Norberg")
    norberg = import_files(EXAMPLES / "norberg" / "csv")
    assert isomorphic(import_files(tmp_path / "x.xlsx").to_rdflib(), norberg.to_rdflib())


def test_export_returns_triples_the_format_cannot_hold() -> None:
    """A foreign triple on a minted item is handed back, not dropped silently."""
    graph = import_files(EXAMPLES / "vaggeryd" / "csv")
    extra = rdflib.Graph()
    goal = rdflib.URIRef("https://w3id.org/goalgraph/id/0665/goal/KF1")
    extra.add((goal, rdflib.OWL.sameAs, rdflib.URIRef("http://example.org/x")))
    graph.add_rdflib(extra)
    _, _, leftover = graph_tables(graph)
    assert [str(t[1]) for t in leftover] == [str(rdflib.OWL.sameAs)]


def test_grid_is_the_bilaga_2_table_and_absent_without_delstrategier() -> None:
    """Vetlanda's grid has three riktningar × Bo/Leva/Verka; Norberg has none."""
    grid = graph_grid(import_files(EXAMPLES / "vetlanda" / "csv"), "0685")
    assert grid is not None
    assert grid.row_labels == [
        "Den attraktiva kommunen",
        "Den hållbara kommunen",
        "Den nytänkande kommunen",
    ]
    assert grid.column_labels == ["Bo", "Leva", "Verka"]
    assert grid.cells[(2, 2)] == [
        "Samverka för näringslivsutveckling och kompetensförsörjning",
        "Förstärka innovationskraften",
    ]
    assert graph_grid(import_files(EXAMPLES / "norberg" / "csv"), "1962") is None


def test_convert_workbook_keeps_authored_sheets_and_refuses_broken_sources(tmp_path: Path) -> None:
    """CSV → workbook keeps the illustrative sheets apart; a broken folder writes nothing."""
    target = tmp_path / "v.xlsx"
    convert_workbook(EXAMPLES / "vetlanda" / "csv", path=target)
    names = openpyxl.load_workbook(target).sheetnames
    assert names[:2] == ["Metadata", "Rutnät"] and "Länkar (illustrativt)" in names
    with pytest.raises(SpreadsheetError):
        convert_workbook(DATA / "broken-csv", path=tmp_path / "b.xlsx")
    assert not (tmp_path / "b.xlsx").exists()


# --- the command line ------------------------------------------------------------------------


def test_cli_import_template_and_export_round_trip(tmp_path: Path) -> None:
    """import → Turtle, export --xlsx from that Turtle, import again: the same graph."""
    runner = CliRunner()
    ttl = tmp_path / "v.ttl"
    result = runner.invoke(
        app, ["import", str(EXAMPLES / "vaggeryd" / "vaggeryd.xlsx"), "-o", str(ttl)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", "--xlsx", str(tmp_path / "v.xlsx"), str(ttl)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["import", str(tmp_path / "v.xlsx")])
    assert isomorphic(
        rdflib.Graph().parse(data=again.stdout, format="turtle"), rdflib.Graph().parse(ttl)
    )
    assert runner.invoke(app, ["template", "-o", str(tmp_path / "mall.xlsx")]).exit_code == 0
    assert (tmp_path / "mall.xlsx").is_file()


def test_cli_template_and_export_need_exactly_one_target(tmp_path: Path) -> None:
    """template and export without -o/--csv (or with both) are usage errors."""
    runner = CliRunner()
    assert runner.invoke(app, ["template"]).exit_code != 0
    assert (
        runner.invoke(app, ["export", str(EXAMPLES / "vaggeryd" / "vaggeryd.ttl")]).exit_code != 0
    )


def test_cli_export_csv_writes_a_folder_that_imports_back(tmp_path: Path) -> None:
    """export --csv from Turtle gives a CSV folder with the same graph."""
    runner = CliRunner()
    source = EXAMPLES / "norberg" / "norberg.ttl"
    result = runner.invoke(app, ["export", "--csv", str(tmp_path / "csv"), str(source)])
    assert result.exit_code == 0, result.output
    assert isomorphic(import_files(tmp_path / "csv").to_rdflib(), rdflib.Graph().parse(source))


def test_importing_the_same_rows_twice_gives_identical_turtle(tmp_path: Path) -> None:
    """Minted IRIs and sorted output make two imports byte-identical, so diffs show real changes."""
    first = import_files(EXAMPLES / "vetlanda" / "csv").serialize()
    second = import_files(EXAMPLES / "vetlanda" / "vetlanda.xlsx").serialize()
    assert first == second
    assert "https://w3id.org/goalgraph/id/0685/substrategy/A-LEVA-1" in first


def test_load_mixes_rdf_files_and_spreadsheets_and_refuses_broken_ones() -> None:
    """load() takes Turtle and a workbook together; a broken CSV folder raises SpreadsheetError."""
    graph = load(EXAMPLES / "norberg" / "norberg.ttl", EXAMPLES / "vaggeryd" / "vaggeryd.xlsx")
    both = len(import_files(EXAMPLES / "norberg" / "csv")) + len(
        import_files(EXAMPLES / "vaggeryd" / "csv")
    )
    assert len(graph) == both
    with pytest.raises(SpreadsheetError):
        load(DATA / "broken-csv")


def test_english_sheet_names_headers_and_types_import_like_swedish(tmp_path: Path) -> None:
    """'Goals' with 'id, type, name, contributes to, perspective' equals the Swedish workbook."""

    def book(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets.items():
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(row)
        workbook.save(path)
        return path

    english = book(
        tmp_path / "en.xlsx",
        {
            "Metadata": [["municipality code"], ["0685"]],
            "Goals": [
                ["id", "type", "name", "contributes to", "perspective"],
                ["KF1", "council goal", "Goal one", "", ""],
                ["N1", "committee goal", "Goal two", "KF1", "Leva"],
            ],
        },
    )
    swedish = book(
        tmp_path / "sv.xlsx",
        {
            "Metadata": [["kommunkod"], ["0685"]],
            "Mål": [
                ["id", "typ", "namn", "KF-mål", "perspektiv"],
                ["KF1", "KF-mål", "Goal one", "", ""],
                ["N1", "nämndmål", "Goal two", "KF1", "Leva"],
            ],
        },
    )
    assert isomorphic(import_files(english).to_rdflib(), import_files(swedish).to_rdflib())
    with pytest.raises(SpreadsheetError, match="okänd typ"):
        convert(
            book(
                tmp_path / "x.xlsx",
                {
                    "Metadata": [["kommunkod"], ["0685"]],
                    "Goals": [["id", "type", "name"], ["G", "wish", "x"]],
                },
            )
        )


def test_cli_export_yaml_writes_a_file_that_imports_back(tmp_path: Path) -> None:
    """export --yaml gives one YAML file with the same graph; codes like 2020 stay text."""
    runner = CliRunner()
    source = EXAMPLES / "vaggeryd" / "vaggeryd.ttl"
    target = tmp_path / "vaggeryd.yaml"
    result = runner.invoke(app, ["export", "--yaml", str(target), str(source)])
    assert result.exit_code == 0, result.output
    assert isomorphic(import_files(target).to_rdflib(), rdflib.Graph().parse(source))
    assert "kommunkod: '0665'" in target.read_text(encoding="utf-8")


def test_cli_import_of_a_single_csv_file_needs_the_kommun_option(tmp_path: Path) -> None:
    """A lone mal.csv has no Metadata; --kommun supplies it, a wrong code is refused."""
    source = tmp_path / "mal.csv"
    source.write_text("id,typ,namn\nV,vision,Här växer människor och företag\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(source)]).exit_code != 0
    result = runner.invoke(app, ["import", str(source), "--kommun", "0685"])
    assert result.exit_code == 0 and "id/0685/vision/V" in result.stdout
    assert runner.invoke(app, ["import", str(source), "--kommun", "9999"]).exit_code != 0


def test_illustrative_sheet_with_a_long_title_survives_a_workbook_round_trip(
    tmp_path: Path,
) -> None:
    """An illustrative reporting point exports under a sheet title the import still recognises."""
    source = tmp_path / "punkter.yaml"
    source.write_text(
        'metadata:\n  kommunkod: "1962"\n'
        "uppföljningstillfällen:\n"
        "  - {id: AR-2022, typ: årsredovisning, namn: Årsredovisning 2022 (illustrativt),"
        " datum: 2023-03-31, illustrativt: ja}\n",
        encoding="utf-8",
    )
    graph = import_files(source)
    assert export_workbook(graph, tmp_path / "x.xlsx") == []
    titles = openpyxl.load_workbook(tmp_path / "x.xlsx").sheetnames
    assert all(len(title) <= 31 for title in titles)
    assert "Uppföljning (illustrativt)" in titles
    again = import_files(tmp_path / "x.xlsx")
    assert isomorphic(graph.to_rdflib(), again.to_rdflib())
