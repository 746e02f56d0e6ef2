"""The store commands (load, unload) and --store / --endpoint on every read command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from goalgraph.cli import app
from goalgraph.store.disk import load_sources, stored_sources
from support import run_cli

EXAMPLES = Path(__file__).parent.parent / "examples"
SOURCES = (
    EXAMPLES / "vetlanda" / "vetlanda.ttl",
    EXAMPLES / "vaggeryd" / "csv",
    EXAMPLES / "norberg" / "csv",
)
#: Every read command with the arguments that make it print something on the examples.
READ_COMMANDS = {
    "validate": ["validate", "--format", "json", "--fail-on", "never"],
    "trace": ["trace", "KFN-1", "--kommun", "0685"],
    "coverage": ["coverage", "--by", "rus"],
    "grid": ["grid", "--kommun", "0685"],
    "impact": ["impact", "KFN-1", "--kommun", "0685"],
    "structure": ["structure", "--show", "hubs"],
    "query": ["query", "goals", "--format", "csv"],
    "status": ["status", "--kommun", "0685"],
    "compare": ["compare", "--kommun", "0685", "--kommun", "1962"],
    "info": ["info"],
}
runner = CliRunner()


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the three examples; read it, never change it."""
    folder = tmp_path_factory.mktemp("cli") / "store"
    load_sources(folder, *SOURCES)
    return folder


@pytest.mark.parametrize("name", sorted(READ_COMMANDS))
def test_a_read_command_on_a_store_prints_what_it_prints_for_the_files(
    name: str, example_store: Path
) -> None:
    """Each read command gives the same output and exit code with --store as with the files."""
    args = READ_COMMANDS[name]
    from_files = runner.invoke(app, [*args, *map(str, SOURCES)])
    from_store = runner.invoke(app, [*args, "--store", str(example_store)])
    assert from_files.exit_code in (0, 1), from_files.output
    assert from_store.exit_code == from_files.exit_code, from_store.output
    assert from_store.stdout == from_files.stdout
    assert from_store.stdout.strip()


def test_every_read_command_offers_store_and_endpoint() -> None:
    """The help of every read command shows both --store and --endpoint."""
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in [*READ_COMMANDS, "report", "consistency"]:
        options = {o for p in commands[name].params for o in p.opts}
        assert {"--store", "--endpoint"} <= options, name


def test_files_and_a_store_together_are_a_usage_error(example_store: Path) -> None:
    """Giving files and --store at once, or neither, is refused with exit code 2."""
    both = runner.invoke(app, ["coverage", str(SOURCES[0]), "--store", str(example_store)])
    assert both.exit_code == 2
    assert "--store" in both.output
    neither = runner.invoke(app, ["coverage"])
    assert neither.exit_code == 2
    assert "--store" in neither.output


def test_report_reads_a_store(example_store: Path, tmp_path: Path) -> None:
    """`report --store` writes the same page as `report` on the files."""
    pages = tmp_path / "store.html", tmp_path / "files.html"
    made = runner.invoke(app, ["report", "--store", str(example_store), "-o", str(pages[0])])
    assert made.exit_code == 0, made.output
    made = runner.invoke(app, ["report", *map(str, SOURCES), "-o", str(pages[1])])
    assert made.exit_code == 0, made.output
    # the pages differ only where they name their input: the store's folder, or the files
    stored, files = (
        re.sub(r"underlag: [^<]*", "", page.read_text(encoding="utf-8")) for page in pages
    )
    assert "<html" in stored
    assert stored == files


def test_load_and_unload_from_the_command_line(tmp_path: Path) -> None:
    """`goalgraph load` creates a store and `unload` removes a source, each saying what it did."""
    store = tmp_path / "store"
    loaded = run_cli("--lang", "en", "load", "--store", str(store), *map(str, SOURCES[:2]))
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded 2 sources" in loaded.stderr
    unloaded = run_cli("--lang", "en", "unload", str(SOURCES[0]), "--store", str(store))
    assert unloaded.returncode == 0, unloaded.stderr
    assert "Removed 1 source from" in unloaded.stderr
    assert "the store now holds 1 source." in unloaded.stderr
    assert [s.path for s in stored_sources(store)] == [SOURCES[1].resolve()]
    last = run_cli("--lang", "sv", "unload", str(SOURCES[1]), "--store", str(store))
    assert last.returncode == 0, last.stderr
    assert "Tog bort 1 källa ur" in last.stderr and "har nu 0 källor." in last.stderr


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("not-a-store", "not a goalgraph store"),
        ("missing", "does not exist"),
        ("bad-file", "Syntax error"),
    ],
)
def test_store_errors_are_one_paragraph_and_exit_code_2(
    setup: str, expected: str, tmp_path: Path
) -> None:
    """A folder that is not a store, a missing store, a bad file: a message, no traceback."""
    store = tmp_path / "store"
    if setup == "not-a-store":
        store.mkdir()
        (store / "x.txt").write_text("x", encoding="utf-8")
        done = run_cli("--lang", "en", "load", "--store", str(store), str(SOURCES[0]))
    elif setup == "missing":
        done = run_cli("--lang", "en", "validate", "--store", str(store))
    else:
        bad = tmp_path / "bad.ttl"
        bad.write_text("<urn:a> <urn:b> .", encoding="utf-8")
        done = run_cli("--lang", "en", "load", "--store", str(store), str(bad))
    assert done.returncode == 2
    assert expected in done.stderr
    assert str(store) in done.stderr or "bad.ttl" in done.stderr
    assert "Traceback" not in done.stderr
