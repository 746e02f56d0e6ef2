"""The seed municipalities import cleanly, round-trip, and hold what the documents say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import isomorphic

from goalgraph import GoalGraph, load
from goalgraph.spreadsheet import export_csv, export_workbook, import_files

EXAMPLES = Path(__file__).parent.parent / "examples"
KOMMUNER = ["vetlanda", "vaggeryd", "norberg"]
ID = "https://w3id.org/goalgraph/id/"


@pytest.fixture(scope="module", params=KOMMUNER)
def example(request: pytest.FixtureRequest) -> tuple[str, GoalGraph]:
    """An example's name and the graph imported from its CSV folder."""
    name = request.param
    return name, import_files(EXAMPLES / name / "csv")


@pytest.fixture(scope="module")
def vetlanda() -> GoalGraph:
    return import_files(EXAMPLES / "vetlanda" / "csv")


@pytest.fixture(scope="module")
def vaggeryd() -> GoalGraph:
    return import_files(EXAMPLES / "vaggeryd" / "csv")


@pytest.fixture(scope="module")
def norberg() -> GoalGraph:
    return import_files(EXAMPLES / "norberg" / "csv")


def data_rows(graph: GoalGraph, sparql: str) -> list[dict[str, Any]]:
    """The rows of a SELECT query over the user's data only (not the reference data)."""
    return graph.select(sparql, graphs=("data",))


def values(graph: GoalGraph, sparql: str) -> list[str]:
    """The first variable of every row of a SELECT query, as strings."""
    rows = data_rows(graph, sparql)
    return [next(iter(row.values())).value for row in rows if row]


def count(graph: GoalGraph, sparql: str) -> int:
    """The ?n of a COUNT query."""
    return int(data_rows(graph, sparql)[0]["n"].value)


# --- the examples as files ------------------------------------------------------


def test_checked_in_turtle_equals_what_the_csv_import_produces(
    example: tuple[str, GoalGraph],
) -> None:
    """examples/<kommun>/<kommun>.ttl is exactly the import of its CSV folder."""
    name, graph = example
    checked_in = rdflib.Graph().parse(EXAMPLES / name / f"{name}.ttl")
    assert isomorphic(graph.to_rdflib(), checked_in)


def test_checked_in_workbook_imports_to_the_same_graph_as_the_csv_folder(
    example: tuple[str, GoalGraph],
) -> None:
    """The .xlsx beside the CSV folder holds the same data."""
    name, graph = example
    workbook = import_files(EXAMPLES / name / f"{name}.xlsx")
    assert isomorphic(graph.to_rdflib(), workbook.to_rdflib())


def test_exported_workbook_reimports_to_an_isomorphic_graph(
    example: tuple[str, GoalGraph], tmp_path: Path
) -> None:
    """Graph → export_workbook → import gives the same graph, with nothing left over."""
    _, graph = example
    leftover = export_workbook(graph, tmp_path / "export.xlsx")
    assert leftover == []
    again = import_files(tmp_path / "export.xlsx")
    assert isomorphic(graph.to_rdflib(), again.to_rdflib())


def test_exported_csv_folder_reimports_to_an_isomorphic_graph(
    example: tuple[str, GoalGraph], tmp_path: Path
) -> None:
    """Graph → export_csv → import gives the same graph."""
    _, graph = example
    assert export_csv(graph, tmp_path / "csv") == []
    assert isomorphic(graph.to_rdflib(), import_files(tmp_path / "csv").to_rdflib())


def test_load_reads_workbooks_and_csv_folders_directly(example: tuple[str, GoalGraph]) -> None:
    """goalgraph.load() accepts the example workbook and CSV folder like any RDF source."""
    name, graph = example
    assert len(load(EXAMPLES / name / f"{name}.xlsx")) == len(graph)
    assert len(load(EXAMPLES / name / "csv")) == len(graph)


def test_load_of_an_example_folder_reads_its_turtle_not_its_spreadsheets(
    example: tuple[str, GoalGraph],
) -> None:
    """A folder with .ttl files still loads as RDF (the CSV subfolder is not read twice)."""
    name, graph = example
    assert len(load(EXAMPLES / name)) == len(graph)


def test_illustrative_items_say_so_in_their_label(example: tuple[str, GoalGraph]) -> None:
    """Every gg:illustrative item has "(illustrativt)" in its Swedish label."""
    _, graph = example
    labels = values(
        graph, "SELECT ?l WHERE { ?s gg:illustrative true ; rdfs:label ?l FILTER(LANG(?l) = 'sv') }"
    )
    assert labels
    assert all("(illustrativt)" in label for label in labels)


def test_every_item_has_a_municipality_identifier_and_swedish_label(
    example: tuple[str, GoalGraph],
) -> None:
    """Items of a municipality follow the modelling rules (observations and link marks excepted)."""
    _, graph = example
    missing = values(
        graph,
        """
        SELECT ?s WHERE { GRAPH <https://w3id.org/goalgraph/graph/data> { ?s a ?c }
          FILTER(STRSTARTS(STR(?s), "https://w3id.org/goalgraph/id/"))
          FILTER NOT EXISTS { ?s a gg:AmbitionLevel }
          FILTER NOT EXISTS { ?s a gg:Observation }
          FILTER NOT EXISTS { ?s a rdf:Statement }
          FILTER NOT EXISTS { ?s gg:municipality ?k ; dcterms:identifier ?i ; rdfs:label ?l
                              FILTER(LANG(?l) = 'sv') } }""",
    )
    assert missing == []


# --- Vetlanda (seed 002) -----------------------------------------------------------

GRID = {
    ("ATTRAKTIV", "bo"): {
        "Stärka trygghet och tillit i samhället genom samverkan med civilsamhället",
        "Hållbar social utveckling för människor och företag",
    },
    ("ATTRAKTIV", "leva"): {
        "Skapa meningsfulla och inkluderande mötesplatser",
        "Utveckla destinationen för boende och besökare",
    },
    ("ATTRAKTIV", "verka"): {"Attrahera, behålla och utveckla människor och näringsliv"},
    ("HALLBAR", "bo"): {
        "Minska belastningen på miljö och klimat",
        "Verka för att hela kommunen lever",
    },
    ("HALLBAR", "leva"): {
        "Skapa en öppen, mångfaldsinkluderande och jämställd livsmiljö",
        "God hälsa och hög livskvalitet i hela kommunen",
    },
    ("HALLBAR", "verka"): {"Hållbar ekonomisk utveckling i näringsliv och samhälle"},
    ("NYTANKANDE", "bo"): {"Skapa attraktiva och hållbara bostäder genom jämlik samhällsplanering"},
    ("NYTANKANDE", "leva"): {
        "Attrahera, behålla och utveckla kompetenser",
        "Bidra till en ökad digital kompetens",
    },
    ("NYTANKANDE", "verka"): {
        "Samverka för näringslivsutveckling och kompetensförsörjning",
        "Förstärka innovationskraften",
    },
}


def test_vetlanda_has_three_riktningar_realising_the_vision_to_2030(vetlanda: GoalGraph) -> None:
    """The three riktningar realise the vision (valid to 2050) and run to 2030."""
    rows = data_rows(
        vetlanda,
        "SELECT ?a ?until ?vu WHERE { ?a a gg:StrategicArea ; "
        "gg:realisesVision ?v ; gg:validUntil ?until . ?v gg:validUntil ?vu }",
    )
    assert len(rows) == 3
    assert {r["until"].value for r in rows} == {"2030-12-31"}
    assert {r["vu"].value for r in rows} == {"2050-12-31"}


def test_vetlanda_has_fifteen_delstrategier_five_per_riktning_in_the_bilaga_2_grid(
    vetlanda: GoalGraph,
) -> None:
    """Each cell of the riktning × Bo/Leva/Verka grid holds the delstrategier of Bilaga 2."""
    rows = data_rows(
        vetlanda,
        """SELECT ?area ?p ?label WHERE { ?s a gg:SubStrategy ; gg:inArea ?area ;
        gg:hasPerspective ?p ; rdfs:label ?label FILTER(LANG(?label) = 'sv') }""",
    )
    assert len(rows) == 15
    grid: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        key = (row["area"].value.rsplit("/", 1)[-1], row["p"].value.rsplit("/", 1)[-1])
        grid.setdefault(key, set()).add(row["label"].value)
    assert grid == GRID
    for area in ("ATTRAKTIV", "HALLBAR", "NYTANKANDE"):
        assert sum(len(v) for (a, _), v in grid.items() if a == area) == 5


def test_vetlanda_challenges_follow_bilaga_3_with_both_welfare_spellings(
    vetlanda: GoalGraph,
) -> None:
    """A-BO-1 addresses 'Välfärden slukar…', H-VERKA-1 'Välfärdsbrottslighet slukar…'."""

    def challenges(sub: str) -> set[str]:
        return set(
            values(
                vetlanda,
                f"SELECT ?l WHERE {{ <{ID}0685/substrategy/{sub}> "
                "gg:addressesChallenge/rdfs:label ?l }",
            )
        )

    assert challenges("A-BO-1") == {
        "Inkludering",
        "Välfärden slukar allt mer resurser",
        "Ökad medvetenhet om samhällets sårbarhet",
    }
    assert "Välfärdsbrottslighet slukar allt mer resurser" in challenges("H-VERKA-1")
    assert len(challenges("N-LEVA-2")) == 5


def test_vetlanda_bilaga_3_name_variants_are_alternative_labels(vetlanda: GoalGraph) -> None:
    """'i samverkan' and 'näringsliv' (Bilaga 3) are skos:altLabel of A-BO-1 and A-BO-2."""
    alt = set(values(vetlanda, "SELECT ?l WHERE { ?s a gg:SubStrategy ; skos:altLabel ?l }"))
    assert alt == {
        "Stärka trygghet och tillit i samhället i samverkan med civilsamhället",
        "Hållbar social utveckling för människor och näringsliv",
    }


def test_vetlanda_strategy_refers_to_the_rus_of_jonkopings_lan(vetlanda: GoalGraph) -> None:
    """The utvecklingsstrategi references ref:rus/06."""
    assert vetlanda.query(f"ASK {{ <{ID}0685/document/UTVS> dcterms:references ref:rus\\/06 }}")


def test_vetlanda_namnd_goal_meets_criteria_only_through_its_delstrategi(
    vetlanda: GoalGraph,
) -> None:
    """KFN-1 has no direct perspective, SDG or challenge, but its delstrategi has all three."""
    kfn = f"<{ID}0685/goal/KFN-1>"
    for prop in ("gg:hasPerspective", "gg:contributesToSDG", "gg:addressesChallenge"):
        assert not vetlanda.query(f"ASK {{ {kfn} {prop} ?x }}")
        assert vetlanda.query(f"ASK {{ {kfn} gg:supportsSubStrategy/{prop} ?x }}")


# --- Vaggeryd (seeds 000, 001) --------------------------------------------------------


def test_vaggeryd_vision_is_extended_to_2030(vaggeryd: GoalGraph) -> None:
    """The vision is 'Här gör vi plats för att göra skillnad', valid until 2030."""
    rows = data_rows(
        vaggeryd, "SELECT ?l ?u WHERE { ?v a gg:Vision ; rdfs:label ?l ; gg:validUntil ?u }"
    )
    assert [(r["l"].value, r["u"].value) for r in rows] == [
        ("Här gör vi plats för att göra skillnad", "2030-12-31")
    ]


def test_vaggeryd_has_four_kf_goals_for_2020_to_2022(vaggeryd: GoalGraph) -> None:
    """KF1–KF4 are valid 2020–2022, adopted by KF on 27 May."""
    rows = data_rows(
        vaggeryd,
        """SELECT ?g ?from ?until ?date WHERE { ?g a gg:CouncilGoal ;
        gg:validFrom ?from ; gg:validUntil ?until ; gg:adoptedBy/gg:decisionDate ?date }""",
    )
    assert len(rows) == 4
    assert {(r["from"].value, r["until"].value, r["date"].value) for r in rows} == {
        ("2020-01-01", "2022-12-31", "2019-05-27")
    }


def test_vaggeryd_has_eight_ks_goals_three_steering_two_guiding_three_pending(
    vaggeryd: GoalGraph,
) -> None:
    """KS1–3 steering, KS4–5 guiding, KS6–8 pending with no text."""
    rows = data_rows(
        vaggeryd,
        """SELECT ?id ?role ?status WHERE { ?g a gg:ExecutiveBoardGoal ;
        dcterms:identifier ?id ; gg:status ?status OPTIONAL { ?g gg:goalRole ?role } }""",
    )
    assert len(rows) == 8
    roles = {r["id"].value: r["role"].value.rsplit("/", 1)[-1] for r in rows if "role" in r}
    assert roles == {
        "KS1": "steering",
        "KS2": "steering",
        "KS3": "steering",
        "KS4": "guiding",
        "KS5": "guiding",
    }
    pending = {r["id"].value for r in rows if r["status"].value.endswith("/pending")}
    assert pending == {"KS6", "KS7", "KS8"}


def test_vaggeryd_ks_goals_have_preliminary_ambition_levels(vaggeryd: GoalGraph) -> None:
    """KS1–KS5 have an ambition level with text and implication; KS1 names four documents."""
    assert (
        count(
            vaggeryd,
            "SELECT (COUNT(*) AS ?n) WHERE { ?g gg:hasAmbitionLevel ?a . "
            "?a gg:ambitionText ?t ; gg:implication ?i }",
        )
        == 5
    )
    docs = values(
        vaggeryd, f"SELECT ?l WHERE {{ <{ID}0665/goal/KS1> gg:relatedDocument/rdfs:label ?l }}"
    )
    assert sorted(docs) == [
        "Boendeutvecklingsprogram",
        "Marknadsplan",
        "Miljöprogram",
        "Översiktsplan (ÖP)",
    ]


def test_vaggeryd_reporting_points_keep_the_impossible_31_april(vaggeryd: GoalGraph) -> None:
    """The '31 april' report has no date; the 31 August report is dated 2019-08-31."""
    rows = data_rows(
        vaggeryd,
        "SELECT ?l ?d WHERE { ?r a gg:ReportingPoint ; rdfs:label ?l "
        "OPTIONAL { ?r gg:reportingDate ?d } }",
    )
    found = {r["l"].value: r.get("d") for r in rows}
    assert found["Delårsrapport per 31 april 2019"] is None
    assert found["Delårsrapport per 31 augusti 2019"].value == "2019-08-31"


def test_vaggeryd_ksau_decision_of_20_february_2019(vaggeryd: GoalGraph) -> None:
    """KSAU 2019-02-20 § 22 in case KS 2018/109."""
    rows = data_rows(
        vaggeryd,
        "SELECT ?p ?c WHERE { ?d gg:decisionDate '2019-02-20'^^xsd:date ; "
        "gg:paragraph ?p ; gg:caseNumber ?c }",
    )
    assert [(r["p"].value, r["c"].value) for r in rows] == [("22", "KS 2018/109")]


# --- Norberg (seed 003) -----------------------------------------------------------------

NYCKELTAL_PER_GOAL = {1: 5, 2: 7, 3: 3, 4: 2, 5: 9, 6: 9, 7: 5, 8: 14, 9: 5, 10: 8}


def test_norberg_has_six_areas_and_ten_goals(norberg: GoalGraph) -> None:
    """Six strategic areas and ten goals M1–M10, valid 2020–2022 in mandate period 2018–2022."""
    assert count(norberg, "SELECT (COUNT(*) AS ?n) WHERE { ?a a gg:StrategicArea }") == 6
    rows = data_rows(
        norberg,
        "SELECT ?g WHERE { ?g a gg:CouncilGoal ; gg:validFrom '2020-01-01'^^xsd:date ;"
        " gg:validUntil '2022-12-31'^^xsd:date ; gg:mandatePeriod ref:period\\/2018-2022 }",
    )
    assert len(rows) == 10


def test_norberg_nyckeltal_count_per_goal_matches_the_appendix(norberg: GoalGraph) -> None:
    """5, 7, 3, 2, 9, 9, 5, 14, 5 and 8 nyckeltal for goals 1 to 10."""
    rows = data_rows(
        norberg,
        "SELECT ?n (COUNT(?i) AS ?c) WHERE { ?g a gg:CouncilGoal ; skos:notation ?n ;"
        " gg:measuredBy ?i } GROUP BY ?n",
    )
    assert {int(r["n"].value): int(r["c"].value) for r in rows} == NYCKELTAL_PER_GOAL


def test_norberg_only_goal_1s_first_nyckeltal_is_mapped_to_kolada(norberg: GoalGraph) -> None:
    """NT1-1 is N15428; the other 66 are unmapped."""
    rows = data_rows(
        norberg, "SELECT ?i ?k WHERE { ?i gg:koladaId ?k ; gg:mappingStatus ref:mapping\\/mapped }"
    )
    assert [(r["i"].value, r["k"].value) for r in rows] == [(f"{ID}1962/indicator/NT1-1", "N15428")]
    assert (
        count(
            norberg, "SELECT (COUNT(*) AS ?n) WHERE { ?i gg:mappingStatus ref:mapping\\/unmapped }"
        )
        == 66
    )


def test_norberg_every_nyckeltal_has_a_source(norberg: GoalGraph) -> None:
    """All 67 nyckeltal name a data source; SCB, FHM and Svenskt Näringsliv appear where stated."""
    assert (
        count(
            norberg, "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a gg:Indicator ; gg:source ?s }"
        )
        == 67
    )
    sources = set(values(norberg, "SELECT DISTINCT ?s WHERE { ?i gg:source ?s }"))
    assert {s.rsplit("/", 1)[-1] for s in sources} >= {
        "kolada",
        "scb",
        "folkhalsomyndigheten",
        "svenskt-naringsliv",
    }


def test_norberg_truncated_nyckeltal_is_encoded_as_written(norberg: GoalGraph) -> None:
    """Mål 2's sixth nyckeltal keeps the truncated text of the document."""
    labels = values(norberg, f"SELECT ?l WHERE {{ <{ID}1962/indicator/NT2-6> rdfs:label ?l }}")
    assert labels == ["kommun/landsting, recept/1000 invånare."]


def test_norberg_decisions_270_and_298(norberg: GoalGraph) -> None:
    """KF 2019-12-09 § 270 and KS 2019-11-25 § 298 both adopt the goals."""
    rows = data_rows(
        norberg,
        "SELECT DISTINCT ?d ?p WHERE { ?g a gg:CouncilGoal ; gg:adoptedBy ?x . "
        "?x gg:decisionDate ?d ; gg:paragraph ?p }",
    )
    assert {(r["d"].value, r["p"].value) for r in rows} == {
        ("2019-12-09", "270"),
        ("2019-11-25", "298"),
    }


def test_norberg_programme_has_the_four_sustainability_dimensions(norberg: GoalGraph) -> None:
    """Social, ecological, economic and democratic sustainability."""
    dims = values(norberg, "SELECT ?d WHERE { ?p a gg:Programme ; gg:sustainabilityDimension ?d }")
    assert {d.rsplit("/", 1)[-1] for d in dims} == {
        "social",
        "ecological",
        "economic",
        "democratic",
    }


# --- the README tables of deliberately incomplete goals ---------------------------------

MISSING = {
    "vetlanda": {
        "MBN-2": "gg:contributesToGoal",
        "SN-2": "gg:relatesToRegionalArea",
        "KFN-2": "gg:hasPerspective",
        "BUN-3": "gg:contributesToSDG",
        "SN-3": "gg:addressesChallenge",
    },
    "vaggeryd": {
        "BUN-3": "gg:contributesToGoal",
        "SOCN-3": "gg:relatesToRegionalArea",
        "MBN-3": "gg:hasPerspective",
        "KFN-2": "gg:contributesToSDG",
        "KFN-3": "gg:addressesChallenge",
    },
    "norberg": {
        "SBU-3": "gg:contributesToGoal",
        "SOU-3": "gg:relatesToRegionalArea",
        "BUU-3": "gg:hasPerspective",
        "SBU-4": "gg:contributesToSDG",
        "SOU-4": "gg:addressesChallenge",
    },
}
CRITERIA = [
    "gg:contributesToGoal",
    "gg:relatesToRegionalArea",
    "gg:hasPerspective",
    "gg:contributesToSDG",
    "gg:addressesChallenge",
]


def test_readme_lists_each_deliberately_incomplete_goal(example: tuple[str, GoalGraph]) -> None:
    """Each goal of the README table misses exactly its criterion, directly and via delstrategi."""
    name, graph = example
    readme = (EXAMPLES / name / "README.md").read_text(encoding="utf-8")
    code = {"vetlanda": "0685", "vaggeryd": "0665", "norberg": "1962"}[name]
    for goal, missing in MISSING[name].items():
        assert f"| {goal} |" in readme
        iri = f"<{ID}{code}/goal/{goal}>"
        for prop in CRITERIA:
            present = graph.query(f"ASK {{ {iri} ({prop}|gg:supportsSubStrategy/{prop}) ?x }}")
            assert bool(present) == (prop != missing), (goal, prop)


def test_complete_illustrative_goals_meet_all_five_criteria(example: tuple[str, GoalGraph]) -> None:
    """Every other illustrative nämnd goal meets all five criteria (directly or via delstrategi)."""
    name, graph = example
    goals = values(graph, "SELECT ?id WHERE { ?g a gg:CommitteeGoal ; dcterms:identifier ?id }")
    complete = [g for g in goals if g not in MISSING[name]]
    assert len(complete) >= 4
    code = {"vetlanda": "0685", "vaggeryd": "0665", "norberg": "1962"}[name]
    for goal in complete:
        for prop in CRITERIA:
            assert graph.query(
                f"ASK {{ <{ID}{code}/goal/{goal}> ({prop}|gg:supportsSubStrategy/{prop}) ?x }}"
            ), (goal, prop)


def test_yaml_snippet_of_the_examples_readme_imports(tmp_path: Path) -> None:
    """The YAML example in examples/README.md is a valid import file."""
    import re

    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(.*?)```", text, re.S)
    source = tmp_path / "snippet.yaml"
    source.write_text(block, encoding="utf-8")
    graph = import_files(source)
    assert count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?g gg:hasPerspective ?p }") == 2
