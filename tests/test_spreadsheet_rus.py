"""A region's RUS and a kommun's challenges in the workbook, validated like the reference data."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from rdflib.compare import isomorphic

from goalgraph.errors import SpreadsheetError
from goalgraph.graph import GoalGraph
from goalgraph.spreadsheet import export_workbook, import_files, write_template
from goalgraph.validation import validate

RUS_TO_OWN_COUNTY = "RUS-område i det egna länet"
RUS_CRITERION = "Nämndmål kopplat till RUS"
CHALLENGE_CRITERION = "Nämndmål som tar hänsyn till omvärldsanalysen"


def stockholm(
    path: Path,
    *,
    county: str = "01",
    rus: str = "RUFS-1",
    challenge: str = "TRYGGHET",
    links: list[list[str]] | None = None,
) -> Path:
    """The template filled in for Stockholm (0180) with Region Stockholm's RUFS 2050."""
    write_template(path)
    book = openpyxl.load_workbook(path)
    book["Metadata"].append(["0180", "Stockholms stad"])
    book["Organisationer"].append(["UBN", "nämnd", "Utbildningsnämnden"])
    book["Mål"].append(["KF1", "KF-mål", "1", "Stockholm är en trygg stad"])
    book["Utmaningar"].append(["TRYGGHET", "Otrygghet i offentliga miljöer"])
    rows = {
        "RUS": [
            {"id": "RUFS", "typ": "strategi", "namn": "RUFS 2050", "län": county},
            {"id": "RUFS-1", "typ": "område", "namn": "En tillgänglig region", "strategi": "RUFS"},
            {"id": "RUFS-2", "typ": "område", "namn": "En öppen region", "strategi": "RUFS"},
        ],
        "Nämndmål": [
            {
                "id": "N1",
                "namn": "Alla elever känner sig trygga i skolan",
                "organisation": "UBN",
                "KF-mål": "KF1",
                "RUS": rus,
                "perspektiv": "Leva",
                "agenda 2030": "4.a",
                "utmaningar": challenge,
            }
        ],
    }
    for title, entries in rows.items():
        sheet = book[title]
        headers = [str(c.value).rstrip(" *") for c in sheet[1]]
        for entry in entries:
            sheet.append([entry.get(h, "") for h in headers])
    for link in links or []:
        book["Länkar"].append(link)
    book.save(path)
    return path


def findings(graph: GoalGraph) -> set[str]:
    """The shape names of every finding about the graph."""
    return {r.shape_name for r in validate(graph).results}


def test_a_stockholm_goal_linked_to_its_own_rus_area_validates_cleanly(tmp_path: Path) -> None:
    """Kommun 0180's nämnd goal linked to RUFS 2050 (län 01) raises neither RUS finding."""
    graph = import_files(stockholm(tmp_path / "sthlm.xlsx"))
    areas = graph.select(
        "SELECT ?a WHERE { ?g gg:relatesToRegionalArea ?a . "
        "?a a gg:RegionalStrategyArea ; gg:areaOf/gg:forCounty ref:lan\\/01 }",
        graphs=("data",),
    )
    assert [r["a"].value for r in areas] == ["https://w3id.org/goalgraph/id/0180/rus-area/RUFS-1"]
    found = findings(graph)
    assert RUS_TO_OWN_COUNTY not in found and RUS_CRITERION not in found
    assert validate(graph).conforms


def test_without_a_rus_link_the_goal_gets_the_rus_warning(tmp_path: Path) -> None:
    """The same goal with an empty RUS cell is flagged by the RUS criterion."""
    graph = import_files(stockholm(tmp_path / "sthlm.xlsx", rus=""))
    assert RUS_CRITERION in findings(graph)


def test_an_undefined_rus_area_is_refused_at_import(tmp_path: Path) -> None:
    """RUFS-9 is neither a row of the RUS sheet nor a reference area: the cell is named."""
    path = stockholm(tmp_path / "sthlm.xlsx", rus="RUFS-9")
    with pytest.raises(SpreadsheetError) as caught:
        import_files(path)
    (problem,) = caught.value.problems
    assert problem.sheet == "Nämndmål" and problem.column == "RUS"
    assert "RUFS-9" in problem.message and "RUFS-1" in problem.message


def test_a_user_rus_for_another_county_breaks_the_own_county_rule(tmp_path: Path) -> None:
    """A RUS sheet strategy for län 06 cannot serve kommun 0180: the consistency rule says so."""
    graph = import_files(stockholm(tmp_path / "sthlm.xlsx", county="06"))
    assert RUS_TO_OWN_COUNTY in findings(graph)
    assert not validate(graph).conforms


def test_a_shipped_rus_area_of_another_county_is_still_flagged(tmp_path: Path) -> None:
    """Jönköping's 'En attraktiv region' (reference data) is refused for Stockholm as before."""
    graph = import_files(stockholm(tmp_path / "sthlm.xlsx", rus="En attraktiv region"))
    assert RUS_TO_OWN_COUNTY in findings(graph)


def test_an_unknown_county_code_is_refused(tmp_path: Path) -> None:
    """län 99 is no county: the RUS sheet's län cell is named."""
    with pytest.raises(SpreadsheetError, match="län"):
        import_files(stockholm(tmp_path / "sthlm.xlsx", county="99"))


def test_the_links_sheet_links_to_a_user_rus_area_too(tmp_path: Path) -> None:
    """A Länkar row 'N1, RUS, RUFS-2' adds the second area; an undefined one is refused."""
    path = stockholm(tmp_path / "sthlm.xlsx", links=[["N1", "RUS", "RUFS-2"]])
    graph = import_files(path)
    rows = graph.select("SELECT ?a WHERE { ?g gg:relatesToRegionalArea ?a }", graphs=("data",))
    assert {r["a"].value.rsplit("/", 1)[-1] for r in rows} == {"RUFS-1", "RUFS-2"}
    with pytest.raises(SpreadsheetError, match="RUFS-3"):
        import_files(stockholm(tmp_path / "bad.xlsx", links=[["N1", "RUS", "RUFS-3"]]))


def test_a_user_rus_survives_export_and_reimport(tmp_path: Path) -> None:
    """Exporting the Stockholm graph writes the RUS sheet; importing it gives the same graph."""
    graph = import_files(stockholm(tmp_path / "sthlm.xlsx"))
    assert export_workbook(graph, tmp_path / "export.xlsx") == []
    assert "RUS" in openpyxl.load_workbook(tmp_path / "export.xlsx").sheetnames
    again = import_files(tmp_path / "export.xlsx")
    assert isomorphic(graph.to_rdflib(), again.to_rdflib())


def test_workbook_challenges_are_validated_like_the_rest(tmp_path: Path) -> None:
    """The Utmaningar sheet feeds criterion 5: a goal addressing one passes, one without not."""
    assert CHALLENGE_CRITERION not in findings(import_files(stockholm(tmp_path / "ok.xlsx")))
    flagged = findings(import_files(stockholm(tmp_path / "bad.xlsx", challenge="")))
    assert CHALLENGE_CRITERION in flagged


def test_a_rus_sheet_area_without_its_strategy_is_a_violation(tmp_path: Path) -> None:
    """An area with an empty strategi cell breaks RegionalAreaStrategyShape and the county rule."""
    path = stockholm(tmp_path / "sthlm.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["RUS"]
    headers = [str(c.value).rstrip(" *") for c in sheet[1]]
    for row in sheet.iter_rows(min_row=3):
        if row[0].value == "RUFS-1":
            row[headers.index("strategi")].value = None
    book.save(path)
    found = findings(import_files(path))
    assert {"RUS-område i en strategi", RUS_TO_OWN_COUNTY} <= found


def test_a_rus_sheet_strategy_without_a_county_is_a_violation(tmp_path: Path) -> None:
    """A strategy row with an empty län cell breaks RegionalStrategyCountyShape."""
    found = findings(import_files(stockholm(tmp_path / "sthlm.xlsx", county="")))
    assert "RUS för ett län" in found
    assert "RUS för ett län" not in findings(import_files(stockholm(tmp_path / "ok.xlsx")))
