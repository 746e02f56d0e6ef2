"""The command line says so when nothing is there: --version, --lang anywhere, empty answers."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goalgraph import load
from goalgraph.cli import _lang_first, app
from goalgraph.query_library import unmatched

EXAMPLES = Path(__file__).parent.parent / "examples"
VETLANDA = str(EXAMPLES / "vetlanda" / "vetlanda.ttl")
VAGGERYD = str(EXAMPLES / "vaggeryd" / "vaggeryd.ttl")
runner = CliRunner()


def test_version_prints_the_installed_version() -> None:
    """goalgraph --version prints the package's version and exits 0."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"goalgraph {version('goalgraph')}"


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "en", "trace", "KFN-1", VETLANDA],
        ["trace", "--lang", "en", "KFN-1", VETLANDA],
        ["trace", "KFN-1", VETLANDA, "--lang=en"],
    ],
    ids=["before", "after", "last"],
)
def test_lang_is_accepted_before_or_after_the_command(args: list[str]) -> None:
    """--lang en gives English labels wherever it stands."""
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "committee goal KFN-1" in result.output
    assert "nämndmål" not in result.output


@pytest.mark.parametrize("args", [["--lang", "en", "validate"], ["validate", "--lang", "en"]])
def test_validate_takes_lang_before_or_after(args: list[str]) -> None:
    """validate's own --lang and the group's give the same English report."""
    result = runner.invoke(app, [*args, VETLANDA, "--fail-on", "never"])
    assert result.exit_code == 0
    assert "warnings: " in result.output
    assert "varningar: " not in result.output


def test_a_wrong_lang_after_the_command_is_refused() -> None:
    """--lang xx after the command is an option error (exit 2), as before it."""
    result = runner.invoke(app, ["trace", "KFN-1", VETLANDA, "--lang", "xx"])
    assert result.exit_code == 2
    assert "sv or en" in result.output


def test_lang_after_double_dash_is_left_alone() -> None:
    """Arguments after -- are never read as --lang."""
    commands = {"trace": type("C", (), {"params": []})()}
    args = ["trace", "--", "--lang", "en"]
    assert _lang_first(args, commands) == args
    assert _lang_first(["trace", "x", "--lang", "en"], commands) == ["--lang", "en", "trace", "x"]


def test_trace_ids_are_case_insensitive() -> None:
    """trace kfn-1 traces KFN-1."""
    result = runner.invoke(app, ["trace", "kfn-1", VETLANDA])
    assert result.exit_code == 0
    assert "nämndmål KFN-1" in result.output


def test_trace_asks_for_a_kommun_when_an_id_repeats() -> None:
    """KFN-1 is in Vetlanda and Vaggeryd: exit 2 naming --kommun; with --kommun 0665 Vaggeryd's."""
    ambiguous = runner.invoke(app, ["trace", "KFN-1", VETLANDA, VAGGERYD])
    assert ambiguous.exit_code == 2
    assert "--kommun" in ambiguous.output
    chosen = runner.invoke(app, ["trace", "kfn-1", "--kommun", "0665", VETLANDA, VAGGERYD])
    assert chosen.exit_code == 0
    assert "Fler unga deltar i föreningsliv" in chosen.output


def test_impact_takes_a_kommun() -> None:
    """impact kf1 --kommun 0685 lists Vetlanda's nämnd goals; 0180 is an error naming it."""
    ok = runner.invoke(app, ["impact", "kf1", "--kommun", "0685", VETLANDA, VAGGERYD])
    assert ok.exit_code == 0
    assert "Fler mötesplatser för unga" in ok.output
    missing = runner.invoke(app, ["impact", "KF1", "--kommun", "0180", VETLANDA])
    assert missing.exit_code == 2
    assert "0180" in missing.output


@pytest.mark.parametrize("command", [["coverage"], ["grid"], ["status"]])
def test_kommun_options_name_an_unknown_or_absent_kommun(command: list[str]) -> None:
    """coverage, grid and status: 9999 and Stockholm (0180) are errors naming the code."""
    for code in ("9999", "0180"):
        result = runner.invoke(app, [*command, "--kommun", code, VETLANDA])
        assert result.exit_code == 2, result.output
        assert code in result.output
    assert runner.invoke(app, [*command, "--kommun", "0685", VETLANDA]).exit_code == 0


def test_validate_without_goal_data_is_not_success(tmp_path: Path) -> None:
    """An empty folder gives a distinct warning and exit 1, not '✓ Inga fel hittades'."""
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "Inga måldata hittades" in result.output
    assert "Inga fel hittades" not in result.output


def test_validate_without_goal_data_honours_fail_on_never(tmp_path: Path) -> None:
    """--fail-on never still exits 0 but still warns; a file of unrelated triples warns too."""
    other = tmp_path / "other.nt"
    other.write_text('<http://x/a> <http://x/b> "c" .\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(other), "--fail-on", "never", "--lang", "en"])
    assert result.exit_code == 0
    assert "No goal data found" in result.output


def test_validate_with_goal_data_gives_no_such_warning() -> None:
    """Vetlanda's data is validated as usual, without the no-goal-data warning."""
    result = runner.invoke(app, ["validate", VETLANDA, "--fail-on", "never"])
    assert "Inga måldata" not in result.output
    assert "varningar: " in result.output


def test_query_parameter_matching_nothing_says_so() -> None:
    """target=99.9 exists nowhere: exit 2 naming it; target=1.1 is real: '(inga rader)', exit 0."""
    wrong = runner.invoke(app, ["query", "goals-for-sdg-target", "-p", "target=99.9", VETLANDA])
    assert wrong.exit_code == 2
    assert "target=99.9" in wrong.output
    real = runner.invoke(app, ["query", "goals-for-sdg-target", "-p", "target=1.1", VETLANDA])
    assert real.exit_code == 0
    assert "(inga rader)" in real.output


def test_unmatched_names_only_values_found_nowhere() -> None:
    """unmatched lists a code absent from data and reference data, never a real one."""
    graph = load(VETLANDA)
    assert unmatched(graph, "goals-for-sdg-target", {"target": "99.9"}) == ["target"]
    assert unmatched(graph, "goals-for-sdg-target", {"target": "11.7", "kommun": "0685"}) == []
    assert unmatched(graph, "goals-for-sdg-target", {"target": "11.7", "kommun": "0001"}) == [
        "kommun"
    ]


def _commands() -> list[list[str]]:
    names = [[c.name or c.callback.__name__] for c in app.registered_commands if c.callback]
    for group in app.registered_groups:
        if group.typer_instance is not None:
            names += [
                [group.name or "", c.name or c.callback.__name__]
                for c in group.typer_instance.registered_commands
                if c.callback
            ]
    return [n for n in names if all(n)]


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_help_names_lang(command: list[str]) -> None:
    """Each command's --help lists --lang, as its own option or as the group's."""
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "--lang" in result.output
