"""Bilingual messages and label choice."""

from __future__ import annotations

import re
import string
import tomllib

import pytest

from goalgraph.i18n import LANGUAGES, default_lang, message, pick_label
from goalgraph.resources import package_dir


def test_default_language_is_swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without GOALGRAPH_LANG the language is sv."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)
    assert default_lang() == "sv"


@pytest.mark.parametrize(
    ("env", "expected"), [("en", "en"), ("sv", "sv"), ("fr", "sv"), ("", "sv")]
)
def test_environment_chooses_the_language(
    monkeypatch: pytest.MonkeyPatch, env: str, expected: str
) -> None:
    """GOALGRAPH_LANG=en switches to English; anything unknown falls back to Swedish."""
    monkeypatch.setenv("GOALGRAPH_LANG", env)
    assert default_lang() == expected


def test_message_fills_placeholders_in_the_chosen_language() -> None:
    """message() returns the text in the language asked for, with values filled in."""
    assert message("load.not_found", lang="sv", path="x.ttl").startswith("Filen finns inte: x.ttl")
    assert message("load.not_found", lang="en", path="x.ttl").startswith("File not found: x.ttl")


def test_message_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without lang, message() uses GOALGRAPH_LANG."""
    monkeypatch.setenv("GOALGRAPH_LANG", "en")
    assert message("load.xml_entity").startswith("The RDF/XML file")


def test_unknown_message_key_raises_key_error() -> None:
    """A key in no catalogue is a programming error: KeyError."""
    with pytest.raises(KeyError):
        message("load.no_such_message")


def test_every_catalogue_entry_has_swedish_and_english_with_the_same_placeholders() -> None:
    """Each message of every catalogue has sv and en texts using the same {placeholders}."""
    catalogues = sorted((package_dir() / "messages").glob("*.toml"))
    assert catalogues
    for path in catalogues:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
        for name, texts in table.items():
            assert set(LANGUAGES) <= set(texts), f"{path.name}: {name}"
            fields = [
                {f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f}
                for lang in LANGUAGES
            ]
            assert fields[0] == fields[1], f"{path.name}: {name}"


@pytest.mark.parametrize(
    ("labels", "lang", "expected"),
    [
        ({"sv": "mål", "en": "goal"}, "en", "goal"),
        ({"sv": "mål", "en": "goal"}, "sv", "mål"),
        ({"en": "goal"}, "sv", "goal"),
        ({"": "untagged"}, "en", "untagged"),
        ({"fr": "objectif"}, "sv", "objectif"),
        ({}, "sv", None),
    ],
)
def test_pick_label_prefers_the_language_then_falls_back(
    labels: dict[str, str], lang: str, expected: str | None
) -> None:
    """pick_label() takes the asked language, else sv, en, untagged, any, else None."""
    assert pick_label(labels, lang) == expected


def _catalogue_texts() -> list[tuple[str, str, str]]:
    """(key, language, template) of every message of every catalogue."""
    found = []
    for path in sorted((package_dir() / "messages").glob("*.toml")):
        with path.open("rb") as handle:
            for name, texts in tomllib.load(handle).items():
                found += [(f"{path.stem}.{name}", lang, texts[lang]) for lang in LANGUAGES]
    return found


@pytest.mark.parametrize(
    ("key", "values", "sv", "en"),
    [
        (
            "store.unloaded",
            {"count": 1, "path": "lager", "total": 1},
            "Tog bort 1 källa ur lager; lagringen har nu 1 källa.",
            "Removed 1 source from lager; the store now holds 1 source.",
        ),
        (
            "store.unloaded",
            {"count": 2, "path": "lager", "total": 0},
            "Tog bort 2 källor ur lager; lagringen har nu 0 källor.",
            "Removed 2 sources from lager; the store now holds 0 sources.",
        ),
        (
            "store.loaded",
            {"count": 1, "triples": 1, "path": "lager", "total": 3},
            "Läste in 1 källa (1 tripel) i lager; lagringen har nu 3 källor.",
            "Loaded 1 source (1 triple) into lager; the store now holds 3 sources.",
        ),
        ("errors.problems", {"count": 1}, "1 fel:", "1 problem:"),
        ("errors.problems", {"count": 4}, "4 fel:", "4 problems:"),
        ("report.finding_count", {"count": 1}, "1 brist", "1 finding"),
        ("report.finding_count", {"count": 5}, "5 brister", "5 findings"),
        (
            "report.heatmap_caption",
            {"reached": 1, "total": 3},
            "Antal mål; 1 av 3 rader nås av minst ett mål.",
            "Number of goals; 1 of 3 rows is reached by at least one goal.",
        ),
        ("validation.count", {"count": 1}, "1 st", "1 item"),
    ],
)
def test_a_count_agrees_with_its_noun_in_both_languages(
    key: str, values: dict[str, int], sv: str, en: str
) -> None:
    """A message that carries a count says "1 källa" / "1 source" and "2 källor" / "2 sources"."""
    assert (message(key, "sv", **values), message(key, "en", **values)) == (sv, en)


def test_a_counted_field_refuses_a_value_that_is_not_a_number() -> None:
    """{count:one|other} with words instead of a number is a programming error: TypeError."""
    with pytest.raises(TypeError, match="count"):
        message("errors.problems", "en", count="one")
    assert message("errors.problems", "en", count="1") == "1 problem:"


def test_every_count_in_the_catalogues_reads_right_for_one_and_for_many() -> None:
    """No "(s)" shortcut anywhere, and every {name:one|other} gives a one and an other form."""
    counted = 0
    for key, lang, template in _catalogue_texts():
        assert not re.search(r"(?<!http)\(s\)", template), f"{key} [{lang}] uses (s)"
        fields = list(string.Formatter().parse(template))
        specs = {name: spec for _, name, spec, _ in fields if name and spec and "|" in spec}
        for name, spec in specs.items():
            counted += 1
            assert spec.count("|") == 1 and all(spec.split("|")), f"{key} [{lang}]: {spec}"
            names = {field for _, field, _, _ in fields if field}
            filled = {field: 7 for field in names}
            one, other = spec.split("|")
            assert one in message(key, lang, **{**filled, name: 1})
            assert other in message(key, lang, **{**filled, name: 2})
    assert counted >= 20
