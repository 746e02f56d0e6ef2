"""A link only an illustrative file states is reified as an illustrative rdf:Statement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
import yaml
from rdflib import RDF, Literal, URIRef

from goalgraph import GoalGraph, load
from goalgraph.namespace import GG, ID
from goalgraph.spreadsheet import graph_tables, import_files
from goalgraph.traceability import trace
from support import run_cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
V = "https://w3id.org/goalgraph/id/0685/"
SDG = "http://metadata.un.org/sdg/"
N1 = URIRef(f"{ID}0665/goal/N1")
KF1 = URIRef(f"{ID}0665/goal/KF1")
SOURCE: dict[str, Any] = {
    "metadata": {"kommunkod": "0665"},
    "mål": [{"id": "KF1", "typ": "KF-mål", "namn": "Mål ett"}],
    "nämndmål": [{"id": "N1", "namn": "Ett nämndmål"}],
    "mål (illustrativt)": [{"id": "KF9", "typ": "KF-mål", "namn": "Påhittat mål"}],
}


def _import(tmp_path: Path, **sheets: list[dict[str, str]]) -> rdflib.Graph:
    """Import SOURCE with *sheets* added, as an rdflib graph of the user's data."""
    path = tmp_path / "source.yaml"
    data = {**SOURCE, **{name.replace("_", " "): rows for name, rows in sheets.items()}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return import_files(path, vocabulary=False).to_rdflib()


def _marked(graph: rdflib.Graph) -> set[tuple[object, object, object]]:
    """The links the graph's illustrative rdf:Statements are about."""
    return {
        (graph.value(s, RDF.subject), graph.value(s, RDF.predicate), graph.value(s, RDF.object))
        for s in graph.subjects(RDF.type, RDF.Statement)
        if (s, GG.illustrative, Literal(True)) in graph
    }


@pytest.fixture(scope="module")
def vetlanda() -> GoalGraph:
    return load(EXAMPLES / "vetlanda")


def test_a_link_of_an_illustrative_lankar_row_is_reified_as_illustrative(tmp_path: Path) -> None:
    """The link is kept as a plain triple and marked by a minted, illustrative rdf:Statement."""
    link = {"från": "N1", "länktyp": "agenda 2030", "till": "11.7"}
    graph = _import(tmp_path, Länkar_illustrativt=[link])
    triple = (N1, GG.contributesToSDG, URIRef(SDG + "11.7"))
    assert triple in graph
    assert _marked(graph) == {triple}
    statement = next(graph.subjects(RDF.type, RDF.Statement))
    assert str(statement).startswith(f"{ID}0665/statement/")


def test_a_link_of_a_normal_lankar_row_is_not_marked(tmp_path: Path) -> None:
    """A link the document's Länkar sheet states gets no mark, even if also illustrative."""
    link = {"från": "N1", "länktyp": "bidrar till", "till": "KF1"}
    graph = _import(tmp_path, Länkar=[link], Länkar_illustrativt=[link])
    assert (N1, GG.contributesToGoal, KF1) in graph
    assert _marked(graph) == set()
    assert not list(graph.subjects(RDF.type, RDF.Statement))


def test_a_link_from_an_illustrative_item_needs_no_statement(tmp_path: Path) -> None:
    """The item's own gg:illustrative already covers a link from an invented item."""
    link = {"från": "KF9", "länktyp": "agenda 2030", "till": "11.7"}
    graph = _import(tmp_path, Länkar_illustrativt=[link])
    assert (URIRef(f"{ID}0665/goal/KF9"), GG.contributesToSDG, URIRef(SDG + "11.7")) in graph
    assert _marked(graph) == set()


def test_reimporting_vetlanda_gives_the_committed_turtle_byte_for_byte(tmp_path: Path) -> None:
    """The statements' IRIs are stable, so the import is byte-identical to the committed file."""
    for name in ("a.ttl", "b.ttl"):
        result = run_cli("import", str(EXAMPLES / "vetlanda" / "csv"), "-o", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    first = (tmp_path / "a.ttl").read_bytes()
    assert first == (tmp_path / "b.ttl").read_bytes()
    assert first == (EXAMPLES / "vetlanda" / "vetlanda.ttl").read_bytes()
    assert b"/statement/" in first


def test_vetlanda_kfn1_marks_sdg_targets_reached_through_illustrative_links(
    vetlanda: GoalGraph,
) -> None:
    """A-LEVA-1's SDG links are invented (Bilaga 3's icons), so KFN-1's SDG paths say so."""
    result = trace(vetlanda, "KFN-1")
    targets = [p for p in result.paths if p.target_kind == "sdg_target"]
    assert targets
    for path in targets:
        assert path.illustrative and path.links[-1].illustrative
        assert path.explain(result.net, "sv").endswith("(härlett, gg:tracesToSDG; illustrativt)")
        assert path.explain(result.net, "en").endswith("(inferred, gg:tracesToSDG; illustrative)")
    challenge = next(p for p in result.paths if p.target == V + "challenge/FOLKHALSA")
    assert not challenge.links[-1].illustrative  # the document links A-LEVA-1 to Folkhälsa
    frame = result.to_frame()
    assert frame["illustrative"].dtype == bool
    assert set(frame.loc[frame["target_kind"] == "sdg_target", "illustrative"]) == {True}
    paths = json.loads(result.to_json())["paths"]
    assert all(isinstance(row["illustrative"], bool) for row in paths)


def test_a_document_stated_link_stays_stated_and_unmarked(vetlanda: GoalGraph) -> None:
    """From the document's delstrategi A-LEVA-1 its challenge is "angivet", its SDG illustrative."""
    result = trace(vetlanda, "A-LEVA-1")
    by_target = {p.target: p for p in result.paths if len(p.links) == 1}
    challenge = by_target[V + "challenge/FOLKHALSA"]
    assert not challenge.illustrative
    assert challenge.explain(result.net, "sv").endswith("(angivet)")
    sdg = by_target[SDG + "11.7"]
    assert sdg.illustrative
    assert sdg.explain(result.net, "sv").endswith("(angivet; illustrativt)")
    frame = result.to_frame()
    assert not frame.loc[frame["target"] == V + "challenge/FOLKHALSA", "illustrative"].any()


def test_export_puts_illustrative_links_back_into_the_illustrative_lankar_sheet(
    vetlanda: GoalGraph,
) -> None:
    """A-BO-1 → 16.1 returns to "Länkar (illustrativt)", not to A-BO-1's row; nothing is left."""
    _, tables, leftover = graph_tables(vetlanda, kommun="0685")
    assert leftover == []
    by_title = {t.title: t for t in tables}
    illustrative = by_title["Länkar (illustrativt)"]
    assert ["A-BO-1", "agenda 2030", "16.1", ""] in illustrative.rows
    assert len(illustrative.rows) == 34
    assert all(row[:3] != ["A-BO-1", "agenda 2030", "16.1"] for row in by_title["Länkar"].rows)
    a_bo_1 = next(row for row in by_title["Delstrategier"].rows if row[0] == "A-BO-1")
    assert not any("16.1" in cell.split("; ") for cell in a_bo_1)


def test_a_statement_about_a_missing_link_is_left_over(vetlanda: GoalGraph) -> None:
    """A mark whose link the graph lacks is reported, never silently dropped."""
    data = vetlanda.to_rdflib()
    statement = URIRef(f"{V}statement/0000000000000000")
    data.add((statement, RDF.type, RDF.Statement))
    data.add((statement, RDF.subject, URIRef(V + "substrategy/A-BO-1")))
    data.add((statement, RDF.predicate, GG.contributesToSDG))
    data.add((statement, RDF.object, URIRef(SDG + "1.1")))
    data.add((statement, GG.illustrative, Literal(True)))
    _, _, leftover = graph_tables(data, kommun="0685")
    assert {s for s, _, _ in leftover} == {statement}
