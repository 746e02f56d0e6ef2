"""Agenda 2030 items carry their title everywhere, and SDG indicators can be linked like targets."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from rdflib.compare import isomorphic

from goalgraph import GoalGraph, SpreadsheetError, load
from goalgraph.agenda2030 import is_sdg, label_language, sdg_code, titled
from goalgraph.gaps import coverage
from goalgraph.goal_chain import describe, network
from goalgraph.query_library import run_query
from goalgraph.spreadsheet import convert, export_workbook, import_files
from goalgraph.traceability import trace
from goalgraph.validation import validate

EXAMPLES = Path(__file__).parent.parent / "examples"
SDG = "http://metadata.un.org/sdg/"
GG = "https://w3id.org/goalgraph/ontology#"
TITLE_11_7 = "By 2030, provide universal access to safe, inclusive and accessible, green"


@pytest.fixture(scope="module")
def vetlanda() -> GoalGraph:
    """The Vetlanda example, where KFN-1 reaches SDG 11.7 through delstrategi A-LEVA-1."""
    return load(EXAMPLES / "vetlanda")


def test_titled_marks_an_english_title_in_a_swedish_text() -> None:
    """A target with only the UN's English title is cited "11.7 <title> (en)" in Swedish."""
    assert titled("11.7", {"en": "Green spaces", "fr": "Espaces verts"}, "sv") == (
        "11.7 Green spaces (en)"
    )


def test_titled_does_not_mark_a_title_in_the_readers_language() -> None:
    """A Swedish goal title in Swedish, and an English one in English, carry no language mark."""
    labels = {"sv": "Hållbara städer och samhällen", "en": "Make cities inclusive"}
    assert titled("11", labels, "sv") == "11 Hållbara städer och samhällen"
    assert titled("11", labels, "en") == "11 Make cities inclusive"
    assert titled("11.7", {}, "sv") == "11.7"


def test_label_language_names_only_a_foreign_language() -> None:
    """label_language gives "en" for an English-only title in Swedish, None for a Swedish one."""
    assert label_language({"en": "x"}, "sv") == "en"
    assert label_language({"sv": "y", "en": "x"}, "sv") is None
    assert label_language({}, "sv") is None


def test_sdg_code_reads_the_compact_notation_of_the_kos() -> None:
    """Indicator sdg:C110701 has code 11.7.1; an unknown or non-SDG IRI has none."""
    graph = load()
    assert sdg_code(graph, SDG + "C110701") == "11.7.1"
    assert sdg_code(graph, SDG + "11.7") == "11.7"
    assert sdg_code(graph, SDG + "C110709") is None
    assert sdg_code(graph, "https://w3id.org/goalgraph/ref/kommun/0685") is None
    assert is_sdg(SDG + "11") and not is_sdg(GG + "Goal")


def test_trace_names_the_sdg_target_with_its_title(vetlanda: GoalGraph) -> None:
    """KFN-1's path to 11.7 names the target by code and the UN's title, marked English."""
    result = trace(vetlanda, "KFN-1")
    path = next(p for p in result.paths if p.target == SDG + "11.7")
    text = path.explain(result.net, "sv")
    assert f"Agenda 2030-delmål 11.7 «{TITLE_11_7}" in text
    assert "persons with disabilities» (en) (härlett, gg:tracesToSDG; illustrativt)" in text
    english = path.explain(result.net, "en")
    assert "(en)" not in english and f"SDG target 11.7 «{TITLE_11_7}" in english


def test_trace_names_an_sdg_goal_by_its_swedish_title(vetlanda: GoalGraph) -> None:
    """SDG 11 has the project's Swedish title, so it carries no language mark."""
    net = network(vetlanda)
    assert describe(net, SDG + "11", "sv") == "Agenda 2030-mål 11 «Hållbara städer och samhällen»"
    assert describe(net, SDG + "C110701", "sv").startswith("Agenda 2030-indikator 11.7.1 «Average")


def test_coverage_labels_targets_with_titles(vetlanda: GoalGraph) -> None:
    """The target coverage frame labels 11.7 with its title and its gaps carry titles too."""
    report = coverage(vetlanda, "target", kommun="0685", lang="sv")
    assert report.labels[SDG + "11.7"].startswith(f"11.7 {TITLE_11_7}")
    assert report.labels[SDG + "11.7"].endswith(" (en)")
    gap = report.gaps.set_index("item").loc[SDG + "9.5", "label"]
    assert gap.startswith("9.5 ") and gap.endswith(" (en)") and len(gap) > 20
    assert coverage(vetlanda, "sdg", kommun="0685").labels[SDG + "11"] == (
        "11 Hållbara städer och samhällen"
    )


def test_goal_trace_query_gives_the_un_title_with_its_language(vetlanda: GoalGraph) -> None:
    """The goal-trace query labels target 11.7 with the UN's title and "en", SDG 11 with "sv"."""
    frame = run_query(vetlanda, "goal-trace", {"goalId": "KFN-1"})
    rows = frame[frame["link"] == "sdg"].set_index("targetId")
    assert rows.loc["11.7", "targetLabel"].startswith(TITLE_11_7)
    assert rows.loc["11.7", "targetLabelLang"] == "en"
    assert rows.loc["11", "targetLabelLang"] == "sv"


def _workbook(path: Path, sdg: str) -> Path:
    """A Vaggeryd workbook with KF1 and one nämnd goal whose Agenda 2030 cell is *sdg*."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "Metadata": [["kommunkod"], ["0665"]],
        "Mål": [["id", "typ", "namn"], ["KF1", "KF-mål", "Mål 1"]],
        "Nämndmål": [
            ["id", "namn", "KF-mål", "RUS", "perspektiv", "agenda 2030"],
            ["N1", "Fler gröna offentliga platser", "KF1", "attraktiv", "Bo", sdg],
        ],
    }
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_an_sdg_indicator_code_imports_validates_and_traces(tmp_path: Path) -> None:
    """Agenda 2030 cell "11.7.1" links the UN's sdg:C110701, validates, and reaches 11.7 and 11."""
    graph = import_files(_workbook(tmp_path / "ok.xlsx", "11.7.1"))
    goal = "https://w3id.org/goalgraph/id/0665/goal/N1"
    linked = graph.select("SELECT ?s WHERE { ?g gg:contributesToSDG ?s }", graphs=("data",))
    assert [row["s"].value for row in linked] == [SDG + "C110701"]
    for engine in ("fast", "pyshacl"):
        shapes = {
            str(r.source_shape).rsplit("#", 1)[-1]
            for r in validate(graph, engine=engine).results
            if str(r.focus_node) == goal
        }
        assert not shapes & {"ContributesToSDG-real", "CommitteeGoalAgenda2030Shape"}
    result = trace(graph, "N1")
    assert {SDG + "C110701", SDG + "11.7", SDG + "11"} <= result.reached()
    assert coverage(graph, "target").matrix.loc[goal, SDG + "11.7"] == 1
    assert coverage(graph, "sdg").matrix.loc[goal, SDG + "11"] == 1


def test_an_sdg_indicator_exports_as_its_un_code(tmp_path: Path) -> None:
    """A linked indicator is written back to the workbook as 11.7.1, not its IRI's C110701."""
    graph = import_files(_workbook(tmp_path / "in.xlsx", "11.7.1"))
    assert export_workbook(graph, tmp_path / "out.xlsx") == []
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["Nämndmål"]
    header = [cell.value for cell in sheet[1]]
    column = next(i for i, h in enumerate(header) if str(h).startswith("agenda 2030"))
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "N1"]
    assert [row[column] for row in rows] == ["11.7.1"]
    assert isomorphic(graph.to_rdflib(), import_files(tmp_path / "out.xlsx").to_rdflib())


def test_an_unknown_sdg_indicator_code_is_refused_with_a_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Agenda 2030 cell "11.7.9" names the cell, says the code is unknown and suggests 11.7.1."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)
    with pytest.raises(SpreadsheetError) as caught:
        convert(_workbook(tmp_path / "bad.xlsx", "11.7.9"))
    (problem,) = (str(p) for p in caught.value.problems)
    assert "Nämndmål, rad 2, kolumn agenda 2030" in problem
    assert 'okänt Agenda 2030-mål "11.7.9"' in problem and "11.7.1" in problem
