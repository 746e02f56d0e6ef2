"""The on-disk cache of SHACL-SPARQL query analyses."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalgraph.errors import ShapesError
from goalgraph.validation import _sparql_prebinding
from goalgraph.validation._analysis_cache import AnalysisCache
from goalgraph.validation._sparql_prebinding import parse

QUERY = "SELECT $this WHERE { $this <urn:p> ?o FILTER(?o > 1) }"


def test_a_stored_analysis_is_read_back_by_a_new_cache(tmp_path: Path) -> None:
    """An analysis put in one cache object is found by another reading the same file."""
    first = AnalysisCache(tmp_path / "c.json", code=b"x")
    key = first.key(QUERY, frozenset({"this"}))
    first.put(key, ("this",), True)
    assert AnalysisCache(tmp_path / "c.json", code=b"x").get(key) == (("this",), True)


def test_other_code_or_prebound_variables_give_other_keys(tmp_path: Path) -> None:
    """The key changes with the analysing code and with the pre-bound variables."""
    cache = AnalysisCache(tmp_path / "c.json", code=b"x")
    key = cache.key(QUERY, frozenset({"this"}))
    assert AnalysisCache(tmp_path / "c.json", code=b"y").key(QUERY, frozenset({"this"})) != key
    assert cache.key(QUERY, frozenset({"this", "value"})) != key


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"k": [["this"], "yes"]}'])
def test_a_broken_cache_file_counts_as_empty(tmp_path: Path, content: str) -> None:
    """Unreadable JSON, a wrong shape or a wrongly typed entry is a miss, not an error."""
    path = tmp_path / "c.json"
    path.write_text(content, encoding="utf-8")
    assert AnalysisCache(path, code=b"x").get("k") is None


def test_an_unwritable_cache_folder_is_ignored(tmp_path: Path) -> None:
    """When the cache cannot be written, put() leaves nothing behind and raises nothing."""
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    cache = AnalysisCache(blocker / "sub" / "c.json", code=b"x")
    cache.put("k", ("this",), False)
    assert cache.get("k") == (("this",), False)
    assert list(tmp_path.iterdir()) == [blocker]


def test_parse_uses_the_cache_and_never_caches_a_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second parse is answered from disk; a query breaking a restriction is refused each time."""
    cache = AnalysisCache(tmp_path / "c.json", code=b"test")
    monkeypatch.setattr(_sparql_prebinding, "_CACHE", cache)
    parse.cache_clear()
    first = parse(QUERY, frozenset({"this"}), "ex:S")
    parse.cache_clear()
    calls: list[str] = []
    monkeypatch.setattr(
        _sparql_prebinding,
        "_analyse",
        lambda *args: calls.append("analysed"),  # type: ignore[func-returns-value]
    )
    assert parse(QUERY, frozenset({"this"}), "ex:S") == first
    assert calls == []
    bad = "SELECT $this WHERE { $this <urn:p> ?o MINUS { $this <urn:q> ?o } }"
    for _ in range(2):
        with pytest.raises(ShapesError):
            parse(bad, frozenset({"this"}), "ex:S")
    parse.cache_clear()
