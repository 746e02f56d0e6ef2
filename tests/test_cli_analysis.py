"""The analysis commands: trace, coverage, grid, impact, structure, queries, infer, consistency."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pandas as pd
import typer.main
from typer.testing import CliRunner

from goalgraph.cli import app
from support import run_cli

MINI = str(Path(__file__).parent / "data" / "analysis" / "mini.ttl")
COMMANDS = [
    "trace",
    "coverage",
    "grid",
    "impact",
    "structure",
    "query",
    "queries",
    "infer",
    "consistency",
]
runner = CliRunner()


def test_every_analysis_command_is_registered_with_help() -> None:
    """Each analysis command exists and has help text."""
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in COMMANDS:
        assert name in commands
        assert commands[name].help


def test_trace_prints_explanations_with_inferred_sdg_target() -> None:
    """goalgraph trace KFN-1 prints the path to SDG 11.7 through the delstrategi, marked härlett."""
    result = runner.invoke(app, ["trace", "KFN-1", MINI])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "Agenda 2030-delmål 11.7" in x)
    assert "delstrategi A-LEVA-1" in line
    assert line.endswith("(härlett, gg:tracesToSDG; illustrativt)")


def test_trace_in_english_and_as_json() -> None:
    """--lang en gives English; --format json gives one object per path under "paths"."""
    result = runner.invoke(app, ["--lang", "en", "trace", "KFN-1", MINI, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["paths"]
    assert any(
        r["status"] == "inferred" and r["explanation"].startswith("committee goal") for r in rows
    )


def test_unknown_or_ambiguous_goal_exits_2_listing_candidates() -> None:
    """An ambiguous name gives a one-paragraph message with the candidates and exit code 2."""
    result = run_cli("trace", "V", MINI)
    assert result.returncode == 2
    assert "0685/vision/V" in result.stderr and "1962/vision/V" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run_cli("impact", "KF9", MINI)
    assert missing.returncode == 2 and "KF1" in missing.stderr


def test_coverage_as_csv_matrix_and_json_document() -> None:
    """coverage --by perspective writes the matrix as CSV, or everything as JSON."""
    result = runner.invoke(
        app, ["coverage", "--by", "perspective", "--kommun", "0685", "--format", "csv", MINI]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(StringIO(result.output), index_col=0)
    assert list(frame.columns) == ["Bo", "Leva", "Verka"]
    assert frame.loc["KFN-1 Fler mötesplatser för unga (illustrativt)", "Leva"] == 1
    document = json.loads(
        runner.invoke(app, ["coverage", "--by", "rus", "-f", "json", MINI]).output
    )
    assert document["dimension"] == "rus" and document["gaps"]


def test_coverage_gaps_section_as_table() -> None:
    """--show gaps prints the items no goal reaches."""
    result = runner.invoke(app, ["coverage", "--by", "riktning", "--show", "gaps", MINI])
    assert result.exit_code == 0, result.output
    assert "NYTANKANDE" in result.output


def test_coverage_refuses_an_unknown_dimension() -> None:
    """--by colour is a usage error (exit code 2)."""
    result = runner.invoke(app, ["coverage", "--by", "colour", MINI])
    assert result.exit_code == 2


def test_grid_counts_delstrategier() -> None:
    """goalgraph grid prints the riktning × perspective counts."""
    result = runner.invoke(app, ["grid", MINI, "--kommun", "0685", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "Den attraktiva kommunen,1,1,0" in result.output


def test_impact_lists_dependent_goals() -> None:
    """goalgraph impact KF1 lists KFN-1 and KFN-2."""
    result = runner.invoke(app, ["impact", "KF1", MINI, "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "goal/KFN-1" in result.output and "goal/KFN-2" in result.output


def test_structure_shows_orphans_and_hubs() -> None:
    """--show orphans lists BUN-2; --show hubs ranks KF1 first or second."""
    orphans = runner.invoke(app, ["structure", MINI])
    assert "BUN-2" in orphans.output
    hubs = runner.invoke(app, ["structure", "--show", "hubs", MINI, "-f", "json"])
    rows = json.loads(hubs.output)["rows"]
    assert {r["identifier"] for r in rows[:2]} == {"KF1", "A-LEVA-1"}
    assert runner.invoke(app, ["structure", "--show", "nope", MINI]).exit_code == 2


def test_query_with_parameters_and_formats() -> None:
    """goalgraph query binds --param values and prints CSV."""
    result = runner.invoke(
        app, ["query", "goals-for-sdg-target", "--param", "target=11.7", MINI, "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(StringIO(result.output), dtype=str)
    assert list(frame["goalId"]) == ["KFN-1", "KFN-2"]


def test_query_with_a_hostile_parameter_answers_nothing() -> None:
    """A parameter crafted to inject SPARQL is a plain value that matches nothing, and says so."""
    result = runner.invoke(
        app, ["query", "goals-per-kommun", "-p", 'kommun=0685" } } #', MINI, "-f", "json"]
    )
    assert result.exit_code == 2, result.output
    error = json.loads(result.output)  # under -f json the error is JSON too
    assert error["kind"] == "unknown_term_error" and error["term"] == '0685" } } #'
    assert 'kommun=0685" } } # ' in error["message"]
    assert "SPARQL" not in error["message"]


def test_query_errors_exit_2() -> None:
    """A missing parameter, a malformed --param and an unknown query all exit with code 2."""
    assert run_cli("query", "goals-for-sdg-target", MINI).returncode == 2
    assert runner.invoke(app, ["query", "goals", "-p", "nonsense", MINI]).exit_code == 2
    unknown = run_cli("query", "no-such-query", MINI)
    assert unknown.returncode == 2 and "sdg-coverage" in unknown.stderr


def test_query_on_an_unreachable_endpoint_names_it() -> None:
    """--endpoint with nothing listening exits 2 naming the URL."""
    result = run_cli("query", "goals", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "2")
    assert result.returncode == 2
    assert "http://127.0.0.1:9/query" in result.stderr


def test_queries_lists_names_and_descriptions() -> None:
    """goalgraph queries lists each named query with its Swedish description."""
    result = runner.invoke(app, ["queries"])
    assert result.exit_code == 0
    assert "sdg-coverage-compare  (kommun_a, kommun_b)" in result.output
    assert "Agenda 2030-täckning" in result.output
    listed = runner.invoke(app, ["--lang", "en", "queries", "-f", "json"])
    rows = json.loads(listed.output)["rows"]
    assert any(r["name"] == "goal-trace" and r["description"].startswith("Every") for r in rows)


def test_infer_writes_the_inferred_triples(tmp_path: Path) -> None:
    """goalgraph infer -o writes Turtle holding the derived SDG link and none of the input."""
    out = tmp_path / "inferred.ttl"
    result = runner.invoke(app, ["infer", MINI, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "tracesToSDG" in text
    assert "dcterms:identifier" not in text and "identifier" not in text


def test_infer_refuses_an_unknown_engine() -> None:
    """--engine pellet is a usage error."""
    assert runner.invoke(app, ["infer", MINI, "--engine", "pellet"]).exit_code == 2


def test_consistency_reports_and_sets_exit_code(tmp_path: Path) -> None:
    """A consistent graph exits 0; a goal of two disjoint kinds exits 1 and is named."""
    ok = runner.invoke(app, ["consistency", MINI])
    assert ok.exit_code == 0 and "konsistenta" in ok.output
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "<https://w3id.org/goalgraph/id/0685/goal/X> a "
        "<https://w3id.org/goalgraph/ontology#CouncilGoal> , "
        "<https://w3id.org/goalgraph/ontology#CommitteeGoal> .\n",
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["consistency", str(broken)])
    assert bad.exit_code == 1
    assert "goal/X" in bad.output


def test_importing_goalgraph_leaves_the_heavy_analysis_libraries_unloaded() -> None:
    """networkx, pandas, owlrl, owlready2, SPARQLWrapper load only when an analysis needs them."""
    code = (
        "import sys, goalgraph; "
        "print(sorted(m for m in ('networkx', 'pandas', 'owlrl', 'owlready2', 'SPARQLWrapper') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_an_empty_table_says_so() -> None:
    """A command with no rows prints "(inga rader)" rather than an empty table."""
    result = runner.invoke(app, ["grid", MINI, "--kommun", "1962"])
    assert result.exit_code == 0
    assert result.output.strip() == "(inga rader)"


def test_coverage_of_namnd_goals_only() -> None:
    """--kind CommitteeGoal keeps the nämnd goals in the matrix."""
    result = runner.invoke(
        app,
        [
            "coverage",
            "--by",
            "perspective",
            "--kind",
            "CommitteeGoal",
            "--show",
            "matrix",
            "-f",
            "csv",
            MINI,
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(StringIO(result.output), index_col=0)
    assert len(frame) == 4
