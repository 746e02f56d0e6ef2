"""The follow-up data of the Norberg and Vaggeryd examples: illustrative, consistent, and with
an expected-status.csv whose every row follows from the data by Open SDG's method."""

from __future__ import annotations

import csv
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from goalgraph import GoalGraph
from goalgraph.spreadsheet import import_files

EXAMPLES = Path(__file__).parent.parent / "examples"
CODES = {"norberg": "1962", "vaggeryd": "0665"}
BASE_YEAR = 2015
STATUSES = {
    "target-achieved",
    "on-track",
    "acceleration-needed",
    "limited-progress",
    "deterioration",
    "not-available",
}
NOT_AVAILABLE_REASONS = {"too-few-values", "no-direction", "no-target", "target-without-year"}


@pytest.fixture(scope="module", params=sorted(CODES))
def example(request: pytest.FixtureRequest) -> tuple[str, GoalGraph]:
    """An example with follow-up data and the graph imported from its CSV folder."""
    name: str = request.param
    return name, import_files(EXAMPLES / name / "csv")


def rows(graph: GoalGraph, sparql: str) -> list[dict[str, str]]:
    """The rows of a SELECT over the user's data, every value as a string."""
    return [
        {key: term.value for key, term in row.items()}
        for row in graph.select(sparql, graphs=("data",))
    ]


def expected(name: str) -> list[dict[str, str]]:
    """The rows of examples/<name>/expected-status.csv."""
    with (EXAMPLES / name / "expected-status.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def series(graph: GoalGraph) -> dict[str, dict[int, float]]:
    """Observed values per indicator id and year."""
    found: dict[str, dict[int, float]] = {}
    for row in rows(
        graph,
        "SELECT ?i ?y ?v WHERE { ?o a gg:Observation ; gg:indicator/dcterms:identifier ?i ;"
        " gg:refYear ?y ; gg:value ?v }",
    ):
        found.setdefault(row["i"], {})[int(row["y"])] = float(row["v"])
    return found


def reference_status(
    values: dict[int, float],
    direction: str | None,
    target: tuple[float, int | None] | None,
    year: int,
) -> dict[str, Any]:
    """Open SDG's (Statistics Canada's) progress status, as examples/norberg/README.md states it."""
    used = {y: v for y, v in values.items() if BASE_YEAR <= y <= year}
    if len(used) < 2:
        return {"status": "not-available", "reason": "too-few-values"}
    base, latest = min(used), max(used)
    if direction is None:
        return {"status": "not-available", "reason": "no-direction"}
    cagr = (used[latest] / used[base]) ** (1 / (latest - base)) - 1
    figures = {"base_year": base, "latest_year": latest, "cagr": cagr}
    if target is None:
        if direction == "neutral":
            return {"status": "not-available", "reason": "no-target", **figures}
        growth = cagr if direction == "increase" else -cagr
        status = (
            "on-track"
            if growth >= 0.015
            else "acceleration-needed"
            if growth >= 0.005
            else "limited-progress"
            if growth >= 0
            else "deterioration"
        )
        return {"status": status, "reason": "cagr", **figures}
    value, target_year = target
    sign = 1 if direction == "increase" else -1
    if sign * (used[latest] - value) >= 0:
        return {"status": "target-achieved", "reason": "target-met", **figures}
    if target_year is None:
        return {"status": "not-available", "reason": "target-without-year", **figures}
    required = (value / used[base]) ** (1 / (target_year - base)) - 1
    ratio = sign * cagr / abs(required)
    status = (
        "on-track"
        if ratio >= 0.95
        else "acceleration-needed"
        if ratio >= 0.6
        else "limited-progress"
        if ratio >= 0
        else "deterioration"
    )
    return {
        "status": status,
        "reason": "ratio",
        **figures,
        "required_cagr": required,
        "ratio": ratio,
    }


def directions(graph: GoalGraph) -> dict[str, str | None]:
    """Each indicator's desired direction (increase, decrease, neutral) or None."""
    return {
        row["i"]: row["d"].rsplit("/", 1)[-1] if "d" in row else None
        for row in rows(
            graph,
            "SELECT ?i ?d WHERE { ?x a gg:Indicator ; dcterms:identifier ?i"
            " OPTIONAL { ?x gg:desiredDirection ?d } }",
        )
    }


def targets(graph: GoalGraph) -> dict[str, tuple[float, int | None]]:
    """Each indicator's target level: value and year (None when it has none)."""
    return {
        row["i"]: (float(row["v"]), int(row["y"]) if "y" in row else None)
        for row in rows(
            graph,
            "SELECT ?i ?v ?y WHERE { ?t a gg:TargetLevel ; gg:indicator/dcterms:identifier ?i ;"
            " gg:targetValue ?v OPTIONAL { ?t gg:targetYear ?y } }",
        )
    }


# --- what the examples hold --------------------------------------------------------

COUNTS = {
    # observations, indicators observed, target levels, target levels without a year
    "norberg": (202, 27, 10, 1),
    "vaggeryd": (20, 6, 3, 0),
}


def test_examples_hold_their_observations_and_target_levels(
    example: tuple[str, GoalGraph],
) -> None:
    """Norberg has 202 values of 27 nyckeltal and 10 targets, Vaggeryd 20 of 6 and 3."""
    name, graph = example
    observed = series(graph)
    levels = targets(graph)
    assert (
        sum(len(v) for v in observed.values()),
        len(observed),
        len(levels),
        sum(1 for _, year in levels.values() if year is None),
    ) == COUNTS[name]


def test_all_follow_up_data_is_illustrative(example: tuple[str, GoalGraph]) -> None:
    """Every observation, target level and assessment is marked gg:illustrative (none is real)."""
    _, graph = example
    unmarked = rows(
        graph,
        "SELECT ?s WHERE { VALUES ?c { gg:Observation gg:TargetLevel gg:Assessment gg:Forecast }"
        " ?s a ?c FILTER NOT EXISTS { ?s gg:illustrative true } }",
    )
    assert unmarked == []
    named = rows(
        graph,
        "SELECT ?l WHERE { VALUES ?c { gg:TargetLevel gg:Assessment gg:Forecast }"
        " ?s a ?c ; rdfs:label ?l }",
    )
    assert named
    assert all("(illustrativt)" in row["l"] for row in named)


def test_observations_are_for_the_examples_own_kommun(example: tuple[str, GoalGraph]) -> None:
    """Every observation's reference area is the workbook's kommun."""
    name, graph = example
    areas = {
        row["a"]
        for row in rows(graph, "SELECT DISTINCT ?a WHERE { ?o a gg:Observation ; gg:refArea ?a }")
    }
    assert areas == {f"https://w3id.org/goalgraph/ref/kommun/{CODES[name]}"}


def test_only_the_confirmed_kolada_id_is_in_the_data(example: tuple[str, GoalGraph]) -> None:
    """N15428 (Norberg NT1-1) is the only Kolada id; no illustrative nyckeltal has one."""
    name, graph = example
    ids = rows(graph, "SELECT ?i ?k WHERE { ?x dcterms:identifier ?i ; gg:koladaId ?k }")
    assert ids == ([{"i": "NT1-1", "k": "N15428"}] if name == "norberg" else [])


def test_norberg_directions_are_marked_as_the_projects_interpretation() -> None:
    """50 nyckeltal have a direction, each noted as interpretation; 17 have none."""
    graph = import_files(EXAMPLES / "norberg" / "csv")
    found = directions(graph)
    assert Counter(found.values()) == {"increase": 33, "decrease": 15, "neutral": 2, None: 17}
    notes = {
        row["i"]: row["n"]
        for row in rows(
            graph,
            "SELECT ?i ?n WHERE { ?x a gg:Indicator ; dcterms:identifier ?i ;"
            " skos:editorialNote ?n }",
        )
    }
    for indicator, direction in found.items():
        marker = "projektets tolkning" if direction else "Ingen önskad riktning"
        assert marker in notes[indicator], indicator
    readme = (EXAMPLES / "norberg" / "README.md").read_text(encoding="utf-8")
    for indicator, direction in found.items():
        if direction is None:
            assert indicator in readme, indicator


def test_vaggeryd_steering_goals_have_two_illustrative_nyckeltal_each() -> None:
    """KS1-KS3 are each measured by two illustrative nyckeltal with source, unit and direction."""
    graph = import_files(EXAMPLES / "vaggeryd" / "csv")
    found = rows(
        graph,
        "SELECT ?g ?i WHERE { ?goal dcterms:identifier ?g ; gg:measuredBy ?x ."
        " ?x dcterms:identifier ?i ; gg:illustrative true ; gg:source ?s ; gg:unit ?u ;"
        " gg:desiredDirection ?d }",
    )
    assert Counter(row["g"] for row in found) == {"KS1": 2, "KS2": 2, "KS3": 2}


def test_vaggeryd_forecasts_exist_at_august_and_are_missing_at_april() -> None:
    """KS1-KS3 have forecasts at DR-2019-08; at DR-2019-04 they are deliberately missing."""
    graph = import_files(EXAMPLES / "vaggeryd" / "csv")
    found = rows(
        graph,
        "SELECT ?g ?r WHERE { ?f a gg:Forecast ; gg:assessedGoal/dcterms:identifier ?g ;"
        " gg:atReportingPoint/dcterms:identifier ?r }",
    )
    assert sorted((row["g"], row["r"]) for row in found) == [
        ("KS1", "DR-2019-08"),
        ("KS2", "DR-2019-08"),
        ("KS3", "DR-2019-08"),
    ]
    readme = (EXAMPLES / "vaggeryd" / "README.md").read_text(encoding="utf-8")
    assert "DR-2019-04) are deliberately missing" in readme


# --- expected-status.csv ---------------------------------------------------------------


def test_expected_status_names_only_observed_indicators_of_its_kommun(
    example: tuple[str, GoalGraph],
) -> None:
    """Every row is for the example's kommun and an indicator with values; all are covered."""
    name, graph = example
    table = expected(name)
    observed = series(graph)
    assert {row["kommun"] for row in table} == {CODES[name]}
    assert {row["indicator"] for row in table} == set(observed)
    assert all(row["status"] in STATUSES for row in table)


def test_expected_status_figures_are_those_of_the_data(example: tuple[str, GoalGraph]) -> None:
    """Direction, target, base and latest values in the file are the ones in the graph."""
    name, graph = example
    observed, wanted, goal = series(graph), targets(graph), directions(graph)
    for row in expected(name):
        indicator = row["indicator"]
        assert row["direction"] == (goal[indicator] or ""), indicator
        target = wanted.get(indicator)
        if target is None:
            assert (row["target_value"], row["target_year"]) == ("", ""), indicator
        else:
            assert float(row["target_value"]) == target[0], indicator
            assert row["target_year"] == ("" if target[1] is None else str(target[1]))
        values = observed[indicator]
        assert float(row["latest_value"]) == values[int(row["latest_year"])], indicator
        if row["base_year"]:
            assert float(row["base_value"]) == values[int(row["base_year"])], indicator


def mismatches(graph: GoalGraph, table: list[dict[str, str]]) -> list[str]:
    """The rows of *table* whose status, reason or rates differ from the method's answer."""
    observed, wanted, goal = series(graph), targets(graph), directions(graph)
    wrong = []
    for row in table:
        indicator = row["indicator"]
        result = reference_status(
            observed[indicator], goal[indicator], wanted.get(indicator), int(row["year"])
        )
        if (row["status"], row["reason"]) != (result["status"], result["reason"]) or any(
            not math.isclose(float(row[column]), result[column], abs_tol=5e-6)
            for column in ("cagr", "required_cagr", "ratio")
            if row[column]
        ):
            wrong.append(f"{indicator} {row['year']}")
    return wrong


def test_expected_status_follows_from_the_data_by_the_documented_method(
    example: tuple[str, GoalGraph],
) -> None:
    """Each row's status, reason and rates are what the method gives for its indicator and year."""
    name, graph = example
    assert mismatches(graph, expected(name)) == []


def test_a_wrong_row_of_expected_status_is_caught(example: tuple[str, GoalGraph]) -> None:
    """Changing one row's status or rate makes the consistency check name that row."""
    name, graph = example
    table = expected(name)
    first = next(i for i, row in enumerate(table) if row["reason"] in ("cagr", "ratio"))
    wrong_status = [dict(row) for row in table]
    wrong_status[first]["status"] = "target-achieved"
    wrong_rate = [dict(row) for row in table]
    wrong_rate[first]["cagr"] = str(float(table[first]["cagr"]) + 0.001)
    label = f"{table[first]['indicator']} {table[first]['year']}"
    assert mismatches(graph, wrong_status) == [label]
    assert mismatches(graph, wrong_rate) == [label]


def test_expected_status_cases_cover_every_status_and_reason() -> None:
    """Together the two examples give every status and every reason for 'not available'."""
    table = expected("norberg") + expected("vaggeryd")
    assert {row["status"] for row in table} == STATUSES
    reasons = {row["reason"] for row in table if row["status"] == "not-available"}
    assert reasons == NOT_AVAILABLE_REASONS
    norberg = {row["status"] for row in expected("norberg")}
    assert norberg == STATUSES


def test_expected_status_cases_are_clear_of_the_thresholds() -> None:
    """No computed rate or ratio lies within a small margin of a threshold."""
    for row in expected("norberg") + expected("vaggeryd"):
        if row["reason"] == "cagr" and row["cagr"]:
            growth = abs(float(row["cagr"]))
            assert all(abs(growth - t) > 0.001 for t in (0.005, 0.015)), row["indicator"]
        if row["reason"] == "ratio":
            ratio = float(row["ratio"])
            assert all(abs(ratio - t) > 0.05 for t in (0.0, 0.6, 0.95)), row["indicator"]


def test_every_expected_status_case_is_in_the_readme_table(example: tuple[str, GoalGraph]) -> None:
    """The README's table of follow-up cases lists each indicator of expected-status.csv."""
    name, _ = example
    readme = (EXAMPLES / name / "README.md").read_text(encoding="utf-8")
    for row in expected(name):
        assert f"| {row['indicator']} " in readme, row["indicator"]
        assert row["status"] in readme


def test_reference_status_agrees_with_the_hand_calculation_of_nt1_1() -> None:
    """NT1-1 by hand: CAGR 1.831 %, required 3.708 %, R 0.494, so limited progress."""
    values = {2015: 62.0, 2024: 73.0}
    result = reference_status(values, "increase", (80.0, 2022), 2024)
    assert result["status"] == "limited-progress"
    assert math.isclose(result["cagr"], 0.018313, abs_tol=1e-6)
    assert math.isclose(result["required_cagr"], 0.037084, abs_tol=1e-6)
    assert math.isclose(result["ratio"], 0.4938, abs_tol=1e-4)
