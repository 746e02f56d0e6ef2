"""Findings about spreadsheet data name the sheet, row and column to fix; RDF input has none."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from goalgraph import load
from goalgraph.cli import app
from goalgraph.graph import PREFIXES
from goalgraph.sources import SourceRow
from goalgraph.spreadsheet import import_files
from goalgraph.validation import ValidationResult, validate
from goalgraph.validation._sources import locate

EXAMPLES = Path(__file__).parent.parent / "examples"
PERSPECTIVE = PREFIXES["gg"] + "hasPerspective"
SHAPE = "CommitteeGoalPerspectiveShape"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook whose Nämndmål rows 2–6 have a perspective and row 7 has none."""
    path = tmp_path_factory.mktemp("sources") / "mal.xlsx"
    book = openpyxl.Workbook()
    meta = book.active
    assert meta is not None
    meta.title = "Metadata"
    meta.append(["kommunkod"])
    meta.append(["0665"])
    goals = book.create_sheet("Mål")
    goals.append(["id", "typ", "namn"])
    goals.append(["KF1", "KF-mål", "Hög kunskapsnivå"])
    committee = book.create_sheet("Nämndmål")
    committee.append(["id", "namn", "KF-mål", "Perspektiv"])
    for number in range(1, 7):
        perspective = "Leva" if number < 6 else None
        committee.append([f"N{number}", f"Nämndmål {number}", "KF1", perspective])
    book.save(path)
    return path


def perspective_findings(results: tuple[ValidationResult, ...]) -> list[ValidationResult]:
    """The findings of the committee-goal perspective shape."""
    return [r for r in results if str(r.source_shape).endswith(SHAPE)]


def test_a_missing_perspective_is_placed_on_its_sheet_row_and_column_in_swedish(
    workbook: Path,
) -> None:
    """The only goal without perspective is Nämndmål row 7, column Perspektiv, by that name."""
    (finding,) = perspective_findings(validate(load(workbook), lang="sv").results)
    assert finding.where == "Nämndmål, rad 7, kolumn Perspektiv"
    assert (finding.source_sheet, finding.source_row, finding.source_column) == (
        "Nämndmål",
        7,
        "Perspektiv",
    )
    assert finding.source_file == str(workbook)
    assert "kolumn Perspektiv" in finding.message
    assert "gg:hasPerspective" not in finding.message


def test_a_missing_perspective_is_placed_in_english_words(workbook: Path) -> None:
    """In English the place reads row and column, and the column keeps its header as written."""
    (finding,) = perspective_findings(validate(load(workbook), lang="en").results)
    assert finding.where == "Nämndmål, row 7, column Perspektiv"
    assert "column Perspektiv" in finding.message
    assert "gg:hasPerspective" not in finding.message


def test_json_keeps_its_fields_and_adds_the_source(workbook: Path) -> None:
    """to_json() still has every earlier field, and the new source fields beside them."""
    data = json.loads(validate(import_files(workbook)).to_json())
    (finding,) = [r for r in data["results"] if r["source_shape"].endswith(SHAPE)]
    assert {"focus_node", "message", "path", "value", "shape_name"} <= finding.keys()
    assert finding["source_sheet"] == "Nämndmål"
    assert finding["source_row"] == 7
    assert finding["source_column"] == "Perspektiv"


def test_the_shacl_report_graph_stays_standard(workbook: Path) -> None:
    """to_graph() holds only SHACL terms: the spreadsheet place is not written into it."""
    graph = validate(load(workbook)).to_graph()
    predicates = {str(p) for p in graph.predicates()}
    assert all(p.startswith(("http://www.w3.org/ns/shacl#", PREFIXES["rdf"])) for p in predicates)


def test_rdf_input_findings_have_no_sheet() -> None:
    """Data loaded from Turtle has no sources, and its findings keep the RDF terms."""
    graph = load(EXAMPLES / "vaggeryd" / "vaggeryd.ttl")
    assert graph.sources == {}
    report = validate(graph)
    assert report.results
    assert all(r.where is None and r.source_sheet is None for r in report.results)
    assert any("gg:" in r.message for r in report.results)


def test_the_cli_text_names_the_cell_to_fix(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """goalgraph validate prints the sheet, row and column after the finding, in sv and en."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)
    swedish = CliRunner().invoke(app, ["validate", str(workbook), "--lang", "sv"])
    assert swedish.exit_code == 0, swedish.output  # warnings only
    assert "Nämndmål, rad 7, kolumn Perspektiv" in swedish.output
    english = CliRunner().invoke(app, ["validate", str(workbook), "--lang", "en"])
    assert "Nämndmål, row 7, column Perspektiv" in english.output
    assert "rad 2, kolumn Perspektiv" not in swedish.output  # row 2 has a perspective


def test_the_cli_csv_has_the_source_columns(workbook: Path) -> None:
    """The CSV output carries where and the sheet, row and column of each finding."""
    result = CliRunner().invoke(app, ["validate", str(workbook), "--format", "csv"])
    header = result.output.splitlines()[0].split(",")
    assert {"where", "source_sheet", "source_row", "source_column"} <= set(header)
    assert "kolumn Perspektiv" in result.output


def test_a_property_without_a_column_names_the_sheet_and_row_only() -> None:
    """When the sheet has no column for the result's path, only sheet and row are named."""
    row = SourceRow("mal.xlsx", "Nämndmål", 7, {PERSPECTIVE: "Perspektiv"})
    remit = PREFIXES["gg"] + "remitCovers"
    from rdflib import URIRef

    found = locate(row, URIRef(remit), "Ange ansvarsområdet (gg:remitCovers).", "sv")
    assert found.column is None
    assert found.where == "Nämndmål, rad 7"
    assert found.message == "Ange ansvarsområdet (gg:remitCovers)."
    with_column = locate(row, URIRef(PERSPECTIVE), "Ange Bo (gg:hasPerspective).", "sv")
    assert with_column.where == "Nämndmål, rad 7, kolumn Perspektiv"


def test_every_imported_item_has_its_source_row(workbook: Path) -> None:
    """import_files records the sheet and row of each item, and adds no triples for it."""
    graph = import_files(workbook)
    assert {(r.sheet, r.row) for r in graph.sources.values()} == {("Mål", 2)} | {
        ("Nämndmål", n) for n in range(2, 8)
    }
    assert not any("sources" in str(p) for _, p, _ in graph.to_rdflib())
