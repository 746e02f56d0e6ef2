"""The store on disk: load once, read without parsing, replace and unload sources atomically."""

from __future__ import annotations

import doctest
import inspect
import json
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import goalgraph as gg
from goalgraph.errors import LoadError, StoreError, UnknownTermError
from goalgraph.store import disk, push, saved_results, source_graphs
from goalgraph.store.disk import load_sources, open_store, stored_sources, unload_sources

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
#: One RDF file and two CSV folders: both kinds of source, three kommuner.
SOURCES = (
    EXAMPLES / "vetlanda" / "vetlanda.ttl",
    EXAMPLES / "vaggeryd" / "csv",
    EXAMPLES / "norberg" / "csv",
)


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the three examples; read it, never change it."""
    folder = tmp_path_factory.mktemp("examples") / "store"
    load_sources(folder, *SOURCES)
    return folder


def _triples(graph: gg.GoalGraph) -> set[str]:
    return {str(t) for t in graph.triples(("data",)) if "_:" not in str(t)}


def test_validate_on_a_store_gives_the_report_from_files(example_store: Path) -> None:
    """Validating the stored examples gives exactly the report of validating the files."""
    stored = gg.validate(open_store(example_store))
    from_files = gg.validate(gg.load(*SOURCES))
    assert stored.to_json() == from_files.to_json()
    assert len(stored.results) > 0


def test_analysis_on_a_store_gives_the_results_from_files(example_store: Path) -> None:
    """Coverage, trace and impact on the store equal their results on the files."""
    stored, files = open_store(example_store), gg.load(*SOURCES)
    # the same content; JSON objects may list their keys in another order
    assert json.loads(gg.coverage(stored, "sdg").to_json()) == json.loads(
        gg.coverage(files, "sdg").to_json()
    )
    assert (
        gg.trace(stored, "KFN-1", kommun="0685").explain()
        == gg.trace(files, "KFN-1", kommun="0685").explain()
    )
    assert gg.impact(stored, "KFN-1", kommun="0685").equals(
        gg.impact(files, "KFN-1", kommun="0685")
    )


def test_spreadsheet_rows_are_kept_in_the_store(example_store: Path) -> None:
    """Where each spreadsheet item came from survives in the store, so findings name rows."""
    stored = open_store(example_store)
    assert stored.sources == gg.load(*SOURCES).sources
    assert any(row.row > 1 for row in stored.sources.values())


def test_each_source_sits_in_a_named_graph_of_its_own(example_store: Path) -> None:
    """The store lists one named graph per source, named after the source's resolved path."""
    held = stored_sources(example_store)
    assert [s.path for s in held] == [p.resolve() for p in SOURCES]
    assert [s.graph for s in held] == [source_graphs.source_graph(p).value for p in SOURCES]
    store = open_store(example_store).store
    for source in held:
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(source.graph))
        assert sum(1 for _ in quads) == source.triples > 0


def test_an_opened_store_cannot_be_changed(example_store: Path) -> None:
    """Adding to or clearing an opened store raises a StoreError naming the store."""
    graph = open_store(example_store)
    with pytest.raises(StoreError, match=str(example_store)):
        graph.add([])
    with pytest.raises(StoreError):
        graph.clear("data")
    assert len(graph) == len(gg.load(*SOURCES))


def test_loading_a_source_again_replaces_its_triples(tmp_path: Path) -> None:
    """A changed file loaded again replaces its old triples instead of adding to them."""
    source = tmp_path / "goals.ttl"
    source.write_text(
        "@prefix gg: <https://w3id.org/goalgraph/ontology#> .\n"
        "<urn:a> a gg:Vision ; gg:x [ gg:y 1 ] .",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    load_sources(store, source)
    load_sources(store, source)
    assert len(open_store(store)) == 3  # the blank node's triples are not doubled
    source.write_text(
        "@prefix gg: <https://w3id.org/goalgraph/ontology#> .\n<urn:b> a gg:Vision .",
        encoding="utf-8",
    )
    load_sources(store, source)
    graph = open_store(store)
    assert _triples(graph) == _triples(gg.load(source))
    assert len(graph) == 1


def test_unload_removes_a_source_but_keeps_what_another_source_also_says(tmp_path: Path) -> None:
    """Unloading one file keeps a triple that another loaded file also holds."""
    shared = "<urn:s> <urn:p> <urn:o> .\n"
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    first.write_text(shared + "<urn:a> <urn:p> <urn:o> .\n", encoding="utf-8")
    second.write_text(shared, encoding="utf-8")
    store = tmp_path / "store"
    load_sources(store, first, second)
    left = unload_sources(store, first)
    assert [s.path for s in left] == [second.resolve()]
    assert _triples(open_store(store)) == _triples(gg.load(second))


def test_unload_of_a_folder_removes_every_source_below_it(tmp_path: Path) -> None:
    """Unloading a folder removes each file loaded from it; nothing else."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.nt").write_text("<urn:a> <urn:p> <urn:o> .\n", encoding="utf-8")
    (folder / "b.nt").write_text("<urn:b> <urn:p> <urn:o> .\n", encoding="utf-8")
    other = tmp_path / "c.nt"
    other.write_text("<urn:c> <urn:p> <urn:o> .\n", encoding="utf-8")
    store = tmp_path / "store"
    assert len(load_sources(store, folder, other)) == 3
    assert [s.path for s in unload_sources(store, folder)] == [other.resolve()]


def test_unloading_an_unknown_source_names_the_loaded_ones(example_store: Path) -> None:
    """An unknown source is an error listing what the store holds; nothing is removed."""
    with pytest.raises(UnknownTermError, match=r"vetlanda\.ttl") as caught:
        unload_sources(example_store, "nowhere.ttl")
    assert "nowhere.ttl" in str(caught.value)
    assert len(stored_sources(example_store)) == 3


def test_a_bad_source_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """When one source of a load is malformed, nothing of that load reaches the store."""
    good, bad = tmp_path / "good.nt", tmp_path / "bad.ttl"
    good.write_text("<urn:a> <urn:p> <urn:o> .\n", encoding="utf-8")
    bad.write_text("<urn:a> <urn:p> .\n", encoding="utf-8")
    store = tmp_path / "store"
    load_sources(store, EXAMPLES / "vetlanda" / "vetlanda.ttl")
    before = (store / disk.MARKER).read_text(encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad\.ttl"):
        load_sources(store, good, bad)
    assert (store / disk.MARKER).read_text(encoding="utf-8") == before
    assert len(list(store.glob("generation-*"))) == 1
    assert len(stored_sources(store)) == 1


def test_a_failed_first_load_leaves_a_folder_that_can_still_become_a_store(tmp_path: Path) -> None:
    """A first load that fails leaves no store behind, and the next load can create it."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:p> .\n", encoding="utf-8")
    store = tmp_path / "store"
    with pytest.raises(LoadError):
        load_sources(store, bad)
    with pytest.raises(StoreError, match=r"goalgraph-store\.json"):
        open_store(store)
    assert len(load_sources(store, EXAMPLES / "vetlanda" / "vetlanda.ttl")) == 1


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    """A folder with other files is neither opened nor turned into a store; it is left alone."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match=str(tmp_path)):
        open_store(tmp_path)
    with pytest.raises(StoreError, match=r"ingen goalgraph-lagring"):
        load_sources(tmp_path, EXAMPLES / "vetlanda" / "vetlanda.ttl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_marker_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    """A goalgraph-store.json that is not JSON, or not a goalgraph store's, is refused."""
    (tmp_path / disk.MARKER).write_text("{broken", encoding="utf-8")
    with pytest.raises(StoreError, match=disk.MARKER):
        open_store(tmp_path)
    (tmp_path / disk.MARKER).write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(StoreError, match=disk.MARKER):
        stored_sources(tmp_path)


def test_a_store_whose_files_were_tampered_with_is_refused(tmp_path: Path) -> None:
    """A marker naming a folder outside the store, or a sources.json not ours, is refused."""
    store = tmp_path / "store"
    load_sources(store, EXAMPLES / "vetlanda" / "vetlanda.ttl")
    marker = json.loads((store / disk.MARKER).read_text(encoding="utf-8"))
    (store / marker["current"] / "sources.json").write_text('{"sources": [{}]}', "utf-8")
    with pytest.raises(StoreError, match=r"sources\.json"):
        open_store(store)
    with pytest.raises(StoreError, match=r"sources\.json"):
        load_sources(store, EXAMPLES / "norberg" / "csv")
    (store / disk.MARKER).write_text(json.dumps({**marker, "current": ".."}), "utf-8")
    with pytest.raises(StoreError, match=r"goalgraph-store\.json"):
        unload_sources(store, EXAMPLES / "vetlanda" / "vetlanda.ttl")


def test_opening_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    """A store folder that does not exist is an error naming it and the load command."""
    with pytest.raises(StoreError, match="goalgraph load"):
        open_store(tmp_path / "nothing")


def test_a_store_locked_by_another_writer_is_refused(tmp_path: Path) -> None:
    """While another process holds the write lock, a load fails at once and changes nothing."""
    store = tmp_path / "store"
    load_sources(store, EXAMPLES / "vetlanda" / "vetlanda.ttl")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"f = open({str(store / '.lock')!r}, 'a+'); fcntl.flock(f, fcntl.LOCK_EX)\n"
            "f.write('pid test-holder'); f.flush(); print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match="test-holder"):
            load_sources(store, EXAMPLES / "norberg" / "csv")
        assert len(open_store(store)) > 0  # reading works meanwhile
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    assert len(stored_sources(store)) == 1


def test_a_reader_keeps_its_view_while_another_process_writes(tmp_path: Path) -> None:
    """A graph opened before a load in another process still reads the store as it was."""
    store = tmp_path / "store"
    load_sources(store, EXAMPLES / "vetlanda" / "vetlanda.ttl")
    reader = open_store(store)
    before = len(reader)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from goalgraph.store.disk import load_sources; "
            "load_sources(sys.argv[1], sys.argv[2])",
            str(store),
            str(EXAMPLES / "norberg" / "csv"),
        ]
    )
    while writer.poll() is None:  # read all the while the other process writes
        assert len(reader) == before
        time.sleep(0.05)
    assert writer.returncode == 0
    assert len(reader) == before
    assert len(open_store(store)) > before


def test_a_store_with_another_vocabulary_must_be_refreshed(tmp_path: Path) -> None:
    """A store holding another version's vocabulary is refused until a load refreshes it."""
    store = tmp_path / "store"
    load_sources(store, EXAMPLES / "vetlanda" / "vetlanda.ttl")
    current = store / json.loads((store / disk.MARKER).read_text(encoding="utf-8"))["current"]
    registry = json.loads((current / "sources.json").read_text(encoding="utf-8"))
    registry["vocabulary"] = "0" * 64
    (current / "sources.json").write_text(json.dumps(registry), encoding="utf-8")
    with pytest.raises(StoreError, match="goalgraph load --store"):
        open_store(store)
    load_sources(store)
    assert open_store(store).count("vocabulary") == gg.load().count("vocabulary")


FILES = [f"<urn:s{i}> <urn:p> <urn:o{i % 2}> .\n_:b <urn:q> <urn:o{i}> .\n" for i in range(3)]


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 2)), min_size=1, max_size=4))
def test_the_data_graph_is_always_the_union_of_the_loaded_sources(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[bool, int]]
) -> None:
    """After any sequence of loads and unloads, the store reads as the loaded files read."""
    folder = tmp_path_factory.mktemp("union")
    paths = [folder / f"f{i}.nt" for i in range(3)]
    for path, text in zip(paths, FILES, strict=True):
        path.write_text(text, encoding="utf-8")
    store, loaded = folder / "store", set[int]()
    load_sources(store)
    for is_load, index in steps:
        if is_load:
            load_sources(store, paths[index])
            loaded.add(index)
        elif index in loaded:
            unload_sources(store, paths[index])
            loaded.discard(index)
    graph = open_store(store)
    expected = gg.load(*(paths[i] for i in sorted(loaded)))
    assert _triples(graph) == _triples(expected)
    assert len(graph) == len(expected)


@pytest.mark.parametrize("module", [disk, source_graphs, push, saved_results])
def test_public_functions_have_an_example_and_say_what_they_raise(module: ModuleType) -> None:
    """Each public function of the store modules has a >>> example and a :raises: line."""
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isfunction(value):
            doc = inspect.getdoc(value) or ""
            assert ">>>" in doc and ":raises" in doc, f"{module.__name__}.{name}"


@pytest.mark.parametrize("module", [disk, source_graphs, push, saved_results])
def test_docstring_examples_pass(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """The runnable examples in the store modules' docstrings pass (from the checkout's root)."""
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    ("lang", "words", "foreign"),
    [
        ("sv", ["saknas", "inte goalgraphs", "inte en mapp"], ["no ", "is not", "not a folder"]),
        ("en", ["no goalgraph-store.json", "is not goalgraph's", "not a folder"], ["saknas"]),
    ],
)
def test_why_a_folder_is_not_a_store_is_said_in_the_users_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: list[str], foreign: list[str]
) -> None:
    """The reason inside "not a store" (no marker, a foreign marker, not a folder) is in the
    language of the rest of the message."""
    monkeypatch.setenv("GOALGRAPH_LANG", lang)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("mine", encoding="utf-8")
    foreign_marker = tmp_path / "foreign"
    foreign_marker.mkdir()
    (foreign_marker / disk.MARKER).write_text('{"format": "other"}', encoding="utf-8")
    file = tmp_path / "file.txt"
    file.write_text("x", encoding="utf-8")
    said = []
    for folder in (empty, foreign_marker, file):
        with pytest.raises(StoreError) as caught:
            open_store(folder)
        said.append(str(caught.value))
    for text, word in zip(said, words, strict=True):
        assert word in text
        assert not any(f in text.split("(", 1)[1].split(")", 1)[0] for f in foreign)
