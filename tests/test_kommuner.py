"""The whole country in the reference data: 290 kommuner, 21 län, 21 regions and riket."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import rdflib
from typer.testing import CliRunner

from goalgraph import GoalGraph, SpreadsheetError
from goalgraph.cli import app
from goalgraph.namespace import GG, REF, kommun_iri, lan_iri, mint
from goalgraph.spreadsheet import convert, import_files
from goalgraph.spreadsheet._codes import reference_codes

# How many kommuner each län has (SCB; unchanged since Heby moved to Uppsala län in 2007).
KOMMUNER_PER_LAN = {
    "01": 26,
    "03": 8,
    "04": 9,
    "05": 13,
    "06": 13,
    "07": 8,
    "08": 12,
    "09": 1,
    "10": 5,
    "12": 33,
    "13": 6,
    "14": 49,
    "17": 16,
    "18": 12,
    "19": 10,
    "20": 15,
    "21": 10,
    "22": 7,
    "23": 8,
    "24": 15,
    "25": 14,
}

_KOMMUNER = """
SELECT ?kommun ?code ?county ?countyCode WHERE {
  ?kommun a gg:Municipality ; gg:municipalityCode ?code .
  OPTIONAL { ?kommun gg:inCounty ?county . OPTIONAL { ?county gg:countyCode ?countyCode } }
}
"""


def _kommuner(graph: GoalGraph) -> list[dict[str, str]]:
    return [{key: term.value for key, term in row.items()} for row in graph.select(_KOMMUNER)]


def _labels(graph: GoalGraph, iri: rdflib.URIRef, prop: str) -> list[tuple[str, str]]:
    rows = graph.select(
        f"SELECT ?s ?l WHERE {{ ?s {prop} ?l }}", bindings={"s": iri}, graphs=("vocabulary",)
    )
    return sorted((row["l"].value, row["l"].language or "") for row in rows)


def test_there_are_exactly_290_kommuner_and_21_lan(vocabulary: GoalGraph) -> None:
    """The reference data has every kommun of Sweden (290) and every län (21), no more."""
    kommuner = {row["kommun"] for row in _kommuner(vocabulary)}
    counties = vocabulary.select("SELECT DISTINCT ?c WHERE { ?c a gg:County }")
    assert len(kommuner) == 290
    assert len(counties) == 21


def test_kommun_codes_are_unique_and_name_their_iri(vocabulary: GoalGraph) -> None:
    """Each kommun has one four-digit code, no two share it, and its IRI is ref:kommun/<code>."""
    rows = _kommuner(vocabulary)
    codes = Counter(row["code"] for row in rows)
    assert len(rows) == 290 and set(codes.values()) == {1}
    for row in rows:
        assert len(row["code"]) == 4 and row["code"].isdigit()
        assert row["kommun"] == str(kommun_iri(row["code"]))


def test_every_kommun_is_in_one_lan_whose_code_starts_its_code(vocabulary: GoalGraph) -> None:
    """Each kommun lies in exactly one län, and the first two digits of its code are that län's."""
    rows = _kommuner(vocabulary)
    counties: dict[str, set[str]] = {}
    for row in rows:
        counties.setdefault(row["kommun"], set()).add(row.get("county", ""))
        assert row.get("countyCode") == row["code"][:2], row
    assert all(len(found) == 1 for found in counties.values())


def test_each_lan_has_its_number_of_kommuner(vocabulary: GoalGraph) -> None:
    """Stockholms län has 26 kommuner, Skåne 33, Västra Götaland 49, Gotland 1, and so on."""
    counts = Counter(row["countyCode"] for row in _kommuner(vocabulary))
    assert counts == KOMMUNER_PER_LAN


@pytest.mark.parametrize(
    ("code", "name", "label", "county"),
    [
        ("0114", "Upplands Väsby", "Upplands Väsby kommun", "01"),
        ("0180", "Stockholm", "Stockholms stad", "01"),
        ("0330", "Knivsta", "Knivsta kommun", "03"),
        ("0331", "Heby", "Heby kommun", "03"),
        ("0665", "Vaggeryd", "Vaggeryds kommun", "06"),
        ("0685", "Vetlanda", "Vetlanda kommun", "06"),
        ("0880", "Kalmar", "Kalmar kommun", "08"),
        ("0980", "Gotland", "Region Gotland", "09"),
        ("1280", "Malmö", "Malmö stad", "12"),
        ("1421", "Orust", "Orust kommun", "14"),
        ("1480", "Göteborg", "Göteborgs stad", "14"),
        ("1962", "Norberg", "Norbergs kommun", "19"),
        ("1980", "Västerås", "Västerås stad", "19"),
        ("2080", "Falun", "Falu kommun", "20"),
        ("2523", "Gällivare", "Gällivare kommun", "25"),
        ("2584", "Kiruna", "Kiruna kommun", "25"),
    ],
)
def test_well_known_kommuner_have_their_code_names_and_lan(
    vocabulary: GoalGraph, code: str, name: str, label: str, county: str
) -> None:
    """Spot checks of code, own name, SCB short name, English name and län of known kommuner."""
    iri = kommun_iri(code)
    assert vocabulary.labels(iri) == {"sv": label, "en": f"{name} Municipality"}
    assert _labels(vocabulary, iri, "skos:altLabel") == [(name, "sv")]
    rows = vocabulary.select(
        "SELECT ?k ?code ?c WHERE { ?k gg:inCounty ?c ; gg:municipalityCode ?code }",
        bindings={"k": iri, "code": rdflib.Literal(code)},
    )
    assert [row["c"].value for row in rows] == [str(lan_iri(county))]


def test_every_kommun_has_one_name_in_each_language_and_one_short_name(
    vocabulary: GoalGraph,
) -> None:
    """One rdfs:label in sv and en and one skos:altLabel (SCB's name) per kommun, en = name."""
    for row in _kommuner(vocabulary):
        iri = rdflib.URIRef(row["kommun"])
        labels = _labels(vocabulary, iri, "rdfs:label")
        (short, _), *rest = _labels(vocabulary, iri, "skos:altLabel")
        assert sorted(lang for _, lang in labels) == ["en", "sv"]
        assert not rest
        assert dict((lang, text) for text, lang in labels)["en"] == f"{short} Municipality"


def test_the_fourteen_stad_kommuner_keep_their_legal_name_as_hidden_label(
    vocabulary: GoalGraph,
) -> None:
    """Exactly 14 kommuner call themselves stad; each also knows its legal name «… kommun»."""
    rows = vocabulary.select(
        "SELECT ?k ?l ?hidden WHERE { ?k a gg:Municipality ; rdfs:label ?l ; "
        "skos:hiddenLabel ?hidden FILTER(LANG(?l) = 'sv' && STRENDS(?l, ' stad')) }"
    )
    assert len(rows) == 14
    for row in rows:
        assert row["hidden"].value == row["l"].value.removesuffix(" stad") + " kommun"


def test_every_lan_has_one_region(vocabulary: GoalGraph) -> None:
    """21 regions, one per län, at ref:region/<county code>."""
    rows = vocabulary.select(
        "SELECT ?r ?code WHERE { ?r a gg:Region ; gg:inCounty ?c . ?c gg:countyCode ?code }"
    )
    assert sorted((row["r"].value, row["code"].value) for row in rows) == [
        (str(REF[f"region/{code}"]), code) for code in sorted(KOMMUNER_PER_LAN)
    ]


@pytest.mark.parametrize(
    ("county", "name"),
    [
        ("01", "Region Stockholm"),
        ("04", "Region Sörmland"),
        ("06", "Region Jönköpings län"),
        ("08", "Region Kalmar län"),
        ("14", "Västra Götalandsregionen"),
        ("19", "Region Västmanland"),
        ("23", "Region Jämtland Härjedalen"),
    ],
)
def test_regions_have_their_own_names(vocabulary: GoalGraph, county: str, name: str) -> None:
    """Regions carry the names they use, e.g. Västra Götalandsregionen for län 14."""
    assert vocabulary.labels(REF[f"region/{county}"])["sv"] == name


def test_gotland_is_both_the_kommun_and_the_region_of_its_lan(vocabulary: GoalGraph) -> None:
    """Region Gotland is kommun 0980 and region 09 of Gotlands län, each saying so in a comment."""
    kommun, region = kommun_iri("0980"), REF["region/09"]
    assert vocabulary.labels(kommun)["sv"] == vocabulary.labels(region)["sv"] == "Region Gotland"
    assert _labels(vocabulary, kommun, "skos:hiddenLabel") == [("Gotlands kommun", "sv")]
    for iri, other in ((kommun, "ref:region/09"), (region, "ref:kommun/0980")):
        comments = _labels(vocabulary, iri, "rdfs:comment")
        assert sorted(lang for _, lang in comments) == ["en", "sv"]
        assert all(other in text for text, _ in comments)


def test_riket_is_a_country_with_koladas_code(vocabulary: GoalGraph) -> None:
    """ref:riket is gg:Country «Riket» / «Sweden» with notation 0000, not a kommun or län."""
    rows = vocabulary.select(
        "SELECT ?class ?c ?n WHERE { ?c a ?class ; skos:notation ?n }",
        bindings={"class": GG.Country},
    )
    assert [(row["c"].value, row["n"].value) for row in rows] == [(str(REF["riket"]), "0000")]
    assert vocabulary.labels(REF["riket"]) == {"sv": "Riket", "en": "Sweden"}
    types = vocabulary.select("SELECT ?t WHERE { ref:riket a ?t }")
    assert {row["t"].value for row in types} == {str(GG.Country)}


def test_riket_may_be_the_area_of_an_observation(vocabulary: GoalGraph) -> None:
    """gg:refArea's range admits kommun, län and riket, and nothing else of ours."""
    rows = vocabulary.select(
        "SELECT ?member WHERE { gg:refArea rdfs:range/owl:unionOf/rdf:rest*/rdf:first ?member }"
    )
    assert {row["member"].value for row in rows} == {
        str(GG.Municipality),
        str(GG.County),
        str(GG.Country),
    }


def test_exactly_the_290_codes_resolve_among_all_four_digit_codes() -> None:
    """Of 0000–9999 exactly the 290 kommun codes resolve, each to its own ref:kommun IRI."""
    codes = reference_codes()
    resolved = {f"{n:04d}": codes.kommun(f"{n:04d}") for n in range(10_000)}
    found = {code: iri for code, iri in resolved.items() if iri is not None}
    assert len(found) == 290
    assert all(iri == kommun_iri(code) for code, iri in found.items())
    assert "0000" not in found and "0999" not in found


@pytest.mark.parametrize(
    "name", ["Stockholm", "Stockholms stad", "Stockholms kommun", "stockholm", "0180"]
)
def test_a_kommun_can_be_written_by_code_name_or_legal_name(name: str) -> None:
    """The import resolves Stockholm by code, SCB name, own name or legal name."""
    assert reference_codes().kommun(name) == kommun_iri("0180")


def test_messages_use_the_short_name_of_a_kommun() -> None:
    """A message names kommun 0180 «Stockholm» and 1480 «Göteborg», and an unknown code as is."""
    codes = reference_codes()
    assert codes.kommun_name("0180") == "Stockholm"
    assert codes.kommun_name("1480") == "Göteborg"
    assert codes.kommun_name("0999") == "0999"


def _workbook(path: Path, kommun: str) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    metadata = book.create_sheet("Metadata")
    metadata.append(["kommunkod"])
    metadata.append([kommun])
    goals = book.create_sheet("Mål")
    goals.append(["id", "typ", "namn"])
    goals.append(["KF1", "KF-mål", "En attraktiv stad"])
    book.save(path)
    return path


def test_a_workbook_for_stockholm_imports(tmp_path: Path) -> None:
    """kommunkod 0180 imports: the goal gets Stockholm's IRIs and ref:kommun/0180."""
    graph = import_files(_workbook(tmp_path / "stockholm.xlsx", "0180"))
    rows = graph.select(
        "SELECT ?g ?k WHERE { ?g a gg:CouncilGoal ; gg:municipality ?k }",
        bindings={"g": mint("0180", "goal", "KF1")},
    )
    assert [row["k"].value for row in rows] == [str(kommun_iri("0180"))]


def test_a_workbook_for_an_unknown_kommun_code_is_refused(tmp_path: Path) -> None:
    """kommunkod 0999 is no kommun: the import fails naming the cell, the code and the fix."""
    with pytest.raises(SpreadsheetError) as caught:
        convert(_workbook(tmp_path / "okand.xlsx", "0999"))
    (message,) = (str(problem) for problem in caught.value.problems)
    assert "Metadata, rad 2, kolumn kommunkod" in message
    assert 'okänd kommun "0999"' in message and "fyrsiffriga kommunkoden" in message


def test_the_import_command_writes_stockholms_data(tmp_path: Path) -> None:
    """`goalgraph import` of a 0180 workbook exits 0 and writes Turtle about ref:kommun/0180."""
    target = tmp_path / "stockholm.ttl"
    source = _workbook(tmp_path / "stockholm.xlsx", "0180")
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    written = rdflib.Graph().parse(target)
    assert (mint("0180", "goal", "KF1"), GG.municipality, kommun_iri("0180")) in written
