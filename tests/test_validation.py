"""The validation API: report values, grouping, JSON, SHACL graph, raising, engines, own shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

import goalgraph
from goalgraph import GoalGraphError, LoadError, ValidationFailed, load
from goalgraph.validation import Severity, ValidationReport, validate
from goalgraph.validation._shapes import SH

SHAPES_DATA = Path(__file__).parent / "data" / "shapes"
VALID = SHAPES_DATA / "valid.ttl"
BROKEN = [SHAPES_DATA / "trace-rus.ttl", SHAPES_DATA / "ks-forecast.ttl"]


@pytest.fixture(scope="module")
def report() -> ValidationReport:
    """A report with one warning (RUS) and two violations (forecasts), in Swedish."""
    return validate(load(VALID, *BROKEN))


def test_validate_is_exported_from_the_package() -> None:
    """``goalgraph.validate``, ``ValidationReport`` and ``Severity`` are top-level names."""
    assert goalgraph.validate is validate
    assert goalgraph.Severity is Severity
    assert "validate" in goalgraph.__all__


def test_report_of_conforming_data_conforms() -> None:
    """Data that meets every rule gives an empty, conforming report."""
    result = validate(load(VALID))
    assert result.conforms and len(result) == 0 and result.engine == "fast"


def test_report_lists_severity_focus_label_kommun_and_message(report: ValidationReport) -> None:
    """Each result carries the item's title, its kommun, severity and a Swedish message."""
    rus = next(r for r in report if str(r.source_shape).endswith("RegionalAreaShape"))
    assert rus.severity is Severity.WARNING
    assert rus.focus_label == "Utan RUS"
    assert rus.kommun_label == "Vetlanda kommun" or rus.kommun_label.startswith("Vetlanda")
    assert rus.message.startswith("Nämndmålet saknar koppling")
    assert rus.shape_name == "Nämndmål kopplat till RUS"
    assert not report.conforms


def test_report_in_english_uses_english_messages() -> None:
    """With lang="en" messages and shape names are English."""
    english = validate(load(VALID, *BROKEN), lang="en")
    assert any(r.message.startswith("The committee goal has no link") for r in english)
    assert english.lang == "en"


def test_result_path_and_value_are_reported(report: ValidationReport) -> None:
    """A property-shape result names its path and the offending value with its label."""
    guiding = next(r for r in report if str(r.source_shape).endswith("Forecast-goal"))
    assert guiding.path == "gg:assessedGoal"
    assert guiding.value_label == "Ökad samverkan med civilsamhället"
    assert guiding.organisation is None


def test_forecast_belongs_to_the_organisation_of_its_goal(report: ValidationReport) -> None:
    """A forecast without its own organisation is grouped under its goal's nämnd."""
    no_point = next(r for r in report if str(r.source_shape).endswith("Forecast-reportingPoint"))
    assert no_point.organisation_label == "Kultur- och fritidsnämnden"


def test_grouping_by_organisation_and_by_goal(report: ValidationReport) -> None:
    """Results group by (kommun, organisation) and by the item they are about."""
    groups = report.by_organisation()
    assert sum(len(v) for v in groups.values()) == len(report)
    assert any(org == "Kultur- och fritidsnämnden" for _, org in groups)
    assert len(report.by_goal()) == 3


def test_counts_and_threshold(report: ValidationReport) -> None:
    """Counting by severity and filtering at a threshold."""
    assert report.count(Severity.VIOLATION) == 2
    assert report.count(Severity.WARNING) == 1
    assert len(report.at_least(Severity.WARNING)) == 3
    assert "Fel: 2" in report.summary()


def test_to_json_is_valid_json_with_every_result(report: ValidationReport) -> None:
    """The JSON form has conforms, counts and one entry per result."""
    data = json.loads(report.to_json())
    assert data["conforms"] is False
    assert data["counts"] == {"violation": 2, "warning": 1, "info": 0}
    assert {r["severity"] for r in data["results"]} == {"violation", "warning"}


def test_to_graph_is_a_standard_shacl_report(report: ValidationReport) -> None:
    """The graph form is an sh:ValidationReport with results in sv and en."""
    graph = report.to_graph()
    reports = list(graph.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert graph.value(reports[0], SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(reports[0], SH.result))
    assert len(results) == 3
    langs = {m.language for r in results for m in graph.objects(r, SH.resultMessage)}
    assert langs == {"sv", "en"}


def test_raise_for_violations_raises_only_when_asked(report: ValidationReport) -> None:
    """raise_for_violations raises ValidationFailed carrying the report."""
    with pytest.raises(ValidationFailed) as caught:
        report.raise_for_violations()
    assert caught.value.report is report  # type: ignore[attr-defined]


def test_raise_for_violations_is_silent_for_warnings_only() -> None:
    """Warnings alone do not raise at the default threshold, but do at WARNING."""
    warnings_only = validate(load(VALID, SHAPES_DATA / "trace-rus.ttl"))
    warnings_only.raise_for_violations()
    with pytest.raises(ValidationFailed):
        warnings_only.raise_for_violations(Severity.WARNING)


def test_engines_agree_and_auto_picks_fast() -> None:
    """auto uses the fast engine for the built-in shapes; pyshacl gives the same results."""
    graph = load(VALID, *BROKEN)
    auto = validate(graph, engine="auto")
    reference = validate(graph, engine="pyshacl")
    assert auto.engine == "fast" and reference.engine == "pyshacl"
    assert [r.key() for r in auto] == [r.key() for r in reference]


def test_own_shapes_file_adds_rules(tmp_path: Path) -> None:
    """A user's shapes file beside the built-in ones adds its findings."""
    own = tmp_path / "own.ttl"
    own.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix gg: <https://w3id.org/goalgraph/ontology#> .
<urn:own:GoalStatus> a sh:NodeShape ; sh:targetClass gg:CommitteeGoal ;
    sh:property [ sh:path gg:status ; sh:minCount 1 ; sh:severity sh:Info ;
                  sh:message "Ange status."@sv , "Give a status."@en ] .
""",
        encoding="utf-8",
    )
    result = validate(load(VALID), extra_shapes=[own])
    assert result.count(Severity.INFO) == 3
    assert all(r.message == "Ange status." for r in result)


def test_shapes_replace_the_builtin_ones(tmp_path: Path) -> None:
    """Given shapes replace the built-in rules instead of adding to them."""
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    assert validate(load(VALID, *BROKEN), shapes=empty).conforms


def test_unsupported_shapes_fall_back_to_pyshacl_under_auto(tmp_path: Path) -> None:
    """A shape with a SHACL-AF SPARQL target runs on pySHACL under auto and is refused by fast."""
    own = tmp_path / "sparql-target.ttl"
    own.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix gg: <https://w3id.org/goalgraph/ontology#> .
<urn:own:X> a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select
        "SELECT ?this WHERE { ?this a <https://w3id.org/goalgraph/ontology#CommitteeGoal> }" ] ;
    sh:xone ( [ sh:path gg:hasPerspective ; sh:minCount 1 ]
              [ sh:path gg:contributesToGoal ; sh:minCount 1 ] ) .
""",
        encoding="utf-8",
    )
    auto = validate(load(VALID), shapes=own)
    assert auto.engine == "pyshacl" and len(auto) == 1
    with pytest.raises(GoalGraphError):
        validate(load(VALID), shapes=own, engine="fast")


def test_unknown_engine_is_an_error() -> None:
    """An unknown engine name raises a GoalGraphError naming the choices."""
    with pytest.raises(GoalGraphError, match="auto"):
        validate(load(VALID), engine="turbo")  # type: ignore[arg-type]


def test_malformed_shapes_file_is_a_load_error(tmp_path: Path) -> None:
    """A shapes file that does not parse raises LoadError naming the file."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad\.ttl"):
        validate(load(VALID), extra_shapes=[bad])


def test_validate_accepts_a_path() -> None:
    """A file path is loaded with the vocabulary before validating."""
    assert validate(VALID).conforms


def test_severity_parsing_and_ordering() -> None:
    """Severity names parse, order by seriousness and reject unknown names."""
    assert Severity.parse("info") < Severity.parse("warning") < Severity.VIOLATION
    assert Severity.from_iri(SH.Info) is Severity.INFO
    with pytest.raises(ValueError, match="unknown severity"):
        Severity.parse("fatal")


@pytest.mark.parametrize(
    "name",
    [
        "goalgraph.validation",
        "goalgraph.validation._shapes",
        "goalgraph.validation._report",
        "goalgraph.validation._validate",
        "goalgraph.validation._fast",
        "goalgraph.validation._compile",
    ],
)
def test_docstring_examples_of_validation_modules_pass(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every >>> example in the validation modules runs as written."""
    import doctest
    import importlib

    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)
    results = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert results.failed == 0


def test_sequence_path_is_shown_without_outer_parentheses(tmp_path: Path) -> None:
    """A result's path through a delstrategi reads gg:supportsSubStrategy/gg:hasPerspective."""
    own = tmp_path / "own.ttl"
    own.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix gg: <https://w3id.org/goalgraph/ontology#> .
<urn:own:S> sh:targetClass gg:CommitteeGoal ;
    sh:property [ sh:path ( gg:supportsSubStrategy gg:hasPerspective ) ; sh:minCount 1 ] .
""",
        encoding="utf-8",
    )
    report = validate(load(VALID), shapes=own)
    assert [r.path for r in report] == ["gg:supportsSubStrategy/gg:hasPerspective"]


def test_missing_shapes_file_is_a_load_error(tmp_path: Path) -> None:
    """A shapes file that does not exist raises LoadError naming it."""
    with pytest.raises(LoadError, match="nope"):
        validate(load(VALID), extra_shapes=[tmp_path / "nope.ttl"])


def test_builtin_shapes_are_one_file_per_family() -> None:
    """The built-in shapes are one file per family of rules (notes: the source's ambiguities),
    and goalgraph's own constraint components."""
    from goalgraph.validation import builtin_shapes_files

    names = {p.name for p in builtin_shapes_files()}
    assert names == {
        "components.ttl",
        "consistency.ttl",
        "dates.ttl",
        "followup.ttl",
        "ks-goals.ttl",
        "notes.ttl",
        "regional.ttl",
        "traceability.ttl",
    }


def test_path_expression_rejects_a_non_path() -> None:
    """A node that is not a SHACL path is refused with ValueError."""
    from goalgraph.validation._shapes import path_expr

    graph = rdflib.Graph()
    node = rdflib.BNode()
    graph.add((node, rdflib.RDFS.label, rdflib.Literal("x")))
    with pytest.raises(ValueError, match="not a SHACL path"):
        path_expr(graph, node)
    assert path_expr(graph, rdflib.URIRef("urn:p")) == rdflib.URIRef("urn:p")


def test_unknown_severity_iri_counts_as_violation() -> None:
    """A result with an unknown severity IRI is treated as a violation, as SHACL says."""
    assert Severity.from_iri(rdflib.URIRef("urn:other")) is Severity.VIOLATION
    assert Severity.WARNING.iri == SH.Warning
