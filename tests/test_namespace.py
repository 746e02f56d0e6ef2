"""The vocabulary as Python names (GG) and the IRI patterns (mint, kommun_iri, lan_iri)."""

from __future__ import annotations

import pytest
import rdflib

from goalgraph.loading import parse_file
from goalgraph.namespace import GG, ID, KINDS, REF, SDG, SDGO, kommun_iri, lan_iri, mint
from goalgraph.resources import ontology_file

GG_IRI = "https://w3id.org/goalgraph/ontology#"


def _ontology_terms() -> set[str]:
    return {
        t.subject.value[len(GG_IRI) :]
        for t in parse_file(ontology_file())
        if t.subject.value.startswith(GG_IRI)
    }


def _namespace_terms() -> set[str]:
    return set(GG.__annotations__)


def test_gg_and_the_ontology_list_exactly_the_same_terms() -> None:
    """Every term the ontology defines is in GG, and GG has no term the ontology lacks."""
    assert _namespace_terms() == _ontology_terms()


def test_term_comparison_would_catch_a_term_missing_from_gg() -> None:
    """The comparison above fails when one side has a term the other lacks."""
    assert _namespace_terms() - {"CommitteeGoal"} != _ontology_terms()


def test_known_term_gives_its_iri() -> None:
    """GG.CommitteeGoal is the ontology IRI of the committee goal class."""
    assert GG.CommitteeGoal == rdflib.URIRef(GG_IRI + "CommitteeGoal")
    assert GG["contributesToGoal"] == rdflib.URIRef(GG_IRI + "contributesToGoal")


@pytest.mark.parametrize("name", ["CommiteeGoal", "committeeGoal", "NoSuchTerm"])
def test_unknown_term_raises(name: str) -> None:
    """A misspelt term is an error, never a silently new IRI."""
    with pytest.raises(AttributeError, match=name):
        getattr(GG, name)


def test_namespaces_have_the_documented_iris() -> None:
    """SDG, SDGO, REF and ID are the IRIs of docs/modelling.md."""
    assert SDG["11.7"] == rdflib.URIRef("http://metadata.un.org/sdg/11.7")
    assert SDGO.Goal == rdflib.URIRef("http://metadata.un.org/sdg/ontology#Goal")
    assert REF["perspective/leva"] == rdflib.URIRef(
        "https://w3id.org/goalgraph/ref/perspective/leva"
    )
    assert str(ID) == "https://w3id.org/goalgraph/id/"


def test_kommun_and_lan_iris() -> None:
    """kommun_iri and lan_iri build the reference IRIs of a municipality and a county."""
    assert kommun_iri("0685") == rdflib.URIRef("https://w3id.org/goalgraph/ref/kommun/0685")
    assert lan_iri("19") == rdflib.URIRef("https://w3id.org/goalgraph/ref/lan/19")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("0665", "goal", "KF1"), "https://w3id.org/goalgraph/id/0665/goal/KF1"),
        (
            ("0685", "substrategy", "A-LEVA-1"),
            "https://w3id.org/goalgraph/id/0685/substrategy/A-LEVA-1",
        ),
        (
            ("1962", "target-level", "m_2.1"),
            "https://w3id.org/goalgraph/id/1962/target-level/m_2.1",
        ),
    ],
)
def test_mint_builds_stable_iris(args: tuple[str, str, str], expected: str) -> None:
    """mint() gives the same IRI for the same kommun, kind and local id."""
    assert mint(*args) == rdflib.URIRef(expected)
    assert mint(*args) == mint(*args)


@pytest.mark.parametrize(
    "args",
    [
        ("0665", "goal", "KF 1"),
        ("0665", "goal", "-KF1"),
        ("0665", "goal", "mål/1"),
        ("0665", "goal", ""),
        ("665", "goal", "KF1"),
        ("0665x", "goal", "KF1"),
        ("0665", "goal/x", "KF1"),
        ("0665", "", "KF1"),
        ("0665", "gaol", "KF1"),
        ("0665", "Goal", "KF1"),
    ],
)
def test_mint_rejects_bad_ids_kinds_and_codes(args: tuple[str, str, str]) -> None:
    """mint() refuses bad ids (spaces, slashes, non-ASCII, empty), unknown kinds, bad codes."""
    with pytest.raises(ValueError):
        mint(*args)


def test_every_kind_the_import_format_uses_can_be_minted() -> None:
    """Each kind the spreadsheet format mints or refers to is one of mint()'s kinds."""
    import yaml

    from goalgraph.resources import package_dir

    text = (package_dir() / "spreadsheet" / "format.yaml").read_text(encoding="utf-8")
    minted: set[str] = set()
    referred: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("kind"), str):
                minted.add(node["kind"])
            if isinstance(node.get("kinds"), list):
                referred.update(node["kinds"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load(text))
    assert minted and minted <= KINDS
    assert referred - {"any"} <= KINDS  # "any": a link may start from a row of any kind
