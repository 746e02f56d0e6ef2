"""The service's JSON answers: each finding serialised once, the documents equal to to_json()."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from rdflib import URIRef

from goalgraph import Validator, load, validate
from goalgraph.namespace import GG
from goalgraph.service.answers import ReportJson

VETLANDA = Path(__file__).parent.parent / "examples" / "vetlanda" / "vetlanda.ttl"


def test_report_and_delta_answers_equal_their_to_json() -> None:
    """The answers of a report and of a delta (with and without report) are their to_json()."""
    graph = load(VETLANDA)
    answers = ReportJson()
    report = validate(graph, lang="en")
    assert json.loads(answers.report(report)) == json.loads(report.to_json())
    validator = Validator(graph)
    goal = URIRef("https://w3id.org/goalgraph/id/0685/goal/MBN-2")
    delta = validator.apply(added=[(goal, GG.contributesToGoal, goal)], lang="sv")
    assert json.loads(answers.delta(delta)) == json.loads(delta.to_json())
    short = json.loads(answers.delta(delta, report=False))
    assert "report" not in short and short["new"] == json.loads(delta.to_json())["new"]


def test_a_changed_finding_is_serialised_anew() -> None:
    """A finding replaced by a new object (a new description) is not answered from old JSON."""
    report = validate(load(VETLANDA), lang="sv")
    answers = ReportJson()
    answers.report(report)
    first = report.results[0]
    renamed = replace(first, message="a new message")
    changed = replace(report, results=(renamed, *report.results[1:]))
    assert json.loads(answers.report(changed))["results"][0]["message"] == "a new message"
    assert json.loads(answers.report(report))["results"][0]["message"] == first.message
