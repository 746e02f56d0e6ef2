"""The generated term list: a row per term, Markdown and HTML pages, docs/vocabulary.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalgraph import LoadError
from goalgraph.namespace import GG
from goalgraph.vocabulary import Term, render, terms

DOCS = Path(__file__).parent.parent / "docs" / "vocabulary.md"
FRAGMENTS = Path(__file__).parent / "data" / "health"


def test_every_namespace_term_except_the_data_structure_has_a_row() -> None:
    """terms() lists every class and property that GG names (gg:indicatorStructure is neither)."""
    names = {row.name for row in terms()}
    assert names == set(GG.__annotations__) - {"indicatorStructure"}


def test_rows_come_grouped_by_kind_and_sorted_by_name() -> None:
    """Classes come first, then object properties, then datatype properties, each sorted."""
    rows = terms()
    kinds = [row.kind for row in rows]
    assert kinds == sorted(kinds, key=["class", "object property", "datatype property"].index)
    for kind in ("class", "object property", "datatype property"):
        names = [row.name for row in rows if row.kind == kind]
        assert names == sorted(names)


def test_every_row_has_labels_and_definitions_in_both_languages() -> None:
    """Every row carries sv and en labels and definitions."""
    for row in terms():
        assert row.label_sv and row.label_en and row.definition_sv and row.definition_en, row.name


def test_class_row_shows_super_classes_and_alt_labels() -> None:
    """A class row lists its super-classes and Swedish alternative labels."""
    row = next(r for r in terms() if r.name == "CouncilGoal")
    assert row == Term(
        iri=str(GG.CouncilGoal),
        name="CouncilGoal",
        kind="class",
        label_sv="KF-mål",
        label_en="council goal",
        definition_sv=row.definition_sv,
        definition_en=row.definition_en,
        alt_labels_sv=("kommunfullmäktiges mål", "övergripande mål"),
        parents=("gg:Goal",),
    )
    assert row.curie == "gg:CouncilGoal"


def test_property_row_shows_union_domain_range_chains_and_characteristics() -> None:
    """A property row expands owl:unionOf domains and ranges and lists its property chains."""
    rows = {r.name: r for r in terms()}
    sdg = rows["tracesToSDG"]
    assert sdg.domain == ("gg:GoalElement", "gg:Indicator")
    assert sdg.range == ("sdgo:Goal", "sdgo:Target", "sdgo:Indicator")
    assert ("gg:supportsSubStrategy", "gg:contributesToSDG") in sdg.property_chains
    assert rows["tracesTo"].characteristics == ("transitive",)
    assert rows["tracesTo"].inverse_of == "gg:tracedFrom"
    assert rows["municipalityCode"].range == ("xsd:string",)
    assert rows["contributesToGoal"].parents == ("gg:anchoredInGoal", "gg:tracesTo")


def test_terms_of_a_missing_file_raise_load_error(tmp_path: Path) -> None:
    """Reading an ontology file that does not exist raises LoadError."""
    with pytest.raises(LoadError):
        terms(source=tmp_path / "missing.ttl")


def test_terms_of_another_file_are_read_from_it() -> None:
    """A given ontology file is read instead of the shipped one."""
    rows = terms(source=FRAGMENTS / "term-label-en-violation.ttl")
    assert [(r.name, r.label_sv, r.label_en) for r in rows] == [("Broken", "trasig", "")]


def test_checked_in_docs_page_is_the_generated_text() -> None:
    """docs/vocabulary.md equals what `goalgraph vocabulary` generates; regenerate it if not."""
    assert DOCS.read_text(encoding="utf-8") == render(format="markdown"), (
        "run: goalgraph vocabulary -o docs/vocabulary.md"
    )


def test_markdown_lists_every_term_with_both_labels() -> None:
    """The Markdown page has a section per term with its sv and en label and definition."""
    page = render()
    for row in terms():
        assert f'<a id="{row.kind.replace(" ", "-")}-{row.name}"></a>{row.curie}' in page
        assert row.definition_en in page


def test_markdown_cells_escape_pipes() -> None:
    """A '|' in a label does not break the Markdown table."""
    row = Term("https://w3id.org/goalgraph/ontology#X", "X", "class", "a|b", "c", "d", "e")
    assert "a\\|b" in render([row])


def test_html_page_escapes_markup() -> None:
    """The HTML page is a complete document and escapes label text."""
    row = Term("https://w3id.org/goalgraph/ontology#X", "X", "class", "<b>", "c", "d", "e")
    page = render([row], format="html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "&lt;b&gt;" in page and "<b>" not in page


def test_unknown_format_raises_value_error() -> None:
    """A format other than markdown or html raises ValueError."""
    with pytest.raises(ValueError, match="pdf"):
        render(format="pdf")  # type: ignore[arg-type]
