"""The on-disk cache of SHACL-SPARQL query analyses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from goalgraph.errors import ShapesError
from goalgraph.validation import _sparql_prebinding
from goalgraph.validation._analysis_cache import AnalysisCache
from goalgraph.validation._sparql_prebinding import parse

SOURCE = Path(__file__).parents[1] / "src"
QUERY = "SELECT $this WHERE { $this <urn:p> ?o FILTER(?o > 1) }"


def test_a_stored_analysis_is_read_back_by_a_new_cache(tmp_path: Path) -> None:
    """An analysis put in one cache object is found by another reading the same file."""
    first = AnalysisCache(tmp_path / "c.json", code=b"x")
    key = first.key(QUERY, frozenset({"this"}))
    anchors = ((("s", "urn:p"),), (("a", "urn:C"), ("s", "urn:q")))
    first.put(key, ("this",), True, anchors)
    assert AnalysisCache(tmp_path / "c.json", code=b"x").get(key) == (("this",), True, anchors)


def test_other_code_or_prebound_variables_give_other_keys(tmp_path: Path) -> None:
    """The key changes with the analysing code and with the pre-bound variables."""
    cache = AnalysisCache(tmp_path / "c.json", code=b"x")
    key = cache.key(QUERY, frozenset({"this"}))
    assert AnalysisCache(tmp_path / "c.json", code=b"y").key(QUERY, frozenset({"this"})) != key
    assert cache.key(QUERY, frozenset({"this", "value"})) != key


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        '{"k": [["this"], "yes", []]}',
        '{"k": [["this"], true]}',  # an entry of an older version, without anchors
        '{"k": [["this"], true, [["s", "urn:p"]]]}',  # an alternative must be a list of pairs
    ],
)
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
    assert cache.get("k") == (("this",), False, ())
    assert list(tmp_path.iterdir()) == [blocker]


def test_two_writers_keep_each_others_analyses(tmp_path: Path) -> None:
    """A cache that read the file before another wrote to it keeps the other's entry."""
    path = tmp_path / "c.json"
    first, second = AnalysisCache(path, code=b"x"), AnalysisCache(path, code=b"x")
    assert first.get("a") is None and second.get("b") is None  # both have read the empty file
    first.put("a", ("this",), True)
    second.put("b", ("this", "value"), False)
    third = AnalysisCache(path, code=b"x")
    assert third.get("a") == (("this",), True, ())
    assert third.get("b") == (("this", "value"), False, ())


# One writer process: waits for the go file, then stores *count* analyses under its own prefix,
# one cache object for the whole run as in a long-lived worker process.
_WRITER = """
import sys, time
from pathlib import Path
from goalgraph.validation._analysis_cache import AnalysisCache
path, prefix, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
cache = AnalysisCache(path, code=b"x")
(path.parent / f"{prefix}.ready").touch()
while not (path.parent / "go").exists():
    time.sleep(0.005)
for n in range(count):
    cache.put(f"{prefix}{n}", (prefix, str(n)), n % 2 == 0)
"""


def _stored(key: str) -> tuple[tuple[str, ...], bool, tuple[()]]:
    """What the writer process of :data:`_WRITER` stored under *key*."""
    return (key[0], key[1:]), int(key[1:]) % 2 == 0, ()


def test_two_processes_writing_at_once_never_tear_the_file(tmp_path: Path) -> None:
    """Two processes storing analyses at once: the file always parses, holding their entries."""
    path, count = tmp_path / "c.json", 150
    env = {**os.environ, "PYTHONPATH": str(SOURCE)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), prefix, str(count)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for prefix in ("a", "b")
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"{p}.ready").exists() for p in "ab"):
        assert time.monotonic() < deadline, "the writer processes did not start"
        assert all(w.poll() is None for w in writers), "a writer process ended early"
        time.sleep(0.01)
    (tmp_path / "go").touch()
    reads = 0
    while any(w.poll() is None for w in writers):
        assert time.monotonic() < deadline, "the writer processes did not finish"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        assert isinstance(json.loads(text), dict)  # never half a file
        reads += 1
    for writer in writers:
        _, errors = writer.communicate()
        assert writer.returncode == 0, errors.decode()
    stored = json.loads(path.read_text(encoding="utf-8"))
    cache = AnalysisCache(path, code=b"x")
    # a store racing the other's read-then-rename may drop an entry (analysed again next
    # time), but whatever is there is what its writer stored
    assert stored and all(cache.get(key) == _stored(key) for key in stored)
    assert {key[0] for key in stored} == {"a", "b"}
    assert reads > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ready", "b.ready", "c.json", "go"]


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
