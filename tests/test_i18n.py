"""Bilingual messages and label choice."""

from __future__ import annotations

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
