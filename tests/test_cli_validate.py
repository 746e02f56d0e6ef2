"""``goalgraph validate``: readable text, JSON and Turtle output, exit codes and input errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from goalgraph.cli import app
from support import run_cli

SHAPES_DATA = Path(__file__).parent / "data" / "shapes"
VALID = str(SHAPES_DATA / "valid.ttl")
WARNING_ONLY = str(SHAPES_DATA / "trace-rus.ttl")
VIOLATION = str(SHAPES_DATA / "ks-forecast.ttl")
runner = CliRunner()


@pytest.fixture(autouse=True)
def swedish_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start each test in Swedish."""
    monkeypatch.setenv("GOALGRAPH_LANG", "sv")


def test_conforming_data_exits_0_with_a_clear_message() -> None:
    """Data that meets every rule exits 0 and says so."""
    result = runner.invoke(app, ["validate", VALID])
    assert result.exit_code == 0, result.output
    assert "Inga fel hittades" in result.output


def test_violations_exit_1_and_are_grouped_by_kommun_and_nämnd() -> None:
    """Findings are listed under kommun and nämnd with goal titles, not IRIs."""
    result = runner.invoke(app, ["validate", VALID, VIOLATION])
    assert result.exit_code == 1
    out = result.output
    assert "Vetlanda" in out and "Kultur- och fritidsnämnden" in out
    assert "Prognosen saknar uppföljningstillfälle" in out
    assert "Ökad samverkan med civilsamhället" in out
    assert "https://w3id.org" not in out
    assert "Fel: 2" in out


def test_warnings_pass_by_default_and_fail_with_fail_on_warning() -> None:
    """A warning exits 0 at --fail-on violation and 1 at --fail-on warning."""
    assert runner.invoke(app, ["validate", VALID, WARNING_ONLY]).exit_code == 0
    strict = runner.invoke(app, ["validate", VALID, WARNING_ONLY, "--fail-on", "warning"])
    assert strict.exit_code == 1


def test_fail_on_never_reports_violations_but_exits_0() -> None:
    """--fail-on never prints the same findings and exits 0; without it violations exit 1."""
    failing = runner.invoke(app, ["validate", VALID, VIOLATION])
    lenient = runner.invoke(app, ["validate", VALID, VIOLATION, "--fail-on", "never"])
    assert failing.exit_code == 1
    assert lenient.exit_code == 0
    assert lenient.output == failing.output


def test_english_report() -> None:
    """--lang en gives English messages and headings."""
    result = runner.invoke(app, ["validate", VALID, WARNING_ONLY, "--lang", "en"])
    assert "The committee goal has no link to the regional" in result.output
    assert "No responsible body" in result.output


def test_json_output_is_machine_readable() -> None:
    """--format json prints the report as JSON."""
    result = runner.invoke(app, ["validate", VALID, VIOLATION, "--format", "json"])
    data = json.loads(result.output)
    assert data["counts"]["violation"] == 2 and data["conforms"] is False


def test_turtle_output_is_a_shacl_report() -> None:
    """--format turtle prints a standard sh:ValidationReport."""
    result = runner.invoke(app, ["validate", VALID, VIOLATION, "--format", "turtle"])
    graph = rdflib.Graph().parse(data=result.output, format="turtle")
    shacl = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert len(list(graph.subjects(rdflib.RDF.type, shacl.ValidationResult))) == 2


def test_own_shapes_are_added(tmp_path: Path) -> None:
    """--shapes adds a user's rules to the built-in ones."""
    own = tmp_path / "own.ttl"
    own.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix gg: <https://w3id.org/goalgraph/ontology#> .\n"
        "<urn:own> sh:targetClass gg:CouncilGoal ; sh:property [ sh:path gg:status ; "
        'sh:minCount 1 ; sh:message "Ange status för KF-målet."@sv ] .\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", VALID, "--shapes", str(own)])
    assert result.exit_code == 1
    assert "Ange status för KF-målet." in result.output


def test_engine_option_selects_the_reference_engine() -> None:
    """--engine pyshacl gives the same exit code and counts as the fast engine."""
    fast = runner.invoke(app, ["validate", VALID, VIOLATION, "--format", "json"])
    reference = runner.invoke(
        app, ["validate", VALID, VIOLATION, "--format", "json", "--engine", "pyshacl"]
    )
    assert json.loads(reference.output)["engine"] == "pyshacl"
    assert json.loads(reference.output)["counts"] == json.loads(fast.output)["counts"]


@pytest.mark.parametrize(
    "option",
    [["--format", "xml"], ["--fail-on", "always"], ["--engine", "turbo"], ["--lang", "fi"]],
)
def test_bad_option_value_exits_2(option: list[str]) -> None:
    """A wrong option value is a usage error with exit code 2."""
    result = runner.invoke(app, ["validate", VALID, *option])
    assert result.exit_code == 2


def test_missing_file_exits_2_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    """A missing file is reported in one line with exit code 2."""
    missing = tmp_path / "saknas.ttl"
    result = run_cli("validate", str(missing))
    assert result.returncode == 2
    assert "Filen finns inte" in result.stderr and "saknas.ttl" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_file_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    """A Turtle syntax error is reported with the file and line, exit code 2."""
    bad = tmp_path / "trasig.ttl"
    bad.write_text("@prefix ex: <urn:ex:> .\nex:a ex:b .\n", encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert "trasig.ttl, rad 2, kolumn 11: Syntaxfel i Turtle" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_kommun_validation_never_imports_pyshacl() -> None:
    """Validating one example kommun end to end uses the fast engine and never imports pySHACL.

    Its speed is measured by benchmarks/run.py, not asserted here: wall time varies ×2 between
    runs on a shared machine.
    """
    example = Path(__file__).parent.parent / "examples" / "vetlanda" / "vetlanda.ttl"
    target = str(example) if example.is_file() else VALID
    code = (
        # the app itself, not main(): main() ends the process before the check below
        "import sys; from goalgraph.cli import app; "
        f"sys.argv = ['goalgraph', 'validate', {target!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print('PYSHACL' if 'pyshacl' in sys.modules else 'NO-PYSHACL')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert "NO-PYSHACL" in result.stdout


def test_spreadsheet_is_read_directly() -> None:
    """An import workbook is validated like its Turtle form."""
    workbook = Path(__file__).parent.parent / "examples" / "vetlanda" / "vetlanda.xlsx"
    if not workbook.is_file():
        pytest.skip("the Vetlanda example workbook is not present")
    result = runner.invoke(app, ["validate", str(workbook), "--format", "json"])
    assert result.exit_code == 1
    counts = json.loads(result.output)["counts"]
    assert (counts["violation"], counts["warning"]) == (1, 4)
    assert counts["info"] > 0  # the source's ambiguities recorded in the workbook's notes


def test_a_finding_shared_by_many_items_is_printed_once_with_a_count() -> None:
    """Norberg's 17 nyckeltal without a direction take one finding line, a count and five names."""
    norberg = str(Path(__file__).parent.parent / "examples" / "norberg" / "norberg.ttl")
    result = runner.invoke(app, ["validate", norberg, "--fail-on", "never"])
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if "varning:" in line]
    assert sum("önskad riktning" in line for line in warnings) == 1
    assert "(17 st)" in result.output
    assert "… och 12 till." in result.output
    # a finding of one goal is still printed under the goal's own title
    assert "Fler nya företag etablerar sig i Norberg (illustrativt)" in result.output


VETLANDA = str(Path(__file__).parent.parent / "examples" / "vetlanda")
VETLANDA_ID = "https://w3id.org/goalgraph/id/0685/"


def _report(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["validate", VETLANDA, "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    report: dict[str, object] = json.loads(result.stdout)
    return report


@pytest.mark.parametrize(
    ("names", "iris"),
    [
        (["MBN-2"], ["goal/MBN-2"]),  # a local id, as trace takes it
        ([f"<{VETLANDA_ID}goal/KFN-2>", "SN-3"], ["goal/KFN-2", "goal/SN-3"]),
        ([f"{VETLANDA_ID}document/OMV"], ["document/OMV"]),  # an IRI outside the goal chain
        (["KF1"], ["goal/KF1"]),
    ],
)
def test_focus_gives_the_full_report_filtered_to_those_items(
    names: list[str], iris: list[str]
) -> None:
    """validate --focus ID … gives exactly the full report's findings about those items."""
    full = _report("--fail-on", "never")
    focus = [VETLANDA_ID + iri for iri in iris]
    expected = [r for r in full["results"] if r["focus_node"] in focus]  # type: ignore[attr-defined]
    assert expected  # each case names items with findings
    focused = _report("--fail-on", "never", *(arg for name in names for arg in ("--focus", name)))
    assert focused["results"] == expected
    assert sum(focused["counts"].values()) == len(expected)  # type: ignore[attr-defined]


def test_focus_on_an_item_without_findings_conforms_in_text() -> None:
    """An item with no findings gives the conforming message and exit 0 (the full data fails)."""
    assert runner.invoke(app, ["validate", VETLANDA]).exit_code == 1
    result = runner.invoke(app, ["validate", VETLANDA, "--focus", "SN-1"])
    assert result.exit_code == 0, result.output
    assert "Inga fel hittades" in result.output


@pytest.mark.parametrize("name", ["NO-SUCH-GOAL", f"{VETLANDA_ID}goal/NO-SUCH-GOAL"])
def test_an_unknown_focus_is_refused_naming_it(name: str) -> None:
    """An id or IRI that names nothing exits 2 naming it, as JSON under --format json."""
    text = runner.invoke(app, ["validate", VETLANDA, "--focus", name])
    assert text.exit_code == 2
    assert name in text.stderr
    assert "Traceback" not in text.output
    result = runner.invoke(app, ["validate", VETLANDA, "--focus", name, "--format", "json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["kind"] == "unknown_term_error"
    assert error["term"] == name


def test_validate_says_on_stderr_when_pyshacl_runs_a_shape(tmp_path: Path) -> None:
    """A user shape the fast engine cannot run exactly ("1.50" rewritten, then a pattern) is
    run by pySHACL, the built-in shapes by the fast engine: a note on stderr says so, in the
    language asked for, and the report names the shape."""
    data = tmp_path / "data.ttl"
    data.write_text(
        "@prefix gg: <https://w3id.org/goalgraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://example.org/o> a gg:Observation ; gg:value "1.50"^^xsd:decimal .\n',
        encoding="utf-8",
    )
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix gg: <https://w3id.org/goalgraph/ontology#> .\n"
        "<https://example.org/S> a sh:NodeShape ; sh:targetClass gg:Observation ;\n"
        '    sh:property [ sh:path gg:value ; sh:pattern "0$" ] .\n',
        encoding="utf-8",
    )
    args = ["--lang", "en", "validate", str(data), "--shapes", str(shapes), "--format", "json"]
    done = run_cli(*args, "--fail-on", "never")
    assert done.returncode == 0
    assert "pySHACL runs it and the fast engine the rest" in done.stderr
    assert "https://example.org/S" in done.stderr
    document = json.loads(done.stdout)
    assert (document["engine"], document["pyshacl_shapes"]) == ("fast", ["https://example.org/S"])
    # "1.50" ends in 0 as written (the stored "1.5" does not): the pattern is met
    patterns = [r for r in document["results"] if "Pattern" in r["constraint_component"]]
    assert patterns == []
    fast = run_cli("validate", str(data), "--fail-on", "never")
    assert "pySHACL" not in fast.stderr
