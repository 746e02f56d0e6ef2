"""The command line: help, the core commands, the vocabulary command and error handling."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from goalgraph.cli import app
from support import run_cli

DATA = Path(__file__).parent / "data" / "loading"
runner = CliRunner()


def _commands() -> dict[str, Any]:
    group = typer.main.get_command(app)
    commands: dict[str, Any] = group.commands  # type: ignore[attr-defined]
    return dict(commands)


def test_help_lists_the_commands() -> None:
    """`goalgraph --help` lists every registered command, convert, info and vocabulary included."""
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("convert", "info", "vocabulary", *_commands()):
        assert name in result.output


def test_every_command_has_help_text() -> None:
    """Each registered command has a help text and its own --help works."""
    for name, command in _commands().items():
        assert (command.help or "").strip(), name
        assert runner.invoke(app, [name, "--help"]).exit_code == 0, name


def test_convert_writes_turtle_to_stdout() -> None:
    """convert prints the data of a file as Turtle."""
    result = runner.invoke(app, ["convert", str(DATA / "good.ttl")])
    assert result.exit_code == 0
    assert "gg:Goal" in result.output and "@prefix gg:" in result.output


def test_convert_writes_json_ld_to_a_file(tmp_path: Path) -> None:
    """convert --to json-ld -o FILE writes a JSON-LD document."""
    target = tmp_path / "out.jsonld"
    result = runner.invoke(
        app, ["convert", str(DATA / "good.ttl"), "--to", "json-ld", "-o", str(target)]
    )
    assert result.exit_code == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert "https://example.org/good" in json.dumps(document)


def test_convert_rejects_an_unknown_target_format() -> None:
    """convert --to pdf is a usage error (exit 2)."""
    result = runner.invoke(app, ["convert", str(DATA / "good.ttl"), "--to", "pdf"])
    assert result.exit_code == 2


def test_info_counts_triples_and_classes() -> None:
    """info prints the triple count and items per class, labelled in Swedish by default."""
    result = runner.invoke(app, ["info", str(DATA / "roundtrip.ttl")])
    assert result.exit_code == 0
    assert "triples: 15" in result.output and "KF-mål: 1" in result.output


def test_bad_file_gives_exit_2_and_a_message_without_traceback() -> None:
    """A malformed file ends with exit code 2 and a one-paragraph message naming the file."""
    result = run_cli("convert", str(DATA / "malformed.ttl"))
    assert result.returncode == 2
    assert "malformed.ttl, rad 6, kolumn 1:" in result.stderr and "line" not in result.stderr
    assert "Traceback" not in result.stderr
    assert "Syntaxfel" in result.stderr


def test_lang_en_switches_the_message() -> None:
    """--lang en gives the same error in English."""
    result = run_cli("--lang", "en", "convert", str(DATA / "malformed.ttl"))
    assert result.returncode == 2
    assert "Syntax error" in result.stderr and "Traceback" not in result.stderr
    assert "malformed.ttl, line 6, column 1:" in result.stderr


def test_unknown_language_is_a_usage_error() -> None:
    """--lang fr is refused."""
    result = runner.invoke(app, ["--lang", "fr", "convert", str(DATA / "good.ttl")])
    assert result.exit_code == 2


def test_vocabulary_prints_the_markdown_page() -> None:
    """`goalgraph vocabulary` prints the same page as docs/vocabulary.md."""
    result = runner.invoke(app, ["vocabulary"])
    assert result.exit_code == 0
    docs = Path(__file__).parent.parent / "docs" / "vocabulary.md"
    assert result.stdout == docs.read_text(encoding="utf-8")


def test_vocabulary_writes_html_to_a_file(tmp_path: Path) -> None:
    """`goalgraph vocabulary --format html -o FILE` writes an HTML page and says so."""
    target = tmp_path / "vocabulary.html"
    result = runner.invoke(
        app, ["--lang", "en", "vocabulary", "--format", "html", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Wrote the term list" in result.stderr


def test_vocabulary_rejects_an_unknown_format() -> None:
    """An unknown --format is a usage error whose message follows the language."""
    result = runner.invoke(app, ["vocabulary", "--format", "pdf"])
    assert result.exit_code == 2
    assert "markdown eller html" in result.output


def test_every_command_turns_a_goalgraph_error_into_exit_2_in_process() -> None:
    """Run in-process, a command given a malformed file exits 2 with the message, no exception."""
    result = runner.invoke(app, ["convert", str(DATA / "malformed.ttl")])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "malformed.ttl" in result.output and "Syntaxfel" in result.output
