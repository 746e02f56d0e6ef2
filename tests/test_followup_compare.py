"""goalgraph.compare(): several kommuner's indicator values and statuses side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import goalgraph
from goalgraph import GoalGraph, UnknownTermError, load
from goalgraph.followup import Comparison, compare
from goalgraph.followup._compare import COMPARISON_COLUMNS

DATA = Path(__file__).parent / "data" / "followup"


@pytest.fixture(scope="module")
def graph() -> GoalGraph:
    """Vetlanda and Norberg following the same Kolada nyckeltal (data/followup/compare.ttl)."""
    return load(DATA / "compare.ttl")


@pytest.fixture(scope="module")
def ranked(graph: GoalGraph) -> Comparison:
    """Vetlanda, Norberg and Vaggeryd (no data) compared with ranks."""
    return compare(graph, ["0685", "1962", "0665"], rank=True)


def _cell(comparison: Comparison, key: str, kommun: str) -> dict[str, object]:
    rows = comparison.values[
        (comparison.values["key"] == key) & (comparison.values["kommun"] == kommun)
    ]
    assert len(rows) == 1
    return rows.iloc[0].to_dict()  # type: ignore[no-any-return]


def test_compare_is_exported_from_goalgraph() -> None:
    """goalgraph.compare is the comparison API."""
    assert goalgraph.compare is compare


def test_indicators_are_matched_by_kolada_id_across_kommuner(ranked: Comparison) -> None:
    """Vetlanda's V1 and Norberg's NT1-1 share N15428 and are one row key."""
    assert list(ranked.values.columns) == COMPARISON_COLUMNS
    rows = ranked.values[ranked.values["key"] == "N15428"]
    assert sorted(rows["indicator_id"]) == ["NT1-1", "V1"]
    assert _cell(ranked, "N15428", "0685")["value"] == 70.0
    assert _cell(ranked, "N15428", "1962")["status"] == "acceleration-needed"


def test_indicator_without_kolada_id_is_matched_by_itself(ranked: Comparison) -> None:
    """POP has no Kolada id: its values in both kommuner share the indicator IRI as key."""
    key = "https://w3id.org/goalgraph/id/0685/indicator/POP"
    assert {_cell(ranked, key, k)["value"] for k in ("0685", "1962")} == {27000.0, 5800.0}


def test_rank_is_relative_and_respects_the_direction(ranked: Comparison) -> None:
    """Higher is better for N15428: Vetlanda (70) 1st of 2, Norberg (65) 2nd."""
    assert (_cell(ranked, "N15428", "0685")["rank"], _cell(ranked, "N15428", "0685")["ranked"]) == (
        1,
        2,
    )
    assert _cell(ranked, "N15428", "1962")["rank"] == 2


def test_only_values_of_the_newest_year_are_ranked(ranked: Comparison) -> None:
    """N00001: Vetlanda's value is from 2019, Norberg's from 2020; only Norberg is ranked."""
    assert _cell(ranked, "N00001", "1962")["rank"] == 1
    assert pd.isna(_cell(ranked, "N00001", "0685")["rank"])


def test_neutral_indicator_is_never_ranked(ranked: Comparison) -> None:
    """A neutral indicator has no better direction, so no rank."""
    key = "https://w3id.org/goalgraph/id/0685/indicator/POP"
    assert ranked.values[ranked.values["key"] == key]["rank"].isna().all()


def test_without_rank_no_kommun_is_ranked(graph: GoalGraph) -> None:
    """Ranks are only computed when asked for."""
    assert compare(graph, ["0685", "1962"]).values["rank"].isna().all()


def test_wide_table_has_a_column_per_kommun_and_dashes_where_missing(ranked: Comparison) -> None:
    """The wide table has the kommuner as columns; Vaggeryd (no data) shows –."""
    wide = ranked.wide()
    assert list(wide.columns) == ["0685", "1962", "0665"]
    assert set(wide["0665"]) == {"–"}
    row = wide.loc["N15428 Behöriga till yrkesprogram"]
    assert row["0685"] == "70 (2020) på väg att nås [1/2]"


def test_values_from_kolada_carry_the_credit(ranked: Comparison) -> None:
    """Kolada-derived values are marked 'egen bearbetning av data från Kolada' in every output."""
    assert ranked.values.set_index("key").loc["N15428", "from_kolada"].all()
    assert ranked.note() == "egen bearbetning av data från Kolada"
    assert ranked.to_text().endswith("Egen bearbetning av data från Kolada.")
    assert json.loads(ranked.to_json())["note"] == "egen bearbetning av data från Kolada"


def test_json_lists_kommuner_and_values(ranked: Comparison) -> None:
    """to_json() is strict JSON with the kommuner in the order asked and one row per value."""
    data = json.loads(ranked.to_json(), parse_constant=lambda name: pytest.fail(name))
    assert data["kommuner"] == ["0685", "1962", "0665"]
    assert len(data["values"]) == len(ranked.values)


def test_year_compares_older_values(graph: GoalGraph) -> None:
    """With year=2019, Norberg's N00001 value is from 2015, Vetlanda's from 2019."""
    comparison = compare(graph, ["0685", "1962"], year=2019)
    assert _cell(comparison, "N00001", "1962")["year"] == 2015


def test_unknown_kommun_is_an_unknown_term_error(graph: GoalGraph) -> None:
    """A kommun code that does not exist is named."""
    with pytest.raises(UnknownTermError, match="0699"):
        compare(graph, ["0685", "0699"])


def test_no_kommun_is_an_unknown_term_error(graph: GoalGraph) -> None:
    """Comparing nothing is an error that says how to name kommuner."""
    with pytest.raises(UnknownTermError, match="--kommun"):
        compare(graph, [])


def test_nothing_to_compare_says_so(vocabulary: GoalGraph) -> None:
    """Kommuner without indicators give an empty table and a sentence saying so."""
    comparison = compare(vocabulary, ["0685", "1962"])
    assert comparison.values.empty
    assert comparison.to_text() == "Inga nyckeltal med värden för de jämförda kommunerna."
