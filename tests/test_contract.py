"""The JSON contract: every JSON document goalgraph writes is valid against its shipped schema."""

from __future__ import annotations

import copy
import doctest
import json
import socket
from pathlib import Path
from typing import Any

import jsonschema
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import goalgraph as gg
from goalgraph.cli import app
from goalgraph.contract import VERSIONS, error_document, schema, schema_id, stamped
from goalgraph.errors import (
    EndpointError,
    LoadError,
    SpreadsheetError,
    SpreadsheetProblem,
    UnknownTermError,
)
from goalgraph.followup.progress import RULES, STATUSES
from goalgraph.gaps import DIMENSIONS
from goalgraph.goal_chain import _KINDS
from goalgraph.resources import schema_file, schemas_dir
from goalgraph.service.errors import RequestRefused

ROOT = Path(__file__).parent.parent
EXAMPLES = {name: str(ROOT / "examples" / name) for name in ("vetlanda", "vaggeryd", "norberg")}
GOALS = {"vetlanda": "KFN-1", "vaggeryd": "KS1", "norberg": "BUU-1"}
GG_CONTRIBUTES = ox.NamedNode("https://w3id.org/goalgraph/ontology#contributesToGoal")
runner = CliRunner()


@pytest.fixture(autouse=True)
def swedish_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start each test in Swedish."""
    monkeypatch.setenv("GOALGRAPH_LANG", "sv")


def _errors(name: str, document: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(
        schema(name), format_checker=jsonschema.FormatChecker()
    )
    return [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(document)  # type: ignore[arg-type]
    ]


def _json(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


# --- the schemas themselves -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(VERSIONS))
def test_each_schema_is_a_valid_2020_12_schema_with_its_versioned_id(name: str) -> None:
    """The shipped schema passes the 2020-12 meta-schema and its $id names kind and version."""
    document = schema(name)
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"] == schema_id(name) == f"https://w3id.org/goalgraph/schema/{name}/1"
    assert document["properties"]["$schema"] == {
        "const": schema_id(name),
        "description": document["properties"]["$schema"]["description"],
    }


def test_the_package_ships_exactly_the_schemas_of_the_contract() -> None:
    """Every schema file in goalgraph/schemas has a version, and every version a file."""
    assert {p.name for p in schemas_dir().glob("*.json")} == {
        schema_file(name).name for name in VERSIONS
    }


@pytest.mark.parametrize("name", sorted(VERSIONS))
def test_the_published_copy_in_docs_equals_the_packaged_schema(name: str) -> None:
    """docs/schemas/<name>.schema.json is byte for byte the schema in the package."""
    published = ROOT / "docs" / "schemas" / schema_file(name).name
    assert published.read_bytes() == schema_file(name).read_bytes()


def test_an_unknown_document_name_is_a_key_error() -> None:
    """Asking for a schema goalgraph does not write is a KeyError, not a missing file."""
    with pytest.raises(KeyError):
        schema("report")
    with pytest.raises(KeyError):
        stamped("report", {})


def test_the_delta_schema_describes_results_as_the_validation_schema_does() -> None:
    """The result and counts definitions of the delta schema equal the validation schema's."""
    validation, delta = schema("validation"), schema("delta")
    assert delta["$defs"]["result"] == validation["$defs"]["result"]
    assert delta["$defs"]["counts"] == validation["$defs"]["counts"]
    report = dict(delta["$defs"]["report"])
    report.pop("description")
    assert report == {k: validation[k] for k in report}


def test_enumerations_match_the_code() -> None:
    """The enumerated values of the schemas are the ones the code can write."""
    trace_kinds = schema("trace")["$defs"]["path"]["properties"]["target_kind"]["enum"]
    assert set(trace_kinds) == {kind for _, kind in _KINDS} | {"other"}
    assert schema("coverage")["properties"]["dimension"]["enum"] == list(DIMENSIONS)
    status = schema("status")["properties"]
    assert status["rule"]["enum"] == list(RULES)
    assert status["goals"]["items"]["properties"]["status"]["enum"] == list(STATUSES)
    severity = schema("validation")["$defs"]["result"]["properties"]["severity"]["enum"]
    assert severity == [s.name.lower() for s in reversed(gg.Severity)]


# --- real documents ---------------------------------------------------------------------------


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_validate_json_of_each_example_is_valid(example: str) -> None:
    """`validate --format json` on each example is a valid validation document with ids."""
    document = _json("validate", EXAMPLES[example], "--format", "json", "--fail-on", "never")
    assert _errors("validation", document) == []
    assert document["$schema"] == schema_id("validation")
    assert document["results"], "the examples have findings to check against the schema"


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_trace_json_of_each_example_is_valid(example: str) -> None:
    """`trace GOAL --format json` on each example is a valid trace document with paths."""
    document = _json("--lang", "en", "trace", GOALS[example], EXAMPLES[example], "-f", "json")
    assert _errors("trace", document) == []
    assert document["paths"] and document["lang"] == "en"


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_coverage_json_of_the_examples_is_valid(dimension: str) -> None:
    """`coverage --by D --format json` over all three examples is a valid coverage document."""
    document = _json("coverage", "--by", dimension, *EXAMPLES.values(), "-f", "json")
    assert _errors("coverage", document) == []
    assert document["dimension"] == dimension


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_status_json_of_each_example_is_valid(example: str) -> None:
    """`status --format json` on each example is a valid status document."""
    document = _json("status", EXAMPLES[example], "--format", "json")
    assert _errors("status", document) == []
    assert document["goals"]


TABLE_COMMANDS = [
    ["grid", "--kommun", "0685", EXAMPLES["vetlanda"]],
    ["grid", "--names", EXAMPLES["vetlanda"]],
    ["impact", "A-LEVA-1", EXAMPLES["vetlanda"]],
    ["structure", "--show", "orphans", *EXAMPLES.values()],
    ["structure", "--show", "cycles", *EXAMPLES.values()],
    ["structure", "--show", "hubs", *EXAMPLES.values()],
    ["query", "goals-per-kommun", *EXAMPLES.values()],
    ["query", "goals-for-sdg-target", "-p", "target=11.7", EXAMPLES["vetlanda"]],
    ["queries"],
]


@pytest.mark.parametrize("command", TABLE_COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_one_table_commands_write_valid_table_documents(command: list[str]) -> None:
    """grid, impact, structure, query and queries write a table document: columns and rows."""
    document = _json(*command, "--format", "json")
    assert _errors("table", document) == []
    assert document["rows"] or command[:3] == ["structure", "--show", "cycles"]
    assert all(list(row) == document["columns"] for row in document["rows"])


def test_compare_json_is_a_valid_comparison_document() -> None:
    """`compare --rank --format json` on two example kommuner is a valid comparison."""
    document = _json(
        "compare",
        "--kommun",
        "0665",
        "--kommun",
        "1962",
        "--rank",
        *EXAMPLES.values(),
        "-f",
        "json",
    )
    assert _errors("comparison", document) == []
    assert document["kommuner"] == ["0665", "1962"] and document["values"]


def test_a_delta_built_from_two_real_reports_is_valid() -> None:
    """A delta of real results (a nämnd goal losing its KF goal) is a valid delta document."""
    graph = gg.load(EXAMPLES["vetlanda"])
    before = gg.validate(graph)
    kfn1 = ox.NamedNode("https://w3id.org/goalgraph/id/0685/goal/KFN-1")
    link = next(graph.store.quads_for_pattern(kfn1, GG_CONTRIBUTES, None))
    graph.store.remove(link)
    after = gg.validate(graph)
    old = {r.id: r for r in before.results}
    new = {r.id: r for r in after.results}
    document = stamped(
        "delta",
        {
            "new": [r.to_dict() for i, r in new.items() if i not in old],
            "resolved": [r.to_dict() for i, r in old.items() if i not in new],
            "rechecked": 1,
            "incremental": False,
            "report": after.to_dict(),
        },
    )
    assert document["new"], "removing a KF link must bring a finding"
    assert _errors("delta", document) == []


def test_the_delta_of_incremental_validation_is_valid() -> None:
    """ValidationDelta.to_dict() after removing a nämnd goal's KF link is a valid delta."""
    incremental = pytest.importorskip("goalgraph.validation._incremental")
    from rdflib import URIRef

    validator = incremental.Validator(gg.load(EXAMPLES["vetlanda"]))
    goal = "https://w3id.org/goalgraph/id/0685/goal/"
    link = (URIRef(goal + "KFN-1"), URIRef(GG_CONTRIBUTES.value), URIRef(goal + "KF1"))
    delta = validator.apply(removed=[link])
    document = delta.to_dict()
    assert document["new"]
    assert _errors("delta", document) == []
    short = delta.to_dict(with_report=False)
    assert "report" not in short and short == {k: v for k, v in document.items() if k != "report"}
    assert _errors("delta", short) == []
    head = delta.report.to_dict(with_results=False)
    assert head["results"] == [] and head == document["report"] | {"results": []}
    assert document["report"]["results"], "the full report holds the findings"


# --- the schemas can fail ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    """One real document of each kind."""
    graph = gg.load(EXAMPLES["vaggeryd"])
    report = gg.validate(graph)
    return {
        "validation": report.to_dict(),
        "delta": stamped(
            "delta",
            {
                "new": [report.results[0].to_dict()],
                "resolved": [],
                "rechecked": 3,
                "incremental": True,
            },
        ),
        "trace": gg.trace(graph, "KS1").to_dict("sv"),
        "coverage": json.loads(gg.coverage(graph, "sdg").to_json()),
        "status": json.loads(gg.status(graph).to_json()),
        "error": error_document(LoadError("Syntaxfel", path="a.ttl", line=2)),
        "table": _json("structure", "--show", "hubs", EXAMPLES["vaggeryd"], "-f", "json"),
        "comparison": json.loads(gg.compare(graph, ["0665"]).to_json()),
        "service-error": RequestRefused(
            409, "not_in_graph", "Trippeln finns inte", triple="<a:x> <a:p> <a:y> ."
        ).body(),
    }


# (document, where the required field sits, which field): one case per schema
MISSING = [
    ("validation", ["results", 0], "id"),
    ("validation", [], "counts"),
    ("delta", [], "resolved"),
    ("delta", ["new", 0], "severity"),
    ("trace", ["paths", 0], "status"),
    ("coverage", [], "gaps"),
    ("status", ["goals", 0], "score"),
    ("error", [], "message"),
    ("table", [], "columns"),
    ("comparison", ["values", 0], "status"),
    ("error", [], "$schema"),
    ("service-error", ["error"], "code"),
    ("service-error", [], "$schema"),
]


@pytest.mark.parametrize(("name", "where", "field"), MISSING)
def test_a_document_missing_a_required_field_is_rejected(
    documents: dict[str, dict[str, Any]], name: str, where: list[Any], field: str
) -> None:
    """Each schema rejects a real document once a required field is taken out of it."""
    document = copy.deepcopy(documents[name])
    assert _errors(name, document) == []
    part: Any = document
    for step in where:
        part = part[step]
    del part[field]
    assert any(repr(field) in error for error in _errors(name, document))


@pytest.mark.parametrize(
    ("name", "where", "field", "value"),
    [
        ("validation", ["results", 0], "severity", "error"),
        ("validation", ["results", 0], "id", "42"),
        ("validation", [], "unknown", 1),
        ("trace", ["paths", 0], "hops", "one"),
        ("coverage", [], "dimension", "planet"),
        ("status", ["indicators", 0], "status", "fine"),
        ("error", [], "exit_code", 1),
        ("error", [], "$schema", schema_id("validation")),
        ("table", ["rows", 0], "goals", [1, 2]),
        ("comparison", [], "kommuner", "0665"),
        ("service-error", ["error"], "status", 200),
        ("service-error", ["error"], "size", "4 KB"),
    ],
)
def test_a_wrong_value_or_an_unknown_field_is_rejected(
    documents: dict[str, dict[str, Any]], name: str, where: list[Any], field: str, value: Any
) -> None:
    """A value of the wrong type or outside an enumeration, or a field no schema names, fails."""
    document = copy.deepcopy(documents[name])
    part: Any = document
    for step in where:
        part = part[step]
    part[field] = value
    assert _errors(name, document)


# --- errors as JSON ---------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _error_output(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    document: dict[str, Any] = json.loads(result.stdout)
    assert _errors("error", document) == []
    assert document["exit_code"] == 2
    return document


def test_a_missing_file_is_a_json_error_naming_it(tmp_path: Path) -> None:
    """A missing input under --format json is a load_error on stdout with the file, exit 2."""
    missing = str(tmp_path / "saknas.ttl")
    document = _error_output("validate", missing, "--format", "json")
    assert document["kind"] == "load_error" and document["file"] == missing
    assert "goal_graph_error" in document["kinds"] and document["lang"] == "sv"
    assert "finns inte" in document["message"]


def test_a_malformed_turtle_file_is_a_json_error_with_its_line(tmp_path: Path) -> None:
    """A Turtle syntax error under --format json gives the file and the line, exit 2."""
    bad = tmp_path / "trasig.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b", encoding="utf-8")
    document = _error_output("--lang", "en", "trace", "KFN-1", str(bad), "-f", "json")
    assert document["kind"] == "load_error"
    assert document["file"] == str(bad) and document["line"] == 2
    assert document["lang"] == "en" and "Turtle" in document["message"]


def test_an_unknown_goal_id_is_a_json_error_naming_the_term() -> None:
    """An id that matches no goal is an unknown_term_error with the term, exit 2."""
    document = _error_output("trace", "KFN-99", EXAMPLES["vetlanda"], "--format", "json")
    assert document["kind"] == "unknown_term_error" and document["term"] == "KFN-99"
    assert "KFN-99" in document["message"]


def test_an_unreachable_endpoint_is_a_json_error_naming_the_url() -> None:
    """A SPARQL endpoint on a closed port is an endpoint_error with its URL, exit 2."""
    url = f"http://127.0.0.1:{_closed_port()}/sparql"
    document = _error_output("validate", "--endpoint", url, "--format", "json", "--lang", "en")
    assert document["kind"] == "endpoint_error" and document["url"] == url
    assert document["lang"] == "en" and url in document["message"]


def test_a_status_error_is_json_too() -> None:
    """status --format=json reports an unknown kommun as JSON with the code as the term."""
    document = _error_output("status", EXAMPLES["norberg"], "--kommun", "9999", "--format=json")
    assert document["kind"] == "unknown_term_error" and document["term"] == "9999"


def test_a_usage_error_under_format_json_is_json_in_english() -> None:
    """An unknown option under --format json is a usage error document naming the option."""
    document = _error_output("validate", EXAMPLES["vetlanda"], "--bogus", "--format", "json")
    assert document["kind"] == "no_such_option" and "usage_error" in document["kinds"]
    assert document["option"] == "--bogus" and document["lang"] == "en"


def test_without_format_json_errors_stay_a_paragraph_on_stderr(tmp_path: Path) -> None:
    """Without --format json an input error is still one paragraph on stderr, exit 2."""
    result = runner.invoke(app, ["validate", str(tmp_path / "saknas.ttl")])
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr.startswith("goalgraph: ")


def test_a_spreadsheet_error_document_lists_every_problem() -> None:
    """The rows of a SpreadsheetError are given one by one with file, sheet, row and column."""
    problems = [
        SpreadsheetProblem("mall.xlsx", "Nämndmål", 7, "Perspektiv", "Boo", "okänt perspektiv"),
        SpreadsheetProblem("mall.xlsx", None, None, None, None, "bladet saknas"),
    ]
    document = error_document(SpreadsheetError(problems))
    assert _errors("error", document) == []
    assert document["kinds"] == ["spreadsheet_error", "load_error", "goal_graph_error"]
    assert document["problems"][0] == {
        "file": "mall.xlsx",
        "sheet": "Nämndmål",
        "row": 7,
        "column": "Perspektiv",
        "value": "Boo",
        "message": "okänt perspektiv",
    }


def test_an_error_document_gives_candidates_and_leaves_out_what_is_unknown() -> None:
    """Candidates are listed; fields an error does not know are absent, not null."""
    document = error_document(UnknownTermError("Okänt", term="KF9", candidates=["KF1", "KF2"]))
    assert document["candidates"] == ["KF1", "KF2"]
    assert "file" not in document and "url" not in document
    assert "url" not in error_document(EndpointError("nere"))
    assert error_document(EndpointError("nere", url="http://x/"))["url"] == "http://x/"


def test_the_contract_modules_docstring_examples_pass() -> None:
    """The >>> examples of the contract's modules run as written."""
    import goalgraph.cli.analysis
    import goalgraph.cli.json_errors
    import goalgraph.contract
    import goalgraph.validation._ids

    for module in (
        goalgraph.contract,
        goalgraph.cli.json_errors,
        goalgraph.cli.analysis,
        goalgraph.validation._ids,
    ):
        results = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False)
        assert results.failed == 0 and results.attempted > 0, module.__name__


# --- the SHACL report graph stays standard ----------------------------------------------------

REPORT_SHAPES = Path(__file__).parent / "data" / "contract" / "report-shapes.ttl"


def _report_problems(turtle: str) -> list[str]:
    """What the W3C report vocabulary (as shapes) finds wrong with a report graph."""
    import pyshacl
    import rdflib

    data = rdflib.Graph().parse(data=turtle, format="turtle")
    shapes = rdflib.Graph().parse(REPORT_SHAPES)
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return sorted(
        f"{focus} {component}"
        for result in results.subjects(rdflib.RDF.type, sh.ValidationResult)
        for focus in results.objects(result, sh.focusNode)
        for component in results.objects(result, sh.sourceConstraintComponent)
    )


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_turtle_report_keeps_to_the_w3c_report_vocabulary(example: str) -> None:
    """`validate --format turtle` is a sh:ValidationReport whose results hold only sh: terms."""
    result = runner.invoke(
        app, ["validate", EXAMPLES[example], "--format", "turtle", "--fail-on", "never"]
    )
    assert result.exit_code == 0, result.output
    assert "sh:ValidationReport" in result.stdout and "sh:result" in result.stdout
    assert _report_problems(result.stdout) == []


def test_a_report_result_without_its_focus_node_breaks_the_report_vocabulary() -> None:
    """The report shapes can fail: a result missing sh:focusNode, or with a foreign term."""
    report = gg.validate(gg.load(EXAMPLES["vetlanda"])).to_graph()
    sh = "http://www.w3.org/ns/shacl#"
    import rdflib

    first = next(report.subjects(rdflib.RDF.type, rdflib.URIRef(sh + "ValidationResult")))
    report.remove((first, rdflib.URIRef(sh + "focusNode"), None))
    report.add((first, rdflib.URIRef("https://example.org/id"), rdflib.Literal("gg-1")))
    problems = _report_problems(report.serialize(format="turtle"))
    assert any(p.endswith("#MinCountConstraintComponent") for p in problems), problems
    assert any(p.endswith("#ClosedConstraintComponent") for p in problems), problems
