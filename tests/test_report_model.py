"""The report's content: what gather() collects about each example kommun, against the data."""

from __future__ import annotations

import doctest
import importlib
import inspect
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalgraph import LoadError, UnknownTermError, load, validate
from goalgraph.report import Report, gather, kommuner
from goalgraph.report.annotations import Anchors, natural_key, slug
from goalgraph.report.criteria import CRITERIA, SHAPES
from goalgraph.report.findings import shape_name

EXAMPLES = Path(__file__).parent.parent / "examples"
DATA = Path(__file__).parent / "data" / "report"
CODES = {"vetlanda": "0685", "vaggeryd": "0665", "norberg": "1962"}
REPORT_MODULES = [
    "goalgraph.report",
    "goalgraph.report.annotations",
    "goalgraph.report.charts",
    "goalgraph.report.contents",
    "goalgraph.report.criteria",
    "goalgraph.report.findings",
    "goalgraph.report.heatmaps",
    "goalgraph.report.html",
    "goalgraph.report.lookups",
    "goalgraph.report.model",
    "goalgraph.report.output",
    "goalgraph.report.workbook",
    "goalgraph.cli.output",
]


@pytest.fixture(scope="module")
def graphs() -> dict[str, object]:
    """The three examples, loaded once."""
    return {name: load(EXAMPLES / name) for name in CODES}


@pytest.fixture(scope="module")
def reports(graphs: dict[str, object]) -> dict[str, Report]:
    """The Swedish report of each example."""
    return {name: gather(graph, lang="sv") for name, graph in graphs.items()}  # type: ignore[arg-type]


@pytest.mark.parametrize("name", REPORT_MODULES)
def test_report_docstring_examples_pass(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every >>> example of the report modules runs and prints what its docstring says."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)
    module = importlib.import_module(name)
    results = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False)
    assert results.failed == 0


@pytest.mark.parametrize("name", REPORT_MODULES)
def test_report_functions_document_what_they_raise(name: str) -> None:
    """Each public function of the report modules has a docstring that says what it raises."""
    module = importlib.import_module(name)
    for attribute in module.__all__:
        value = getattr(module, attribute)
        if inspect.isfunction(value):
            assert ":raises" in (inspect.getdoc(value) or ""), f"{name}.{attribute}"


@pytest.mark.parametrize("name", sorted(CODES))
def test_each_example_gives_one_section_for_its_kommun(
    name: str, reports: dict[str, Report]
) -> None:
    """An example with one kommun gives one section with that kommun's code and name."""
    report = reports[name]
    assert [s.code for s in report.sections] == [CODES[name]]
    assert report.sections[0].label.endswith("kommun")


@pytest.mark.parametrize("name", sorted(CODES))
def test_every_council_goal_of_the_data_is_in_the_overview(
    name: str, graphs: dict[str, object], reports: dict[str, Report]
) -> None:
    """The overview lists exactly the KF goals the data holds, each with its label."""
    rows = graphs[name].select(  # type: ignore[attr-defined]
        "SELECT ?g ?l WHERE { GRAPH <https://w3id.org/goalgraph/graph/data> "
        "{ ?g a gg:CouncilGoal ; rdfs:label ?l } }"
    )
    expected = {(r["g"].value, r["l"].value) for r in rows}
    shown = {(g.entry.iri, g.entry.label) for g in reports[name].sections[0].council_goals}
    assert shown == expected and expected


@pytest.mark.parametrize("name", sorted(CODES))
def test_missing_criteria_are_exactly_the_traceability_findings(
    name: str, graphs: dict[str, object], reports: dict[str, Report]
) -> None:
    """A criterion shown missing is one validation reports, and each such finding is linked."""
    validation = validate(graphs[name])  # type: ignore[arg-type]
    wanted = {key: shape for key, shape in SHAPES.items()}
    found = {
        (str(r.focus_node), shape_name(r))
        for r in validation.results
        if shape_name(r) in wanted.values()
    }
    shown = set()
    for org in reports[name].sections[0].organisations:
        for goal in org.goals:
            for criterion in goal.criteria:
                if criterion.state == "missing":
                    shown.add((goal.entry.iri, SHAPES[criterion.key]))
                    assert criterion.finding, (goal.entry.label, criterion.key)
    assert shown == found and found


def test_vetlanda_kfn1_meets_three_criteria_through_its_delstrategi(
    reports: dict[str, Report],
) -> None:
    """KFN-1 meets (a), (b) directly and (c), (d), (e) through delstrategi A-LEVA-1 (README)."""
    goals = {
        g.entry.identifier: g
        for o in reports["vetlanda"].sections[0].organisations
        for g in o.goals
    }
    states = {c.key: c for c in goals["KFN-1"].criteria}
    assert [states[k].state for k in CRITERIA] == [
        "direct",
        "direct",
        "via_substrategy",
        "via_substrategy",
        "via_substrategy",
    ]
    assert any("A-LEVA-1" in via.text for via in states["sdg"].via)
    assert all(via.lang is None for via in states["sdg"].via)
    assert {r.text.split(" ", 1)[0] for r in states["sdg"].reached} == {"10.2", "11.7"}
    # SDG targets are cited with the UN's title, marked English in a Swedish report
    assert all(r.text.endswith(" (en)") and "By 2030" in r.text for r in states["sdg"].reached)
    assert {r.lang for r in states["sdg"].reached} == {"en"}


def test_vetlanda_grid_is_bilaga_2(reports: dict[str, Report]) -> None:
    """The delstrategi grid has the three riktningar × Bo/Leva/Verka and 15 delstrategier."""
    grid = reports["vetlanda"].sections[0].grid
    assert grid.columns == ("Bo", "Leva", "Verka")
    assert len(grid.rows) == 3 and grid.total == 15
    row = grid.rows.index("Den nytänkande kommunen")
    assert len(grid.cells[row][2]) == 2  # N-VERKA-1, N-VERKA-2


def test_a_kommun_without_delstrategier_has_an_empty_grid(reports: dict[str, Report]) -> None:
    """Norberg has no delstrategier, so its grid is empty (and the page says so)."""
    assert reports["norberg"].sections[0].grid.total == 0


@pytest.mark.parametrize("name", sorted(CODES))
def test_sdg_heatmap_has_all_17_goals_and_its_gaps(name: str, reports: dict[str, Report]) -> None:
    """The SDG heatmap has one row per global goal; a gap is a row no goal reaches."""
    heat = next(h for h in reports[name].sections[0].heatmaps if h.dimension == "sdg")
    assert len(heat.rows) == 17
    empty = {row for row, cells in zip(heat.rows, heat.cells, strict=True) if not any(cells)}
    assert empty == set(heat.gaps)
    assert heat.reached == 17 - len(heat.gaps)


def test_heatmap_counts_agree_with_coverage(
    graphs: dict[str, object], reports: dict[str, Report]
) -> None:
    """Summed over organisations, each perspective row counts the goals coverage() says reach it."""
    from goalgraph import coverage

    report = coverage(graphs["vetlanda"], "perspective")  # type: ignore[arg-type]
    per_item = report.matrix.sum(axis=0)
    heat = next(h for h in reports["vetlanda"].sections[0].heatmaps if h.dimension == "perspective")
    for label, cells in zip(heat.rows, heat.cells, strict=True):
        item = next(i for i, text in report.labels.items() if text == label)
        assert sum(cells) == per_item[item]


@pytest.mark.parametrize("name", sorted(CODES))
def test_findings_are_all_there_grouped_by_organisation(
    name: str, graphs: dict[str, object], reports: dict[str, Report]
) -> None:
    """Every validation finding appears once, in its organisation's group, and follow-up's own
    findings in a group of their own; each has an anchor of its own."""
    from goalgraph.followup import status

    validation = validate(graphs[name])  # type: ignore[arg-type]
    followup = status(graphs[name]).findings  # type: ignore[arg-type]
    section = reports[name].sections[0]
    anchors = [f.anchor for g in section.findings for i in g.items for f in i.findings]
    assert len(set(anchors)) == len(anchors) == section.finding_count
    own = [g for g in section.findings if g.organisation == "Uppföljning"]
    # editorial notes are the report's marks, not findings (they are numbered there)
    shown = [
        r for r in validation.results if not str(r.source_shape).endswith("#EditorialNoteShape")
    ]
    assert len(shown) < len(validation.results)
    assert section.finding_count - sum(g.count for g in own) == len(shown)
    assert sum(g.count for g in own) == len(followup)


def test_notes_and_illustrative_marks_come_from_the_data(reports: dict[str, Report]) -> None:
    """Vetlanda's editorial notes are numbered from 1 and marked on their items; illustrative
    items are listed and flagged."""
    section = reports["vetlanda"].sections[0]
    assert [n.number for n in section.notes] == list(range(1, len(section.notes) + 1))
    area = next(a for a in section.areas if a.entry.identifier == "ATTRAKTIV")
    assert area.entry.notes and "2035" in section.notes[area.entry.notes[0] - 1].text
    kf = {g.entry.identifier: g.entry for g in section.council_goals}
    assert all(e.illustrative for e in kf.values())
    assert kf["KF1"] in section.illustrative
    assert not section.visions[0].illustrative


def test_the_report_speaks_english_when_asked(graphs: dict[str, object]) -> None:
    """With lang="en" titles, criteria and kinds are English (data labels stay as written)."""
    report = gather(graphs["vetlanda"], lang="en")  # type: ignore[arg-type]
    assert report.title.startswith("Goal governance report")
    criterion = report.sections[0].organisations[0].goals[0].criteria[0]
    assert criterion.name == "(a) Council goal"
    assert report.sections[0].label == "Vetlanda Municipality"


def test_an_unknown_kommun_is_an_error_naming_it(graphs: dict[str, object]) -> None:
    """Asking for a kommun the data does not hold names it and the kommuner it does hold."""
    with pytest.raises(UnknownTermError, match="0680") as caught:
        gather(graphs["vetlanda"], kommun="0680")  # type: ignore[arg-type]
    assert "0685 Vetlanda kommun" in str(caught.value)


def test_data_without_a_kommun_is_an_error() -> None:
    """A graph with no gg:municipality cannot be reported on, and says so."""
    with pytest.raises(LoadError, match="gg:municipality"):
        gather(load())


def test_several_kommuner_give_several_sections(graphs: dict[str, object]) -> None:
    """Two examples loaded together give two sections, and --kommun picks one of them."""
    both = load(EXAMPLES / "vetlanda", EXAMPLES / "norberg")
    assert kommuner(both) == {
        "0685": "https://w3id.org/goalgraph/ref/kommun/0685",
        "1962": "https://w3id.org/goalgraph/ref/kommun/1962",
    }
    report = gather(both)
    assert [s.code for s in report.sections] == ["0685", "1962"]
    assert [s.code for s in gather(both, kommun="1962").sections] == ["1962"]


def test_anchors_are_unique_across_the_report(reports: dict[str, Report]) -> None:
    """No two items, findings or notes of a report share an HTML id."""
    section = reports["norberg"].sections[0]
    ids = [g.entry.anchor for g in section.council_goals]
    ids += [g.entry.anchor for o in section.organisations for g in o.goals]
    ids += [o.entry.anchor for o in section.organisations]
    ids += [f.anchor for g in section.findings for i in g.items for f in i.findings]
    ids += [i.anchor for g in section.findings for i in g.items]
    ids += [n.anchor for n in section.notes]
    assert len(ids) == len(set(ids))


@given(st.lists(st.text(max_size=12), min_size=1, max_size=30))
def test_anchors_never_collide_and_are_stable(keys: list[str]) -> None:
    """Distinct keys get distinct anchors, the same key always the same one, all HTML-safe."""
    anchors = Anchors()
    made = {key: anchors.of(key, "i") for key in keys}
    assert len(set(made.values())) == len(made)
    assert all(anchors.of(key, "i") == anchor for key, anchor in made.items())
    assert all(" " not in a and a.isascii() for a in made.values())


def test_slug_and_natural_order() -> None:
    """Slugs fold Swedish letters; natural order puts KF2 before KF10."""
    assert slug("Kultur- och fritidsnämnden") == "kultur-och-fritidsnamnden"
    assert slug("!!!") == "x"
    assert sorted(["KF10", "KF2", "KF1"], key=natural_key) == ["KF1", "KF2", "KF10"]


# --- follow-up ---------------------------------------------------------------------------------


def test_council_goals_carry_their_rolled_up_status_and_forecast(
    graphs: dict[str, object], reports: dict[str, Report]
) -> None:
    """Each KF goal shows the status and latest forecast follow-up computed for it."""
    from goalgraph.followup import status

    goals = status(graphs["norberg"]).goals.set_index("goal")  # type: ignore[arg-type]
    for goal in reports["norberg"].sections[0].council_goals:
        row = goals.loc[goal.entry.iri]
        assert goal.status is not None
        assert (goal.status.notation, goal.status.label) == (row["status"], row["status_label"])
        assert goal.status.symbol and goal.status.tone in ("good", "fair", "poor", "none")
        assert goal.status.reason == (row["reason_label"] or None)
        if row["forecast"]:
            assert goal.forecast is not None and goal.forecast.notation == row["forecast"]
            assert row["forecast_label"] in goal.forecast.label
        else:
            assert goal.forecast is None


def test_indicator_charts_hold_the_series_target_and_status(
    graphs: dict[str, object], reports: dict[str, Report]
) -> None:
    """A nyckeltal's chart has its yearly values, target level, status and Kolada credit."""
    from goalgraph.followup import status

    report = status(graphs["norberg"])  # type: ignore[arg-type]
    charts = {c.entry.identifier: c for c in reports["norberg"].sections[0].indicators}
    assert len(charts) == len(report.indicators)
    nt = charts["NT1-1"]
    observed = report.observations[report.observations["indicator_id"] == "NT1-1"]
    assert list(nt.values) == sorted(zip(observed["year"], observed["value"], strict=True))
    assert nt.target == (80.0, 2022)
    row = report.indicators.set_index("indicator_id").loc["NT1-1"]
    assert (nt.status.notation, nt.from_kolada) == (row["status"], bool(row["from_kolada"]))
    assert nt.svg.startswith("<svg") and "Målnivå 80" in nt.svg
    assert "NT1-1" not in nt.summary and "80" in nt.summary
    bare = [c for c in charts.values() if not c.values]
    assert bare and all(not c.svg and c.reason for c in bare)


def test_a_kommun_without_nyckeltal_has_no_charts(reports: dict[str, Report]) -> None:
    """Vetlanda has no nyckeltal, so follow-up gives it no charts (and the page says so)."""
    assert reports["vetlanda"].sections[0].indicators == ()


def test_values_from_kolada_are_credited() -> None:
    """Values fetched from Kolada give a chart marked from Kolada, and the page credits Kolada."""
    from goalgraph.report import render_html

    graph = load(EXAMPLES / "norberg", DATA / "norberg-kolada.ttl")
    report = gather(graph)
    charts = {c.entry.identifier: c for c in report.sections[0].indicators}
    assert charts["NT1-2"].from_kolada and len(charts["NT1-2"].values) == 5
    html = render_html(report)
    assert "Källa: Kolada" in html and "egen bearbetning av data från Kolada" in html
    assert report.from_kolada and "Kolada (RKA)" in html
    plain = gather(load(EXAMPLES / "vaggeryd"))
    assert plain.sections[0].indicators and not plain.from_kolada
    assert "Källa: Kolada" not in render_html(plain)


def test_each_kommun_gives_one_report_per_kommun() -> None:
    """A graph of two kommuner yields two one-kommun reports, equal to asking for each."""
    from goalgraph.report import each_kommun

    both = load(EXAMPLES / "vetlanda", EXAMPLES / "norberg")
    reports = list(each_kommun(both))
    assert [[s.code for s in r.sections] for r in reports] == [["0685"], ["1962"]]
    alone = gather(both, kommun="1962").sections[0]
    mine = reports[1].sections[0]
    assert [g.entry.label for g in mine.council_goals] == [
        g.entry.label for g in alone.council_goals
    ]
    assert mine.finding_count == alone.finding_count
    assert [c.entry.identifier for c in mine.indicators] == [
        c.entry.identifier for c in alone.indicators
    ]


def test_each_kommun_refuses_data_without_a_kommun() -> None:
    """Without any kommun there is nothing to iterate over, and it says so."""
    from goalgraph.report import each_kommun

    with pytest.raises(LoadError):
        next(each_kommun(load()))


def test_a_follow_up_year_judges_values_up_to_that_year(graphs: dict[str, object]) -> None:
    """With year=2019 a chart holds values up to 2019 and its status is judged on them."""
    report = gather(graphs["norberg"], year=2019)  # type: ignore[arg-type]
    charts = {c.entry.identifier: c for c in report.sections[0].indicators}
    assert report.year == 2019
    assert max(year for year, _ in charts["NT1-1"].values) == 2019
    later = {c.entry.identifier: c for c in gather(graphs["norberg"]).sections[0].indicators}  # type: ignore[arg-type]
    assert max(year for year, _ in later["NT1-1"].values) > 2019


@pytest.mark.parametrize("name", sorted(CODES))
def test_every_editorial_note_of_the_data_is_in_the_report(
    name: str, graphs: dict[str, object], reports: dict[str, Report]
) -> None:
    """No recorded ambiguity is dropped: each note is listed once, in its kommun or apart."""
    rows = graphs[name].select(  # type: ignore[attr-defined]
        "SELECT ?n WHERE { GRAPH <https://w3id.org/goalgraph/graph/data> "
        "{ ?s skos:editorialNote ?n } }"
    )
    report = reports[name]
    shown = [n.text for s in report.sections for n in s.notes]
    shown += [n.text for n in report.unassigned_notes]
    assert sorted(shown) == sorted(r["n"].value for r in rows)


def test_a_note_on_an_item_without_a_kommun_goes_to_the_kommun_that_links_to_it(
    reports: dict[str, Report],
) -> None:
    """Vaggeryd's ambition levels have no kommun of their own; their notes are Vaggeryd's."""
    notes = {n.text for n in reports["vaggeryd"].sections[0].notes}
    assert "'At' står så i dokumentet (för 'Att')." in notes
    assert reports["vaggeryd"].unassigned_notes == ()


def test_a_note_nothing_places_in_a_kommun_is_listed_apart(tmp_path: Path) -> None:
    """A note on an item no kommun refers to is shown under 'Utan kommun', not dropped."""
    from goalgraph.report import render_html

    stray = tmp_path / "stray.ttl"
    stray.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://example.org/x> skos:editorialNote "En lös notering."@sv .\n',
        encoding="utf-8",
    )
    report = gather(load(EXAMPLES / "vetlanda", stray))
    assert [n.text for n in report.unassigned_notes] == ["En lös notering."]
    html = render_html(report)
    assert "En lös notering." in html and 'id="unassigned"' in html


def test_illustrative_values_of_a_real_nyckeltal_are_marked(reports: dict[str, Report]) -> None:
    """Norberg's nyckeltal are from the document but their values are invented: so marked."""
    charts = {c.entry.identifier: c for c in reports["norberg"].sections[0].indicators}
    assert charts["NT1-1"].illustrative and not charts["NT1-1"].entry.illustrative
    assert not charts["NT1-2"].illustrative  # no values at all


def test_items_outside_the_goal_chain_are_named_by_their_class(reports: dict[str, Report]) -> None:
    """An illustrative nämnd or target level is listed as 'nämnd' or 'målnivå', not 'objekt'."""
    kinds = {e.identifier: e.kind_label for e in reports["vaggeryd"].sections[0].illustrative}
    assert kinds["BUN"] == "nämnd" and kinds["ML-NT-KS1-1"] == "målnivå"
