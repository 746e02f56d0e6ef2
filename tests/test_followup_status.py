"""goalgraph.status(): indicator progress, roll-up, forecasts, findings, explanations, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import goalgraph
from goalgraph import GoalGraph, UnknownTermError, load
from goalgraph.followup import StatusReport, status
from goalgraph.followup._status import FINDING_COLUMNS, GOAL_COLUMNS, INDICATOR_COLUMNS
from goalgraph.followup.progress import REASONS, RULES, STATUSES

DATA = Path(__file__).parent / "data" / "followup"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def chain() -> GoalGraph:
    """The small Vetlanda follow-up chain of tests/data/followup/chain.ttl."""
    return load(DATA / "chain.ttl")


@pytest.fixture(scope="module")
def report(chain: GoalGraph) -> StatusReport:
    """The status of the chain with the default options."""
    return status(chain)


@pytest.fixture(scope="module")
def bad() -> StatusReport:
    """The status of tests/data/followup/bad.ttl, one broken indicator per case."""
    return status(load(DATA / "bad.ttl"), lang="en")


def _row(frame: pd.DataFrame, column: str, value: str) -> dict[str, object]:
    rows = frame[frame[column] == value]
    assert len(rows) == 1, f"{value} in {column}: {len(rows)} rows"
    return rows.iloc[0].to_dict()  # type: ignore[no-any-return]


def test_status_is_exported_from_goalgraph() -> None:
    """goalgraph.status and goalgraph.StatusReport are the follow-up API."""
    assert goalgraph.status is status
    assert goalgraph.StatusReport is StatusReport


def test_frames_have_the_documented_columns(report: StatusReport) -> None:
    """Indicators, goals, findings and observations have their documented columns."""
    assert list(report.indicators.columns) == INDICATOR_COLUMNS
    assert list(report.goals.columns) == GOAL_COLUMNS
    assert list(report.findings.columns) == FINDING_COLUMNS
    assert list(report.observations.columns) == [
        "kommun",
        "indicator",
        "indicator_id",
        "year",
        "value",
    ]


def test_notations_in_code_match_the_concept_schemes(vocabulary: GoalGraph) -> None:
    """STATUSES, REASONS and RULES are the notations of ref:progress, …-reason and ref:rollup."""
    for scheme, names in (("progress", STATUSES), ("progress-reason", REASONS), ("rollup", RULES)):
        rows = vocabulary.select(
            "SELECT ?s ?n WHERE { ?c skos:inScheme ?s ; skos:notation ?n }",
            bindings={"s": goalgraph.REF[scheme]},
        )
        assert {row["n"].value for row in rows} == set(names)


def test_indicator_without_target_is_judged_by_its_growth_rate(report: StatusReport) -> None:
    """I1 grew 100 → 110 from 2015 to 2020 (1.9 % a year, wanted up): on track, from Kolada."""
    row = _row(report.indicators, "indicator_id", "I1")
    assert (row["kommun"], row["kommun_label"]) == ("0685", "Vetlanda kommun")
    assert (row["base_year"], row["base_value"], row["latest_year"], row["latest_value"]) == (
        2015,
        100.0,
        2020,
        110.0,
    )
    assert (row["previous_year"], row["previous_value"], row["change"]) == (2019, 104.0, 6.0)
    assert row["cagr"] == pytest.approx(1.1 ** (1 / 5) - 1)
    assert (row["status"], row["status_label"]) == ("on-track", "på väg att nås")
    assert (row["kolada_id"], row["unit"], row["direction"]) == (
        "N00999",
        "antal/1000 inv.",
        "increase",
    )
    assert row["from_kolada"] is True


def test_values_broken_down_by_sex_are_left_out(report: StatusReport) -> None:
    """I1's value for women in 2020 (55) is not its total; the total (110) is used."""
    series = report.observations[report.observations["indicator_id"] == "I1"]
    assert series["value"].tolist() == [90.0, 100.0, 104.0, 110.0]


def test_indicator_with_target_is_judged_by_the_ratio(report: StatusReport) -> None:
    """I2 (lower is better) fell 50 → 40, target 35 by 2025: ratio 1.25, on track."""
    row = _row(report.indicators, "indicator_id", "I2")
    assert (row["target_value"], row["target_year"]) == (35.0, 2025)
    assert row["target"].endswith("/target-level/T2")
    assert row["required_cagr"] == pytest.approx(0.7 ** (1 / 10) - 1)
    assert row["ratio"] == pytest.approx(row["cagr"] / -row["required_cagr"] * -1)
    assert row["status"] == "on-track"
    assert row["from_kolada"] is False


def test_indicator_observed_in_its_own_kommun_without_ref_area(report: StatusReport) -> None:
    """I2's observations have no gg:refArea: they count for the indicator's kommun."""
    assert _row(report.indicators, "indicator_id", "I2")["kommun"] == "0685"


def test_neutral_indicator_without_target_is_not_available(report: StatusReport) -> None:
    """I3 is neutral and has no target level: nothing to judge against."""
    row = _row(report.indicators, "indicator_id", "I3")
    assert (row["status"], row["reason"], row["reason_label"]) == (
        "not-available",
        "no-target",
        "ingen målnivå för neutralt nyckeltal",
    )


def test_target_met_is_target_achieved_with_kolada_provenance(report: StatusReport) -> None:
    """I4 reached 82 against a target of 80: achieved, score 5; its values came from Kolada."""
    row = _row(report.indicators, "indicator_id", "I4")
    assert (row["status"], row["score"], row["from_kolada"]) == ("target-achieved", 5.0, True)
    assert report.from_kolada
    assert report.note() == "egen bearbetning av data från Kolada"


def test_goal_rolls_up_its_indicators_and_contributing_goals(report: StatusReport) -> None:
    """KF1 combines N1, N2 (stated as hasContributingGoal) and KS1; the riktning A1 takes KF1."""
    kf1 = _row(report.goals, "goal_id", "KF1")
    assert (kf1["status"], kf1["assessed"], kf1["not_available"]) == ("on-track", 2, 1)
    assert (kf1["kind"], kf1["kind_label"], kf1["contributing"]) == (
        "council_goal",
        "KF-mål",
        3,
    )
    area = _row(report.goals, "goal_id", "A1")
    assert (area["kind"], area["status"]) == ("area", "on-track")
    n1 = _row(report.goals, "goal_id", "N1")
    assert (n1["indicators"], n1["organisation_label"]) == (2, "Barn- och utbildningsnämnden")


def test_goal_with_nothing_judged_is_not_available(report: StatusReport) -> None:
    """N2's only indicator cannot be judged, and KS2 has none: both are no-indicators."""
    for goal in ("N2", "KS2"):
        row = _row(report.goals, "goal_id", goal)
        assert (row["status"], row["reason"]) == ("not-available", "no-indicators")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("worst", "on-track"), ("share", "target-achieved"), ("mean-score", "on-track")],
)
def test_roll_up_rule_is_selectable(chain: GoalGraph, rule: str, expected: str) -> None:
    """KS1 is achieved under every rule; KF1 follows the rule chosen."""
    report = status(chain, rule=rule)
    assert _row(report.goals, "goal_id", "KS1")["status"] == "target-achieved"
    assert _row(report.goals, "goal_id", "KF1")["rule"] == rule
    assert _row(report.goals, "goal_id", "KF1")["status"] == "on-track"
    share = status(chain, rule="share", share=0.5)
    assert _row(share.goals, "goal_id", "KF1")["status"] == "on-track"
    assert expected in STATUSES


def test_unknown_rule_is_an_unknown_term_error(chain: GoalGraph) -> None:
    """A misspelt rule names itself and the rules there are."""
    with pytest.raises(UnknownTermError, match="worse") as caught:
        status(chain, rule="worse")
    assert caught.value.candidates == list(RULES)


def test_forecast_is_shown_beside_the_computed_status(report: StatusReport) -> None:
    """KS1's forecast at RP-2020-08 (achieved) is in its goal row and in the forecasts table."""
    row = _row(report.goals, "goal_id", "KS1")
    assert (row["forecast"], row["forecast_label"], row["forecast_at_id"]) == (
        "achieved",
        "uppfyllt",
        "RP-2020-08",
    )
    forecast = _row(report.forecasts, "goal_id", "KS1")
    assert (forecast["kind"], forecast["reporting_point_type"], forecast["year"]) == (
        "forecast",
        "interim-report",
        2020,
    )


def test_forecast_on_a_guiding_goal_is_a_finding(report: StatusReport) -> None:
    """KS3 is guiding: its forecast is shown but found wrong."""
    found = report.findings[report.findings["code"] == "forecast-on-guiding-goal"]
    assert found["focus"].str.endswith("/assessment/F-KS3").tolist() == [True]
    assert "KS3" in found["message"].iloc[0]


def test_steering_goal_without_forecast_at_a_reporting_point_of_its_year(
    report: StatusReport,
) -> None:
    """KS2 (valid 2020) lacks a forecast at RP-2020-08; RP-2019 is outside its year; KS1 has one."""
    found = report.findings[report.findings["code"] == "missing-forecast"]
    assert found["focus"].str.rsplit("/", n=1).str[-1].tolist() == ["KS2"]
    assert "RP-2020-08" in found["message"].iloc[0]
    assert found["severity"].tolist() == ["warning"]


def test_at_selects_a_reporting_point_and_its_year(chain: GoalGraph) -> None:
    """At RP-2019 values up to 2019 count and no 2020 forecast is shown."""
    report = status(chain, at="RP-2019")
    assert (report.year, report.at) == (2019, "RP-2019")
    assert _row(report.indicators, "indicator_id", "I1")["latest_year"] == 2019
    assert report.forecasts.empty
    assert _row(report.goals, "goal_id", "KS1")["forecast"] == ""


def test_at_accepts_the_reporting_point_iri(chain: GoalGraph) -> None:
    """A reporting point can be named by its IRI too."""
    iri = "https://w3id.org/goalgraph/id/0685/reporting-point/RP-2020-08"
    assert status(chain, at=iri).at == "RP-2020-08"


def test_unknown_reporting_point_is_an_unknown_term_error(chain: GoalGraph) -> None:
    """A reporting point that does not exist is named, with the ones that do."""
    with pytest.raises(UnknownTermError, match="DR-2030") as caught:
        status(chain, at="DR-2030")
    assert "RP-2019" in caught.value.candidates


def test_year_cuts_the_series(chain: GoalGraph) -> None:
    """With year=2019, I1's latest value is 2019's and its previous 2015's."""
    row = _row(status(chain, year=2019).indicators, "indicator_id", "I1")
    assert (row["latest_year"], row["previous_year"]) == (2019, 2015)


def test_base_year_option_moves_the_base(chain: GoalGraph) -> None:
    """With base_year=2010 the first value (2014) is the base."""
    row = _row(status(chain, base_year=2010).indicators, "indicator_id", "I1")
    assert (row["base_year"], row["base_value"]) == (2014, 90.0)


def test_kommun_option_keeps_one_kommun(chain: GoalGraph) -> None:
    """kommun='0685' keeps Vetlanda's rows; a kommun the data holds nothing about is named."""
    assert set(status(chain, kommun="0685").indicators["kommun"]) == {"0685"}
    with pytest.raises(UnknownTermError, match="1962"):
        status(chain, kommun="1962")


def test_unknown_kommun_is_an_unknown_term_error(chain: GoalGraph) -> None:
    """A kommun code that does not exist is named, with similar codes."""
    with pytest.raises(UnknownTermError, match="0689") as caught:
        status(chain, kommun="0689")
    assert "0685" in caught.value.candidates


def test_labels_and_messages_follow_lang(chain: GoalGraph) -> None:
    """With lang='en' statuses, kinds and messages are in English."""
    report = status(chain, lang="en")
    assert _row(report.indicators, "indicator_id", "I1")["status_label"] == "on track"
    assert _row(report.goals, "goal_id", "KF1")["kind_label"] == "council goal"
    assert "has no attainment forecast" in " ".join(report.findings["message"])


def test_explain_lists_the_indicators_values_and_sub_goals(report: StatusReport) -> None:
    """The explanation of KF1 names its sub-goals, their indicators, values, rates and targets."""
    text = report.explain("KF1")
    first, *rest = text.splitlines()
    assert first.startswith("KF-mål KF1 «Fler i arbete»: på väg att nås (regel: sämsta;")
    assert any("← nämndmål N1" in line and "[avgör]" in line for line in rest)
    assert any(
        "I2 «Långtidsarbetslöshet»" in line and "målnivå 35 år 2025" in line for line in rest
    )
    assert any("2015: 100 → 2020: 110 (årlig förändring +1,9 %)" in line for line in rest)


def test_explain_shows_the_forecast_in_english(report: StatusReport) -> None:
    """The explanation of KS1 shows its forecast; lang='en' gives English."""
    text = report.explain("KS1", lang="en")
    assert "forecast at RP-2020-08" in text and "achieved" in text
    assert "[decides]" in text


def test_explain_of_an_unknown_goal_is_an_unknown_term_error(report: StatusReport) -> None:
    """A goal that does not exist is an UnknownTermError, not a traceback."""
    with pytest.raises(UnknownTermError, match="KF9"):
        report.explain("KF9")


def test_explain_of_an_indicator_says_it_is_no_goal(report: StatusReport) -> None:
    """An item that exists but has no combined status (an indicator) is refused clearly."""
    with pytest.raises(UnknownTermError, match="I1"):
        report.explain("I1")


def test_json_is_valid_and_holds_every_table(chain: GoalGraph) -> None:
    """to_json() is strict JSON (no NaN or Infinity) with scope, note and every table."""
    report = status(chain)
    data = json.loads(report.to_json(), parse_constant=lambda name: pytest.fail(name))
    assert data["note"] == "egen bearbetning av data från Kolada"
    assert {len(data[k]) for k in ("goals", "indicators")} == {7, 4}
    assert data["indicators"][0]["base_year"] == 2015


def test_text_names_scope_goals_indicators_and_findings(report: StatusReport) -> None:
    """to_text() is readable Swedish with the Kolada credit and a line per goal and indicator."""
    text = report.to_text()
    assert text.splitlines()[0].startswith("Uppföljning för alla kommuner, alla år, basår 2015")
    assert "Egen bearbetning av data från Kolada." in text
    assert "KS-mål KS1 «Hållbar tillväxt»: målet uppnått" in text
    assert "| prognos RP-2020-08: uppfyllt" in text
    assert "varning: Det styrande målet KS2" in text


def test_empty_graph_gives_empty_report(vocabulary: GoalGraph) -> None:
    """A graph without follow-up data gives empty tables, not an error."""
    report = status(vocabulary)
    assert report.indicators.empty and report.goals.empty and report.findings.empty


def test_cycle_in_the_goal_chain_is_cut_with_a_finding(tmp_path: Path) -> None:
    """Two goals contributing to each other are both judged; the cycle is a finding."""
    cycle = tmp_path / "cycle.ttl"
    cycle.write_text(
        (DATA / "chain.ttl").read_text(encoding="utf-8")
        + "\nk:goal\\/KF1 gg:contributesToGoal k:goal\\/N1 .\n",
        encoding="utf-8",
    )
    report = status(load(cycle))
    assert "cycle" in report.findings["code"].tolist()
    assert _row(report.goals, "goal_id", "KF1")["status"] == "on-track"


# --- bad input: not available with a reason, or a finding naming the item -------------------


@pytest.mark.parametrize(
    ("indicator", "reason", "finding"),
    [
        ("B-TEXT", "non-numeric-value", "'tolv'"),
        ("B-NOYEAR", "target-without-year", None),
        ("B-NODIR", "no-direction", None),
        ("B-ONE", "too-few-values", None),
        ("B-TWICE", "conflicting-values", "2, 3"),
        ("B-YEAR", "invalid-year", "'tjugotjugo'"),
        ("B-SIGN", "mixed-signs", None),
        ("B-TVAL", "non-numeric-value", "'hög'"),
        ("B-TWOTARGETS", "conflicting-targets", "= 5, "),
    ],
)
def test_bad_input_gives_not_available_with_its_reason(
    bad: StatusReport, indicator: str, reason: str, finding: str | None
) -> None:
    """Each broken indicator is not available for its reason; data errors also name the item."""
    row = _row(bad.indicators, "indicator_id", indicator)
    assert (row["status"], row["reason"]) == ("not-available", reason)
    assert row["reason_label"]
    if finding is not None:
        messages = bad.findings[bad.findings["message"].str.contains(indicator)]["message"]
        assert any(finding in text for text in messages), messages.tolist()


def test_observation_for_an_unknown_kommun_is_not_available_and_named(bad: StatusReport) -> None:
    """Observations for ref:kommun/9999 (no such kommun) are unknown-area, with a finding."""
    rows = bad.indicators[bad.indicators["indicator_id"] == "B-AREA"]
    unknown = rows[rows["reason"] == "unknown-area"]
    assert unknown["kommun"].tolist() == ["https://w3id.org/goalgraph/ref/kommun/9999"]
    messages = bad.findings[bad.findings["code"] == "unknown-area"]["message"].tolist()
    assert len(messages) == 1 and "kommun/9999" in messages[0]
    assert "no known municipality" in messages[0]


def test_county_values_are_comparison_values_not_a_kommun(bad: StatusReport) -> None:
    """A value for Jönköpings län is neither judged nor a finding: it is no kommun's own."""
    assert not bad.indicators["kommun"].str.contains("lan/06").any()
    assert not bad.findings["message"].str.contains("lan/06").any()


def test_indicator_in_its_own_kommun_without_values_shows_too_few_values(
    bad: StatusReport,
) -> None:
    """B-AREA has no values for its own kommun (0665): that row says too few values."""
    rows = bad.indicators[bad.indicators["indicator_id"] == "B-AREA"]
    own = rows[rows["kommun"] == "0665"]
    assert own["reason"].tolist() == ["too-few-values"]


def test_goal_of_broken_indicators_counts_them_as_not_available(bad: StatusReport) -> None:
    """G1's four broken indicators are ignored but counted: not available, 0 judged, 4 not."""
    row = _row(bad.goals, "goal_id", "G1")
    assert (row["status"], row["assessed"], row["not_available"]) == ("not-available", 0, 4)


def test_non_numeric_value_in_a_typed_literal_is_not_available(tmp_path: Path) -> None:
    """A value with a numeric datatype but no number ("n/a"^^xsd:decimal) is not available."""
    source = tmp_path / "typed.ttl"
    source.write_text(
        (DATA / "chain.ttl")
        .read_text(encoding="utf-8")
        .replace("gg:value 104.0", 'gg:value "n/a"^^xsd:decimal'),
        encoding="utf-8",
    )
    row = _row(status(load(source)).indicators, "indicator_id", "I1")
    assert (row["status"], row["reason"]) == ("not-available", "non-numeric-value")


# --- the shipped examples ---------------------------------------------------------------------


@pytest.mark.parametrize("example", ["vaggeryd", "norberg"])
def test_examples_give_the_statuses_their_readme_expects(example: str) -> None:
    """Every row of examples/<kommun>/expected-status.csv is what status() computes."""
    graph = load(EXAMPLES / example / f"{example}.ttl")
    expected = pd.read_csv(EXAMPLES / example / "expected-status.csv", dtype={"kommun": str})
    reports: dict[int, pd.DataFrame] = {}
    for row in expected.to_dict(orient="records"):
        year = int(row["year"])
        if year not in reports:
            reports[year] = status(graph, kommun=row["kommun"], year=year).indicators
        got = _row(reports[year], "indicator_id", row["indicator"])
        assert got["status"] == row["status"], row
        if row["status"] == "not-available":
            assert got["reason"] == row["reason"], row
        for column in ("base_value", "latest_value", "cagr", "required_cagr", "ratio"):
            if not pd.isna(row[column]):
                assert got[column] == pytest.approx(row[column], abs=1e-5), (column, row)


def test_vaggeryd_forecasts_at_dr_2019_08_and_their_absence_at_dr_2019_04() -> None:
    """Vaggeryd's KS goals 1–3 have forecasts at DR-2019-08 and none at DR-2019-04 (findings)."""
    graph = load(EXAMPLES / "vaggeryd" / "vaggeryd.ttl")
    report = status(graph, at="DR-2019-08")
    forecasts = report.goals.set_index("goal_id")["forecast"]
    assert forecasts[["KS1", "KS2", "KS3"]].tolist() == [
        "partly-achieved",
        "achieved",
        "not-achieved",
    ]
    assert report.findings.empty
    earlier = status(graph, at="DR-2019-04")
    missing = earlier.findings[earlier.findings["code"] == "missing-forecast"]
    assert sorted(missing["focus"].str.rsplit("/", n=1).str[-1]) == ["KS1", "KS2", "KS3"]


def test_vaggeryd_ks1_is_explained_by_its_worst_indicator() -> None:
    """KS1 deteriorates because NT-KS1-2 does, though NT-KS1-1 has met its target."""
    report = status(load(EXAMPLES / "vaggeryd" / "vaggeryd.ttl"), at="DR-2019-08")
    text = report.explain("KS1")
    assert text.splitlines()[0].split(": ")[1].startswith("försämring")
    assert "NT-KS1-2" in next(line for line in text.splitlines() if "[avgör]" in line)
    assert "prognos vid DR-2019-08" in text and "delvis uppfyllt" in text


def test_no_kolada_credit_without_kolada_data(bad: StatusReport) -> None:
    """A report with no value from Kolada carries no Kolada note."""
    assert not bad.from_kolada
    assert bad.note() is None
    assert "Kolada" not in bad.to_text()


def test_network_holds_goals_and_indicators_like_trace(report: StatusReport) -> None:
    """network() has the goals and indicators with trace's node attributes, edges pointing up."""
    from goalgraph.goal_chain import describe

    net = report.network()
    k = "https://w3id.org/goalgraph/id/0685/"
    assert net.nodes[k + "goal/KF1"]["kind"] == "council_goal"
    assert net.has_edge(k + "goal/N2", k + "goal/KF1")
    assert net.has_edge(k + "goal/N1", k + "indicator/I1")
    assert describe(net, k + "indicator/I1", "sv") == "nyckeltal I1 «Nya företag per 1000 invånare»"


def test_invented_or_missing_values_of_a_kolada_nyckeltal_are_not_credited_to_kolada() -> None:
    """Norberg's Kolada nyckeltal have illustrative values or none: nothing is 'från Kolada'."""
    report = status(load(EXAMPLES / "norberg" / "norberg.ttl"), year=2023)
    nt11 = _row(report.indicators, "indicator_id", "NT1-1")
    nt12 = _row(report.indicators, "indicator_id", "NT1-2")
    assert (nt11["kolada_id"], nt11["illustrative"], nt11["from_kolada"]) == ("N15428", True, False)
    assert pd.isna(nt12["latest_year"]) and nt12["from_kolada"] is False
    assert report.note() is None
