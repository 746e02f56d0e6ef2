"""A store on disk keeps its validation results: read when their key matches, never stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import goalgraph
from goalgraph.cli import app
from goalgraph.store import saved_results
from goalgraph.store.disk import _writer, load_sources, open_store, unload_sources
from goalgraph.validation import ValidationReport
from goalgraph.validation._validate import shapes_graph

EXAMPLES = Path(__file__).parent.parent / "examples"
VETLANDA = EXAMPLES / "vetlanda" / "vetlanda.ttl"
SOURCES = (VETLANDA, EXAMPLES / "vaggeryd" / "csv", EXAMPLES / "norberg" / "csv")
#: A shapes file of the user's own: every goal needs a comment (the examples have none).
_EXTRA = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix gg: <https://w3id.org/goalgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:x:CommentShape> a sh:NodeShape ; sh:targetClass gg:Goal ;
  sh:property [ sh:path rdfs:comment ; sh:minCount {count} ; sh:severity sh:Info ] .
"""
runner = CliRunner()


def _rows(report: ValidationReport) -> list[dict[str, Any]]:
    return [result.to_dict() for result in report.results]


def _records(folder: Path) -> list[Path]:
    return sorted((open_store(folder).generation / saved_results.FOLDER).glob("*.json"))


def _drop_one_saved_result(record: Path) -> None:
    """Remove one result from a saved record (key kept), so a test can see it was read."""
    data = json.loads(record.read_text(encoding="utf-8"))
    data["results"] = data["results"][1:]
    record.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def from_files() -> ValidationReport:
    """The report of the three examples validated from their files."""
    return goalgraph.validate(goalgraph.load(*SOURCES))


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    """A store holding the three examples, no results saved yet."""
    folder = tmp_path / "store"
    load_sources(folder, *SOURCES)
    return folder


def test_saved_fresh_and_from_files_reports_are_the_same(
    store: Path, from_files: ValidationReport
) -> None:
    """The first validate saves the results; the next reads them; both equal the files' report."""
    assert _records(store) == []
    cold = goalgraph.validate(open_store(store))
    assert len(_records(store)) == 1
    warm = goalgraph.validate(open_store(store))
    fresh = goalgraph.validate(open_store(store), recheck=True)
    assert _rows(cold) == _rows(warm) == _rows(fresh) == _rows(from_files)
    assert len(from_files.results) > 0
    english = goalgraph.validate(goalgraph.load(*SOURCES), lang="en")
    assert _rows(goalgraph.validate(open_store(store), lang="en")) == _rows(english)


def test_a_warm_validate_reads_the_saved_results(store: Path) -> None:
    """A saved record whose key matches is what validate returns (the checks do not run)."""
    full = goalgraph.validate(open_store(store))
    _drop_one_saved_result(_records(store)[0])
    assert len(goalgraph.validate(open_store(store)).results) == len(full.results) - 1
    assert len(goalgraph.validate(open_store(store), recheck=True).results) == len(full.results)
    assert len(goalgraph.validate(open_store(store)).results) == len(full.results)


def test_a_changed_shapes_file_gives_a_fresh_report(store: Path, tmp_path: Path) -> None:
    """Editing an extra shapes file changes the key: the report follows the new shapes."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(_EXTRA.replace("{count}", "1"), encoding="utf-8")
    first = goalgraph.validate(open_store(store), extra_shapes=[extra])
    _drop_one_saved_result(_records(store)[0])
    extra.write_text(_EXTRA.replace("{count}", "0"), encoding="utf-8")
    second = goalgraph.validate(open_store(store), extra_shapes=[extra])
    expected = goalgraph.validate(goalgraph.load(*SOURCES), extra_shapes=[extra])
    assert _rows(second) == _rows(expected)
    assert len(first.results) > len(second.results)


@pytest.mark.slow
def test_another_engine_gives_a_fresh_report(store: Path) -> None:
    """The engine is part of the key: pyshacl's report is computed by pyshacl, not read."""
    goalgraph.validate(open_store(store), lang="en")
    _drop_one_saved_result(_records(store)[0])
    report = goalgraph.validate(open_store(store), lang="en", engine="pyshacl")
    expected = goalgraph.validate(goalgraph.load(*SOURCES), lang="en", engine="pyshacl")
    assert report.engine == "pyshacl"
    assert _rows(report) == _rows(expected)


def test_other_code_gives_a_fresh_report(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new goalgraph version or changed validation code changes the key."""
    full = goalgraph.validate(open_store(store))
    _drop_one_saved_result(_records(store)[0])
    monkeypatch.setattr(saved_results, "_code_digest", lambda: "another version")
    assert _rows(goalgraph.validate(open_store(store))) == _rows(full)


@pytest.mark.parametrize("recheck", [True, False])
def test_loading_a_new_source_gives_a_fresh_report(tmp_path: Path, recheck: bool) -> None:
    """After a load (re-checked or not), the report is that of the new content, never the old."""
    folder = tmp_path / "store"
    load_sources(folder, VETLANDA)
    goalgraph.validate(open_store(folder))
    load_sources(folder, *SOURCES[1:], recheck=recheck)
    assert (len(_records(folder)) == 1) is recheck  # the load saved results, or none
    report = goalgraph.validate(open_store(folder))
    assert _rows(report) == _rows(goalgraph.validate(goalgraph.load(*SOURCES)))


@pytest.mark.parametrize("recheck", [True, False])
def test_unloading_a_source_gives_a_fresh_report(store: Path, recheck: bool) -> None:
    """After an unload (re-checked or not), the report is that of what is left."""
    goalgraph.validate(open_store(store))
    unload_sources(store, EXAMPLES / "norberg" / "csv", recheck=recheck)
    assert (len(_records(store)) == 1) is recheck
    report = goalgraph.validate(open_store(store))
    assert _rows(report) == _rows(goalgraph.validate(goalgraph.load(*SOURCES[:2])))


def test_a_reload_of_a_changed_file_is_rechecked(tmp_path: Path) -> None:
    """Loading a changed version of a file saves the results of its new content."""
    source = tmp_path / "vetlanda.ttl"
    shutil.copy(VETLANDA, source)
    folder = tmp_path / "store"
    load_sources(folder, source)
    before = goalgraph.validate(open_store(folder))
    with source.open("a", encoding="utf-8") as handle:  # a goal with nothing but its type
        handle.write("\n<https://w3id.org/goalgraph/id/0685/goal/NEW> a gg:Goal .\n")
    load_sources(folder, source)
    after = goalgraph.validate(open_store(folder))
    assert _rows(after) == _rows(goalgraph.validate(goalgraph.load(source)))
    assert len(after.results) > len(before.results)


def test_a_reader_that_is_not_the_only_writer_never_saves(store: Path) -> None:
    """While another process holds the write lock, validate reads but writes no results."""
    with _writer(store):
        report = goalgraph.validate(open_store(store))
    assert _records(store) == []
    assert len(report.results) > 0


def test_a_graph_of_an_older_generation_never_saves(store: Path) -> None:
    """A graph opened before a load validates its own generation and writes nothing there."""
    old = open_store(store)
    load_sources(store, VETLANDA)
    report = goalgraph.validate(old)
    assert not (old.generation / saved_results.FOLDER).exists()
    assert _rows(report) == _rows(goalgraph.validate(goalgraph.load(*SOURCES)))


def test_a_damaged_record_is_computed_again(store: Path) -> None:
    """A saved record that is not JSON counts as none: the checks run and save it anew."""
    full = goalgraph.validate(open_store(store))
    record = _records(store)[0]
    record.write_text("{not json", encoding="utf-8")
    assert _rows(goalgraph.validate(open_store(store))) == _rows(full)
    assert json.loads(record.read_text(encoding="utf-8"))["key"] == record.stem


def test_blank_shape_nodes_are_named_alike_in_every_parse() -> None:
    """The fingerprint of a blank shape node is the same when the shapes are parsed again."""
    from rdflib import BNode
    from rdflib.namespace import SH

    graph = shapes_graph()
    names = saved_results._fingerprints(graph)
    assert set(names.values()) == set(saved_results._fingerprints(shapes_graph()).values())
    shapes = [
        node
        for predicate in (SH.property, SH.sparql)
        for node in graph.objects(None, predicate)
        if isinstance(node, BNode)
    ]
    assert shapes and all(names[node] is not None for node in shapes)


def test_blank_nodes_that_cannot_be_told_apart_have_no_fingerprint() -> None:
    """Two blank nodes with the same triples in the same place share a fingerprint: none."""
    import rdflib

    graph = rdflib.Graph()
    parent, predicate = rdflib.URIRef("urn:x:parent"), rdflib.URIRef("urn:x:p")
    for _ in range(2):
        graph.add((parent, predicate, rdflib.BNode()))
    assert list(saved_results._fingerprints(graph).values()) == [None, None]


def test_validate_recheck_on_the_command_line(store: Path) -> None:
    """validate --store --recheck runs the checks again and prints the same report."""
    args = ["validate", "--format", "json", "--fail-on", "never", "--store", str(store)]
    cold = runner.invoke(app, args)
    _drop_one_saved_result(_records(store)[0])
    rechecked = runner.invoke(app, [*args, "--recheck"])
    warm = runner.invoke(app, args)
    assert cold.exit_code == rechecked.exit_code == warm.exit_code == 0, cold.output
    assert cold.stdout == rechecked.stdout == warm.stdout


@pytest.mark.parametrize(("options", "saved"), [([], 0), (["--no-recheck"], 0), (["--recheck"], 1)])
def test_load_rechecks_on_the_command_line_only_when_asked(
    store: Path, options: list[str], saved: int
) -> None:
    """load leaves the new generation without saved results unless --recheck is given."""
    goalgraph.validate(open_store(store))
    result = runner.invoke(app, ["load", "--store", str(store), *options, str(VETLANDA)])
    assert result.exit_code == 0, result.output
    assert len(_records(store)) == saved


def test_a_shapes_file_that_cannot_be_read_is_a_load_error(store: Path, tmp_path: Path) -> None:
    """The key reads every shapes file; one that is gone is a LoadError naming it."""
    from goalgraph.errors import LoadError

    gone = tmp_path / "gone.ttl"
    with pytest.raises(LoadError, match=r"gone\.ttl"):
        saved_results.results_key(open_store(store), [gone], "auto")
