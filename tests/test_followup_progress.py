"""The pure progress measure (goalgraph.followup.progress): Open SDG rules and invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from goalgraph.followup.progress import (
    STATUSES,
    Progress,
    Target,
    combine,
    default_method,
    measure,
    piecewise,
    status_of_score,
)

RANK = {status: i for i, status in enumerate(STATUSES)}
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=2016, max_value=2030)
directions = st.sampled_from(["increase", "decrease"])


def test_method_file_holds_open_sdg_thresholds() -> None:
    """The packaged thresholds are Open SDG's: 1.5/0.5/0 % without a target, 95/60/0 % with one."""
    method = default_method()
    assert method.without_target_thresholds == (0.015, 0.005, 0.0)
    assert method.with_target_thresholds == (0.95, 0.6, 0.0)
    assert method.zero_replacement == 0.001
    assert method.base_year == 2015
    assert method.top_score == 5.0


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (117.0, "on-track"),  # CAGR 1.58 %
        (110.0, "acceleration-needed"),  # 0.96 %
        (105.0, "limited-progress"),  # 0.49 %, just below the 0.5 % bound
        (101.0, "limited-progress"),  # 0.1 %
        (95.0, "deterioration"),
    ],
)
def test_without_target_cagr_is_compared_with_fixed_thresholds(latest: float, status: str) -> None:
    """Without a target, d·CAGR ≥ 1.5 % is on track, ≥ 0.5 % needs acceleration, ≥ 0 is limited."""
    result = measure([(2015, 100.0), (2025, latest)], direction="increase")
    assert result.status == status
    assert result.cagr == pytest.approx((latest / 100.0) ** (1 / 10) - 1)


def test_decrease_direction_turns_a_fall_into_progress() -> None:
    """A falling value of a lower-is-better indicator is progress; rising is deterioration."""
    assert measure([(2015, 100.0), (2025, 80.0)], direction="decrease").status == "on-track"
    assert measure([(2015, 100.0), (2025, 120.0)], direction="decrease").status == "deterioration"


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (90.0, "target-achieved"),
        (88.0, "on-track"),
        (77.0, "acceleration-needed"),
        (71.0, "limited-progress"),
        (65.0, "deterioration"),
    ],
)
def test_with_target_ratio_is_compared_with_95_and_60_percent(latest: float, status: str) -> None:
    """With a target, R = d·CAGR/|CAGR required| ≥ 95 % is on track, 60–95 % needs acceleration."""
    result = measure(
        [(2015, 70.0), (2020, latest)], direction="increase", target=Target(90.0, 2025)
    )
    assert result.status == status
    if status != "target-achieved":
        required = (90.0 / 70.0) ** (1 / 10) - 1
        assert result.required == pytest.approx(required)
        assert result.ratio == pytest.approx(result.cagr / abs(required))


def test_score_follows_the_open_sdg_transformation() -> None:
    """Scores: −2 %→−5, 0→−2.5, 0.5 %→0, 1.5 %→2.5, 2 %→5 without target; R 60 %→0, 130 %→5 with."""
    method = default_method()
    for x, y in [(-0.03, -5), (-0.02, -5), (0.0, -2.5), (0.005, 0), (0.015, 2.5), (0.02, 5)]:
        assert piecewise(x, method.without_target_score) == pytest.approx(y)
    for x, y in [(-0.6, -5), (0.0, -2.5), (0.6, 0), (0.95, 2.5), (1.3, 5), (2.0, 5)]:
        assert piecewise(x, method.with_target_score) == pytest.approx(y)


def test_target_achieved_scores_five() -> None:
    """A target achieved gets score 5 whatever the trend."""
    result = measure([(2015, 95.0), (2020, 91.0)], direction="increase", target=Target(90.0, 2030))
    assert (result.status, result.score) == ("target-achieved", 5.0)


def test_base_year_is_the_option_else_the_first_year_after_it() -> None:
    """The base is the base_year value, else the first later year with data; older years ignored."""
    series = [(2012, 10.0), (2017, 100.0), (2020, 120.0)]
    assert measure(series, direction="increase").base == (2017, 100.0)
    assert measure(series, direction="increase", base_year=2010).base == (2012, 10.0)
    assert measure(series, direction="increase").previous == (2017, 100.0)


def test_latest_and_previous_are_known_even_when_not_available() -> None:
    """A series with one value still reports its latest value; change needs two."""
    result = measure([(2019, 42.0)], direction="increase")
    assert (result.status, result.reason, result.latest, result.change) == (
        "not-available",
        "too-few-values",
        (2019, 42.0),
        None,
    )
    assert measure([(2018, 40.0), (2019, 42.0)], direction="increase").change == 2.0


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"series": [(2014, 1.0), (2013, 2.0)], "direction": "increase"}, "too-few-values"),
        ({"series": [(2015, 1.0), (2016, 2.0)], "direction": None}, "no-direction"),
        ({"series": [(2015, 1.0), (2016, 2.0)], "direction": "neutral"}, "no-target"),
        (
            {
                "series": [(2015, 1.0), (2016, 2.0)],
                "direction": "increase",
                "target": Target(5.0, None),
            },
            "target-without-year",
        ),
        (
            {
                "series": [(2016, 1.0), (2018, 2.0)],
                "direction": "increase",
                "target": Target(5.0, 2016),
            },
            "target-before-base",
        ),
        ({"series": [(2015, -1.0), (2016, 2.0)], "direction": "increase"}, "mixed-signs"),
        (
            {
                "series": [(2015, 1.0), (2016, 2.0)],
                "direction": "decrease",
                "target": Target(-1.0, 2030),
            },
            "mixed-signs",
        ),
    ],
)
def test_not_available_always_names_its_reason(kwargs: dict[str, object], reason: str) -> None:
    """Each case the method cannot judge gives not-available with the documented reason."""
    result = measure(**kwargs)  # type: ignore[arg-type]
    assert (result.status, result.reason) == ("not-available", reason)


def test_a_judged_series_has_no_reason() -> None:
    """A status other than not-available carries no reason."""
    assert measure([(2015, 1.0), (2020, 2.0)], direction="increase").reason is None


def test_duplicate_years_and_non_finite_values_are_refused() -> None:
    """Two values for one year, or a NaN, raise ValueError instead of picking one silently."""
    with pytest.raises(ValueError, match="same year"):
        measure([(2015, 1.0), (2015, 2.0)], direction="increase")
    with pytest.raises(ValueError, match="finite"):
        measure([(2015, 1.0), (2016, math.nan)], direction="increase")


def test_zero_base_is_replaced_by_a_thousandth() -> None:
    """A zero base value is replaced by 0.001 (Open SDG), so growth from zero is measurable."""
    result = measure([(2015, 0.0), (2016, 0.002)], direction="increase")
    assert result.cagr == pytest.approx(1.0)
    assert result.status == "on-track"


def test_zero_target_is_replaced_by_a_thousandth() -> None:
    """A target of zero is replaced by 0.001 when computing the required rate."""
    result = measure([(2015, 10.0), (2020, 5.0)], direction="decrease", target=Target(0.0, 2025))
    assert result.required == pytest.approx((0.001 / 10.0) ** (1 / 10) - 1)


def test_an_unchanged_value_is_no_growth_even_at_zero() -> None:
    """Zero in the base year and zero now is a growth rate of 0, not −100 %."""
    result = measure([(2015, 0.0), (2020, 0.0)], direction="increase")
    assert (result.cagr, result.status) == (0.0, "limited-progress")


def test_all_negative_values_flip_the_direction() -> None:
    """With only negative values the magnitudes are used and the direction flipped (Open SDG)."""
    result = measure([(2015, -100.0), (2025, -80.0)], direction="increase")
    assert result.flipped
    assert result.status == "on-track"  # −100 → −80 is a rise, as the indicator wants


def test_neutral_indicator_with_target_aims_at_the_target() -> None:
    """A neutral indicator with a target is judged towards it: d = sign(target − base)."""
    up = measure([(2015, 10.0), (2020, 14.0)], direction="neutral", target=Target(20.0, 2025))
    down = measure([(2015, 10.0), (2020, 7.0)], direction="neutral", target=Target(5.0, 2025))
    assert (up.sign, down.sign) == (1, -1)
    assert up.status == down.status == "on-track"


def test_required_rate_zero_gives_an_infinite_ratio() -> None:
    """A base already at the (replaced) target needs no growth: moving away is deterioration."""
    result = measure([(2015, 0.0), (2020, 3.0)], direction="decrease", target=Target(0.0, 2025))
    assert result.required == 0
    assert result.ratio == -math.inf
    assert result.status == "deterioration"


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (5.0, "on-track"),
        (2.5, "on-track"),
        (0.0, "acceleration-needed"),
        (-2.5, "limited-progress"),
        (-2.6, "deterioration"),
    ],
)
def test_status_of_score_uses_the_score_bands(score: float, status: str) -> None:
    """Scores 2.5–5 are on track, 0–2.5 acceleration needed, −2.5–0 limited, below deterioration."""
    assert status_of_score(score) == status


def test_status_of_score_refuses_nan() -> None:
    """A missing score is not silently given a status."""
    with pytest.raises(ValueError, match="number"):
        status_of_score(math.nan)


def test_piecewise_needs_points() -> None:
    """An empty score transformation is refused."""
    with pytest.raises(ValueError, match="point"):
        piecewise(1.0, ())


# --- invariants --------------------------------------------------------------


def _judge(base: float, latest: float, direction: str, target: Target | None) -> Progress:
    return measure([(2015, base), (2020, latest)], direction=direction, target=target)  # type: ignore[arg-type]


@given(base=positive, lower=positive, higher=positive, direction=directions)
def test_a_better_latest_value_never_gives_a_worse_status(
    base: float, lower: float, higher: float, direction: str
) -> None:
    """Monotonicity without target: moving the latest value the desired way never worsens status."""
    lower, higher = sorted((lower, higher))
    worse, better = (lower, higher) if direction == "increase" else (higher, lower)
    assert (
        RANK[_judge(base, better, direction, None).status]
        <= RANK[_judge(base, worse, direction, None).status]
    )


@given(
    base=positive, lower=positive, higher=positive, goal=positive, year=years, direction=directions
)
def test_a_better_latest_value_never_gives_a_worse_status_against_a_target(
    base: float, lower: float, higher: float, goal: float, year: int, direction: str
) -> None:
    """Monotonicity with a target: a value nearer the desired side never gets a worse status."""
    lower, higher = sorted((lower, higher))
    worse, better = (lower, higher) if direction == "increase" else (higher, lower)
    target = Target(goal, year)
    assert (
        RANK[_judge(base, better, direction, target).status]
        <= RANK[_judge(base, worse, direction, target).status]
    )


@given(base=positive, latest=positive, goal=st.none() | positive, year=years, direction=directions)
def test_negating_values_and_flipping_direction_gives_the_same_judgement(
    base: float, latest: float, goal: float | None, year: int, direction: str
) -> None:
    """Direction symmetry: −values with the opposite direction are judged like the original."""
    target = None if goal is None else Target(goal, year)
    mirrored_target = None if goal is None else Target(-goal, year)
    opposite = "decrease" if direction == "increase" else "increase"
    original = _judge(base, latest, direction, target)
    mirrored = _judge(-base, -latest, opposite, mirrored_target)
    assert (mirrored.status, mirrored.reason) == (original.status, original.reason)
    assert mirrored.score == original.score


@given(base=positive, latest=positive, goal=positive, year=years, direction=directions)
def test_target_achieved_exactly_when_the_latest_value_meets_it(
    base: float, latest: float, goal: float, year: int, direction: str
) -> None:
    """Target achieved iff the latest value meets the target in the desired direction."""
    meets = latest >= goal if direction == "increase" else latest <= goal
    result = _judge(base, latest, direction, Target(goal, year))
    assert (result.status == "target-achieved") == meets


@given(base=positive, latest=positive, goal=st.none() | positive, year=years, direction=directions)
def test_score_lies_in_the_band_of_the_status(
    base: float, latest: float, goal: float | None, year: int, direction: str
) -> None:
    """The score of a judged series lies in its status's band (up to rounding at a bound)."""
    result = _judge(base, latest, direction, None if goal is None else Target(goal, year))
    assume(result.status not in ("not-available", "target-achieved"))
    assert result.score is not None
    low, high = {
        "on-track": (2.5, 5.0),
        "acceleration-needed": (0.0, 2.5),
        "limited-progress": (-2.5, 0.0),
        "deterioration": (-5.0, -2.5),
    }[result.status]
    assert low - 1e-9 <= result.score <= high + 1e-9


# --- combining statuses (goal roll-up) ---------------------------------------------------------

judged = st.sampled_from(STATUSES[:5])
items = st.lists(
    st.tuples(judged, st.floats(min_value=-5, max_value=5, allow_nan=False)), min_size=1
)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("worst", "deterioration"), ("share", "on-track"), ("mean-score", "acceleration-needed")],
)
def test_combine_by_each_rule(rule: str, expected: str) -> None:
    """Two on-track items and one deteriorating: worst, share (half) and mean score differ."""
    three = [("on-track", 4.0), ("on-track", 3.0), ("deterioration", -4.0)]
    assert combine(three, rule=rule)[0] == expected


def test_combine_leaves_out_not_available_and_says_when_nothing_is_left() -> None:
    """Not-available items are ignored; with none left the goal is no-indicators."""
    assert combine([("not-available", None), ("on-track", 3.0)]) == ("on-track", None, 3.0)
    assert combine([("not-available", None)]) == ("not-available", "no-indicators", None)
    assert combine([]) == ("not-available", "no-indicators", None)


def test_combine_share_threshold_is_selectable() -> None:
    """With share=0.75, two on-track items of three are not enough for on track."""
    three = [("on-track", 4.0), ("on-track", 3.0), ("limited-progress", -1.0)]
    assert combine(three, rule="share", share=0.5)[0] == "on-track"
    assert combine(three, rule="share", share=0.75)[0] == "limited-progress"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rule": "best"}, "roll-up rule"),
        ({"rule": "share", "share": 0.0}, "share"),
        ({"rule": "share", "share": 1.5}, "share"),
    ],
)
def test_combine_refuses_unknown_rules_and_shares(kwargs: dict[str, object], match: str) -> None:
    """An unknown rule or a share outside (0, 1] is a ValueError."""
    with pytest.raises(ValueError, match=match):
        combine([("on-track", 3.0)], **kwargs)  # type: ignore[arg-type]


def test_combine_refuses_a_status_without_a_score() -> None:
    """A judged item must have a score, or the mean would be wrong."""
    with pytest.raises(ValueError, match="no score"):
        combine([("on-track", None)])


@given(items=items)
def test_worst_is_never_better_than_any_item(items: list[tuple[str, float]]) -> None:
    """Under the worst rule the goal's status is at least as bad as every item's (or all met)."""
    status, _, _ = combine(items, rule="worst")
    if status != "target-achieved":
        assert all(RANK[status] >= min(RANK[s], RANK["on-track"]) for s, _ in items)


@given(items=items, rule=st.sampled_from(["worst", "share", "mean-score"]))
def test_target_achieved_only_when_every_item_is(items: list[tuple[str, float]], rule: str) -> None:
    """Every rule gives target achieved exactly when all judged items achieved their targets."""
    status, _, mean = combine(items, rule=rule)
    assert (status == "target-achieved") == all(s == "target-achieved" for s, _ in items)
    assert mean == pytest.approx(sum(score for _, score in items) / len(items))


@given(items=items)
def test_share_lies_between_worst_and_best(items: list[tuple[str, float]]) -> None:
    """The share rule never gives a status worse than worst or better than the best item."""
    worst = combine(items, rule="worst")[0]
    share = combine(items, rule="share")[0]
    best = min(max(RANK[s], RANK["on-track"]) for s, _ in items)
    if share != "target-achieved":
        assert best <= RANK[share] <= RANK[worst]
