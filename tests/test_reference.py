"""Reference data in ontology/reference/: Agenda 2030, concept schemes, län, kommuner, RUS.

The whole country (290 kommuner, 21 län and regions, riket) is tested in test_kommuner.py.
"""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from goalgraph import GoalGraph
from goalgraph.namespace import REF, kommun_iri, lan_iri
from goalgraph.resources import ontology_dir, reference_files

UN_FILES = {
    "sdg-kos-goals-targets-indicators.ttl": (
        "cb6b5600333b3a4f6498f9817db1a41244dd6b5758c274c42c6240a20259503e"
    ),
    "sdgs-ontology.ttl": "5a00ffa8ae4face41dd293e766f4ea6671eb14d1833132967081935fc6634086",
    "void.ttl": "a113b8978cd427da16e160eadd93c3f9b211b29c4091ee1c1fa95726707082fc",
}


def _count(graph: GoalGraph, where: str) -> int:
    rows = graph.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"].value)


@pytest.mark.parametrize("name", sorted(UN_FILES))
def test_un_files_are_copied_unchanged(name: str) -> None:
    """The UN's SDG files are byte-for-byte the published snapshot."""
    data = (ontology_dir() / "reference" / "un-sdg" / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == UN_FILES[name]


def test_un_citation_is_shipped_with_the_data(vocabulary: GoalGraph) -> None:
    """The UN licence and citation are in the README beside the data and in the loaded graph."""
    readme = (ontology_dir() / "reference" / "un-sdg" / "README.md").read_text(encoding="utf-8")
    assert "Amit Joshi, Luis Gonzalez Morales, Szymon Klarman" in readme
    rows = vocabulary.select("SELECT ?licence WHERE { ?dataset dcterms:license ?licence }")
    assert any("A Knowledge Organization System" in row["licence"].value for row in rows)


def test_reference_files_include_every_turtle_file_below_reference() -> None:
    """reference_files() lists every .ttl below ontology/reference, the UN's included, sorted."""
    paths = reference_files()
    assert paths == sorted(paths)
    assert set(paths) == set((ontology_dir() / "reference").rglob("*.ttl"))
    names = {path.name for path in paths}
    assert {"kommuner.ttl", "rus.ttl", "concept-schemes.ttl", "sdg-labels-sv.ttl"} <= names
    assert "sdg-kos-goals-targets-indicators.ttl" in names


@pytest.mark.parametrize(
    ("cls", "expected"), [("sdgo:Goal", 17), ("sdgo:Target", 169), ("sdgo:Indicator", 232)]
)
def test_agenda_2030_has_17_goals_169_targets_232_indicators(
    vocabulary: GoalGraph, cls: str, expected: int
) -> None:
    """The UN KOS gives exactly 17 goals, 169 targets and 232 indicators."""
    assert _count(vocabulary, f"?x a {cls}") == expected


def test_every_target_is_under_exactly_one_goal(vocabulary: GoalGraph) -> None:
    """Each of the 169 targets has exactly one goal, and it is the goal its number says."""
    rows = vocabulary.select(
        "SELECT ?target ?goal WHERE { ?target a sdgo:Target ; sdgo:isTargetOf ?goal }"
    )
    goals: dict[str, set[str]] = {}
    for row in rows:
        goals.setdefault(row["target"].value, set()).add(row["goal"].value)
    assert len(goals) == 169
    for target, parents in goals.items():
        assert len(parents) == 1
        number = target.rsplit("/", 1)[1].split(".")[0]
        assert parents == {f"http://metadata.un.org/sdg/{number}"}


def test_every_indicator_is_under_a_target(vocabulary: GoalGraph) -> None:
    """All 232 indicators are under at least one target."""
    assert (
        _count(vocabulary, "?x a sdgo:Indicator ; sdgo:isIndicatorOf ?t . ?t a sdgo:Target") == 232
    )


def test_every_goal_has_a_swedish_title(vocabulary: GoalGraph) -> None:
    """The 17 goals carry Swedish titles, e.g. goal 11 'Hållbara städer och samhällen'."""
    rows = vocabulary.select(
        "SELECT ?goal ?label WHERE { ?goal a sdgo:Goal ; skos:prefLabel ?label "
        "FILTER(LANG(?label) = 'sv') }"
    )
    titles = {row["goal"].value: row["label"].value for row in rows}
    assert len(titles) == 17
    assert titles["http://metadata.un.org/sdg/11"] == "Hållbara städer och samhällen"
    assert titles["http://metadata.un.org/sdg/5"] == "Jämställdhet"


def test_there_are_21_counties_with_unique_two_digit_codes(vocabulary: GoalGraph) -> None:
    """All 21 län are present, each with its own two-digit code and labels in sv and en."""
    rows = vocabulary.select(
        "SELECT ?county ?code WHERE { ?county a gg:County ; gg:countyCode ?code }"
    )
    codes = {row["code"].value for row in rows}
    assert len(rows) == 21 and len(codes) == 21
    assert {"01", "06", "19", "25"} <= codes
    assert vocabulary.labels(lan_iri("06")) == {"sv": "Jönköpings län", "en": "Jönköping County"}
    assert vocabulary.labels(lan_iri("19"))["sv"] == "Västmanlands län"


@pytest.mark.parametrize(
    ("code", "name", "county"),
    [("0685", "Vetlanda", "06"), ("0665", "Vaggeryd", "06"), ("1962", "Norberg", "19")],
)
def test_seed_municipalities_have_code_name_and_county(
    vocabulary: GoalGraph, code: str, name: str, county: str
) -> None:
    """Vetlanda 0685, Vaggeryd 0665 and Norberg 1962 are in their county with their code."""
    rows = vocabulary.select(
        "SELECT ?kommun ?code ?county WHERE { ?kommun a gg:Municipality ; "
        "gg:municipalityCode ?code ; "
        "gg:inCounty ?county }",
        bindings={"kommun": kommun_iri(code)},
    )
    assert [(r["code"].value, r["county"].value) for r in rows] == [(code, str(lan_iri(county)))]
    assert name in vocabulary.labels(kommun_iri(code))["sv"]


def test_unknown_municipality_code_is_not_in_reference_data(vocabulary: GoalGraph) -> None:
    """A code that does not exist (0699) has no reference item."""
    assert vocabulary.labels(kommun_iri("0699")) == {}


@pytest.mark.parametrize(
    ("rus", "county", "vision", "areas"),
    [
        (
            "06",
            "06",
            "Sveriges mest hållbara, attraktiva och tillgängliga region",
            ["hallbar", "attraktiv", "tillganglig", "smart", "kompetent", "global"],
        ),
        (
            "19",
            "19",
            "Ett livskraftigt Västmanland genom hållbar utveckling",
            ["valmaende", "tillgangligt", "nyskapande"],
        ),
    ],
)
def test_regional_strategies_have_vision_county_and_areas(
    vocabulary: GoalGraph, rus: str, county: str, vision: str, areas: list[str]
) -> None:
    """Each RUS is for its county, has its vision and exactly its areas, numbered in order."""
    strategy = REF[f"rus/{rus}"]
    rows = vocabulary.select(
        "SELECT ?s ?county ?vision WHERE { ?s a gg:RegionalDevelopmentStrategy ; "
        "gg:forCounty ?county ;"
        " gg:hasVision ?vision . ?vision a gg:Vision }",
        bindings={"s": strategy},
    )
    assert len(rows) == 1 and rows[0]["county"].value == str(lan_iri(county))
    assert vocabulary.labels(rows[0]["vision"])["sv"] == vision
    rows = vocabulary.select(
        "SELECT ?s ?area ?n WHERE { ?area a gg:RegionalStrategyArea ; gg:areaOf ?s ; "
        "skos:notation ?n }"
        " ORDER BY ?n",
        bindings={"s": strategy},
    )
    assert [row["area"].value for row in rows] == [str(REF[f"rus/{rus}/{a}"]) for a in areas]
    assert [row["n"].value for row in rows] == [str(i) for i in range(1, len(areas) + 1)]


def test_jonkoping_rus_runs_2020_to_2035(vocabulary: GoalGraph) -> None:
    """RUS 06 is valid from 2020-01-01 to 2035-12-31."""
    rows = vocabulary.select(
        "SELECT ?from ?until WHERE { ref:rus\\/06 gg:validFrom ?from ; gg:validUntil ?until }"
    )
    assert (rows[0]["from"].value, rows[0]["until"].value) == ("2020-01-01", "2035-12-31")


SCHEMES = {
    "perspective": {"bo", "leva", "verka"},
    "dimension": {"social", "ecological", "economic", "democratic"},
    "status": {"draft", "proposed", "adopted", "pending", "superseded"},
    "goal-role": {"steering", "guiding"},
    "measurability": {"quantitative", "qualitative"},
    "direction": {"increase", "decrease", "neutral"},
    "reporting": {"interim-report", "half-year-report", "annual-report"},
    "attainment": {"achieved", "partly-achieved", "not-achieved", "not-assessed"},
    "mapping": {"mapped", "unmapped"},
    "sex": {"female", "male", "total"},
    "progress": {
        "target-achieved",
        "on-track",
        "acceleration-needed",
        "limited-progress",
        "deterioration",
        "not-available",
    },
    "progress-reason": {
        "too-few-values",
        "no-direction",
        "no-target",
        "target-without-year",
        "target-before-base",
        "mixed-signs",
        "non-numeric-value",
        "invalid-year",
        "conflicting-values",
        "conflicting-targets",
        "unknown-area",
        "no-indicators",
    },
    "rollup": {"worst", "share", "mean-score"},
}
SCHEME_CLASSES = {
    "perspective": "CitizenPerspective",
    "dimension": "SustainabilityDimension",
    "status": "GoalStatus",
    "goal-role": "GoalRole",
    "measurability": "Measurability",
    "direction": "DesiredDirection",
    "reporting": "ReportingPointType",
    "attainment": "AttainmentLevel",
    "mapping": "MappingStatus",
    "sex": "Sex",
    "progress": "ProgressStatus",
    "progress-reason": "NotAvailableReason",
    "rollup": "RollupRule",
}


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_concept_scheme_has_the_documented_concepts(vocabulary: GoalGraph, scheme: str) -> None:
    """Each scheme has exactly the concepts of docs/modelling.md, typed with its gg: class."""
    rows = vocabulary.select(
        "SELECT ?s ?c ?n ?cls WHERE { ?c skos:inScheme ?s ; skos:notation ?n ; a ?cls . "
        "?s a skos:ConceptScheme FILTER(STRSTARTS(STR(?cls), STR(gg:))) }",
        bindings={"s": REF[scheme]},
    )
    assert {row["c"].value for row in rows} == {str(REF[f"{scheme}/{n}"]) for n in SCHEMES[scheme]}
    assert {row["n"].value for row in rows} == SCHEMES[scheme]
    assert {row["cls"].value.rsplit("#", 1)[1] for row in rows} == {SCHEME_CLASSES[scheme]}


def test_concepts_have_labels_and_definitions_in_both_languages(vocabulary: GoalGraph) -> None:
    """Every ref: concept has skos:prefLabel and skos:definition in sv and en."""
    rows = vocabulary.select(
        "SELECT ?c (GROUP_CONCAT(DISTINCT LANG(?l)) AS ?ls) "
        "(GROUP_CONCAT(DISTINCT LANG(?d)) AS ?ds)"
        " WHERE { ?c skos:inScheme ?s ; skos:prefLabel ?l ; skos:definition ?d "
        "FILTER(STRSTARTS(STR(?c), STR(ref:))) } GROUP BY ?c"
    )
    assert len(rows) == sum(len(v) for v in SCHEMES.values())
    for row in rows:
        assert set(row["ls"].value.split()) == {"sv", "en"}
        assert set(row["ds"].value.split()) == {"sv", "en"}


def test_goal_role_guiding_is_labelled_inriktningsmal(vocabulary: GoalGraph) -> None:
    """The guiding goal role is called 'inriktningsmål' in Swedish."""
    assert vocabulary.labels(REF["goal-role/guiding"])["sv"] == "inriktningsmål"


def test_mandate_periods_run_from_15_october_to_14_october(vocabulary: GoalGraph) -> None:
    """The four mandate periods run from 15 October of an election year to 14 October 4 years on."""
    rows = vocabulary.select(
        "SELECT ?p ?from ?until WHERE { ?p a gg:MandatePeriod ; gg:validFrom ?from ; "
        "gg:validUntil ?until }"
    )
    assert len(rows) == 4
    for row in rows:
        start, end = date.fromisoformat(row["from"].value), date.fromisoformat(row["until"].value)
        assert (start.month, start.day, end.month, end.day) == (10, 15, 10, 14)
        assert end.year - start.year == 4
        assert row["p"].value == str(REF[f"period/{start.year}-{end.year}"])


def test_data_sources_are_labelled(vocabulary: GoalGraph) -> None:
    """The seven documented data sources exist with Swedish and English labels."""
    names = ["kolada", "scb", "folkhalsomyndigheten", "svenskt-naringsliv", "skr", "bra", "local"]
    for name in names:
        assert set(vocabulary.labels(REF[f"source/{name}"])) == {"sv", "en"}
    assert _count(vocabulary, "?x a gg:DataSource") == len(names)
