"""SPARQL health checks (ontology/checks/*-violation.rq) over the ontology and reference data."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalgraph import GoalGraph, load
from goalgraph.resources import ontology_dir

CHECKS = sorted((ontology_dir() / "checks").glob("*.rq"))
FRAGMENTS = Path(__file__).parent / "data" / "health"


def test_there_are_health_checks_for_every_required_topic() -> None:
    """The checks folder holds at least the checks issue 2 asks for."""
    names = {path.stem for path in CHECKS}
    assert {
        "term-label-sv-violation",
        "term-label-en-violation",
        "term-definition-sv-violation",
        "term-definition-en-violation",
        "property-domain-violation",
        "property-range-violation",
        "concept-label-sv-violation",
        "concept-label-en-violation",
        "concept-scheme-violation",
        "sdg-target-goal-violation",
        "sdg-indicator-target-violation",
        "kommun-county-violation",
        "rus-area-strategy-violation",
        "duplicate-notation-violation",
        "undefined-term-violation",
    } <= names


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_is_named_violation_and_starts_with_a_comment(check: Path) -> None:
    """Every check is called *-violation.rq and opens with a '#' line saying what it finds."""
    assert check.stem.endswith("-violation")
    first = check.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 20


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_finds_nothing_in_ontology_and_reference_data(
    check: Path, vocabulary: GoalGraph
) -> None:
    """The shipped ontology and reference data pass every health check."""
    rows = vocabulary.select(check.read_text(encoding="utf-8"), graphs=("vocabulary",))
    assert rows == []


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_reports_its_broken_fragment(check: Path) -> None:
    """Each check returns rows once its broken fragment in tests/data/health is added."""
    fragment = FRAGMENTS / f"{check.stem}.ttl"
    assert fragment.is_file(), f"add a broken fragment {fragment}"
    graph = load(fragment)
    assert graph.select(check.read_text(encoding="utf-8")) != []
