"""The follow-up commands: goalgraph status and goalgraph compare."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import typer.main
from typer.testing import CliRunner

from goalgraph.cli import app
from support import run_cli

DATA = Path(__file__).parent / "data" / "followup"
CHAIN = str(DATA / "chain.ttl")
COMPARE = str(DATA / "compare.ttl")
VAGGERYD = str(Path(__file__).parent.parent / "examples" / "vaggeryd" / "csv")
runner = CliRunner()


def test_status_and_compare_are_registered_with_help() -> None:
    """Both commands exist and say what they do."""
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in ("status", "compare"):
        assert commands[name].help


def test_status_text_is_swedish_by_default() -> None:
    """The text report opens with the scope line and lists goals, indicators and findings."""
    result = runner.invoke(app, ["status", CHAIN, "--kommun", "0685"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Uppföljning för Vetlanda kommun (0685), alla år")
    assert "Nyckeltal (4)" in result.output and "Iakttagelser (2)" in result.output


def test_status_in_english() -> None:
    """--lang en before the command gives English."""
    result = runner.invoke(app, ["--lang", "en", "status", CHAIN])
    assert result.exit_code == 0
    assert "Follow-up for all municipalities" in result.output
    assert "Own processing of data from Kolada." in result.output


def test_status_json_is_the_report() -> None:
    """--format json prints the whole report as JSON."""
    result = runner.invoke(app, ["status", CHAIN, "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {row["indicator_id"]: row["status"] for row in data["indicators"]}["I2"] == "on-track"


def test_status_csv_of_a_chosen_table() -> None:
    """--format csv --table goals prints the goals table as CSV."""
    result = runner.invoke(app, ["status", CHAIN, "--format", "csv", "--table", "goals"])
    assert result.exit_code == 0
    frame = pd.read_csv(StringIO(result.output), dtype=str, keep_default_na=False)
    assert frame.set_index("goal_id").loc["KS1", "forecast"] == "achieved"


def test_status_at_a_reporting_point_with_rule_and_year() -> None:
    """--at, --rule and --year reach the library; a CSV spreadsheet folder is read too."""
    result = runner.invoke(
        app, ["status", VAGGERYD, "--at", "DR-2019-04", "--rule", "mean-score", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["at"], data["year"], data["rule"]) == ("DR-2019-04", 2019, "mean-score")
    assert {f["code"] for f in data["findings"]} == {"missing-forecast"}


def test_status_explain_prints_the_explanation() -> None:
    """--explain GOAL prints what decided the goal's status."""
    result = runner.invoke(app, ["status", CHAIN, "--explain", "N1"])
    assert result.exit_code == 0
    assert result.output.startswith("nämndmål N1 «Fler företag»: på väg att nås")
    assert "← nyckeltal I1" in result.output


def test_status_writes_results_with_provenance(tmp_path: Path) -> None:
    """-o writes the results with PROV as Turtle that parses back."""
    out = tmp_path / "status.ttl"
    result = runner.invoke(app, ["status", CHAIN, "-o", str(out), "-f", "json"])
    assert result.exit_code == 0
    triples = list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    assert any(t.object.value.endswith("#IndicatorProgress") for t in triples)


def test_status_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    """-o naming an input file is a usage error (exit 2) and the input stays."""
    source = tmp_path / "chain.ttl"
    source.write_text(Path(CHAIN).read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["status", str(source), "-o", str(source)])
    assert result.exit_code == 2
    assert source.read_text(encoding="utf-8") == Path(CHAIN).read_text(encoding="utf-8")


def test_status_unknown_kommun_exits_2_with_a_message_naming_it() -> None:
    """An unknown --kommun is exit 2 with one paragraph naming the code, no traceback."""
    result = run_cli("status", CHAIN, "--kommun", "0699")
    assert result.returncode == 2
    assert "0699" in result.stderr and "Traceback" not in result.stderr


def test_status_unknown_reporting_point_and_goal_exit_2() -> None:
    """An unknown --at or --explain goal is exit 2 naming it."""
    for args in (["--at", "DR-1999"], ["--explain", "KF9"]):
        result = runner.invoke(app, ["status", CHAIN, *args])
        assert result.exit_code == 2
        assert args[1] in result.output


def test_status_bad_options_exit_2() -> None:
    """An unknown --format, --table or --rule is a usage error."""
    for args in (["--format", "xml"], ["--table", "nope"], ["--rule", "best"]):
        assert runner.invoke(app, ["status", CHAIN, *args]).exit_code == 2


def test_status_bad_input_file_exits_2(tmp_path: Path) -> None:
    """A file that does not parse is exit 2 naming the file."""
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    result = run_cli("status", str(broken))
    assert result.returncode == 2 and "broken.ttl" in result.stderr


def test_compare_prints_kommuner_side_by_side_with_ranks() -> None:
    """compare --rank shows one column per kommun, ranks and the Kolada credit."""
    result = runner.invoke(
        app, ["compare", "--kommun", "0685", "--kommun", "1962", "--rank", COMPARE]
    )
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0]
    assert "0685" in header and "1962" in header
    assert "[1/2]" in result.output
    assert result.output.rstrip().endswith("Egen bearbetning av data från Kolada.")


def test_compare_csv_excel_and_json() -> None:
    """compare writes the long table as csv-excel (BOM, ';') and as JSON."""
    result = runner.invoke(
        app, ["compare", "--kommun", "0685", "--kommun", "1962", COMPARE, "-f", "csv-excel"]
    )
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfkey;")
    result = runner.invoke(app, ["compare", "--kommun", "1962", COMPARE, "-f", "json"])
    assert json.loads(result.output)["kommuner"] == ["1962"]


def test_compare_needs_a_known_kommun() -> None:
    """compare without --kommun, or with an unknown one, exits 2."""
    assert runner.invoke(app, ["compare", COMPARE]).exit_code == 2
    result = run_cli("compare", "--kommun", "0699", COMPARE)
    assert result.returncode == 2 and "0699" in result.stderr
