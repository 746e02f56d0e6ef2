"""The progress measure of Open SDG and Statistics Canada, as pure functions of numbers.

:func:`measure` judges one series of yearly values against a desired
direction and, when there is one, a target level: the compound annual growth
rate since the base year (CAGR) against fixed thresholds without a target, or
the ratio of that rate to the rate the target requires with one. It returns a
:class:`Progress` with the status (a notation of ``ref:progress``), the reason
when the status is ``not-available`` (a notation of ``ref:progress-reason``),
the rates and the Open SDG score (−5 … +5) used to combine statuses.

Nothing here reads a graph; the thresholds are data (``method.toml``, read by
:func:`default_method`). The method and its edge cases: ``docs/followup.md``.

>>> p = measure([(2015, 100.0), (2019, 110.0)], direction="increase")
>>> p.status, round(p.cagr, 4), round(p.score, 2)
('on-track', 0.0241, 5.0)
>>> measure([(2019, 110.0)], direction="increase").reason
'too-few-values'
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from goalgraph.resources import followup_dir

__all__ = [
    "REASONS",
    "RULES",
    "STATUSES",
    "Direction",
    "Method",
    "Progress",
    "Target",
    "combine",
    "default_method",
    "measure",
    "measure_sorted",
    "piecewise",
    "status_of_score",
]

Direction = Literal["increase", "decrease", "neutral"]

#: The progress statuses, best first (notations of the ``ref:progress`` scheme).
STATUSES = (
    "target-achieved",
    "on-track",
    "acceleration-needed",
    "limited-progress",
    "deterioration",
    "not-available",
)
#: Why a status is not available (notations of the ``ref:progress-reason`` scheme).
REASONS = (
    "too-few-values",
    "no-direction",
    "no-target",
    "target-without-year",
    "target-before-base",
    "mixed-signs",
    "non-numeric-value",
    "invalid-year",
    "conflicting-values",
    "conflicting-targets",
    "unknown-area",
    "no-indicators",
)
_GRADED = STATUSES[1:5]  # the four statuses thresholds decide between
_RANK = {status: rank for rank, status in enumerate(STATUSES)}

#: The roll-up rules of :func:`combine` (notations of the ``ref:rollup`` scheme).
RULES = ("worst", "share", "mean-score")

Points = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Method:
    """The thresholds and score transformation of the progress measure.

    ``*_thresholds`` are the lower bounds of on-track, acceleration-needed and
    limited-progress (below the last: deterioration); ``*_score`` are the
    (progress value, score) points of the linear score transformation;
    ``score_bands`` are the score bounds of the same three statuses.
    """

    base_year: int
    zero_replacement: float
    without_target_thresholds: tuple[float, float, float]
    without_target_score: Points
    with_target_thresholds: tuple[float, float, float]
    with_target_score: Points
    score_bands: tuple[float, float, float]
    share: float

    @property
    def top_score(self) -> float:
        """The score of a target achieved: the highest score of the transformation."""
        return self.with_target_score[-1][1]


def _bounds(table: dict[str, Any]) -> tuple[float, float, float]:
    return (
        float(table["on-track"]),
        float(table["acceleration-needed"]),
        float(table["limited-progress"]),
    )


def _points(rows: list[list[float]]) -> Points:
    return tuple((float(x), float(y)) for x, y in rows)


@cache
def default_method() -> Method:
    """The method of ``goalgraph/followup/method.toml``: Open SDG's published thresholds.

    :raises OSError: if the packaged file is missing (a broken installation).

    >>> default_method().with_target_thresholds
    (0.95, 0.6, 0.0)
    """
    with (followup_dir() / "method.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return Method(
        base_year=int(data["base_year"]),
        zero_replacement=float(data["zero_replacement"]),
        without_target_thresholds=_bounds(data["without_target"]["thresholds"]),
        without_target_score=_points(data["without_target"]["score"]),
        with_target_thresholds=_bounds(data["with_target"]["thresholds"]),
        with_target_score=_points(data["with_target"]["score"]),
        score_bands=_bounds(data["score_bands"]),
        share=float(data["rollup"]["share"]),
    )


@dataclass(frozen=True)
class Target:
    """A target level: the value to reach and the year to reach it by (``None`` if not given)."""

    value: float
    year: int | None


@dataclass(frozen=True)
class Progress:
    """The judgement of one series.

    ``base``, ``latest`` and ``previous`` are (year, value) pairs when the
    series has them; ``cagr`` is the observed compound annual growth rate,
    ``required`` the rate the target needs, ``ratio`` R = d·CAGR / |required|
    (±inf when the required rate is 0), ``score`` the Open SDG score and
    ``sign`` the d used (+1 higher is better, −1 lower is better; already
    flipped when all values are negative, see ``flipped``).
    """

    status: str
    reason: str | None = None
    base: tuple[int, float] | None = None
    latest: tuple[int, float] | None = None
    previous: tuple[int, float] | None = None
    cagr: float | None = None
    required: float | None = None
    ratio: float | None = None
    score: float | None = None
    sign: int | None = None
    flipped: bool = False

    @property
    def change(self) -> float | None:
        """Latest value minus previous value, if both exist."""
        if self.latest is None or self.previous is None:
            return None
        return self.latest[1] - self.previous[1]


def piecewise(x: float, points: Points) -> float:
    """The value at *x* of the line through *points* (sorted by x), flat beyond the ends.

    :raises ValueError: if *points* is empty.

    >>> round(piecewise(0.01, ((0.005, 0.0), (0.015, 2.5))), 6)
    1.25
    >>> piecewise(9.0, ((0.005, 0.0), (0.015, 2.5)))
    2.5
    """
    if not points:
        raise ValueError("a score transformation needs at least one point")
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def _graded(value: float, bounds: tuple[float, float, float]) -> str:
    for status, bound in zip(_GRADED, bounds, strict=False):
        if value >= bound:
            return status
    return "deterioration"


def status_of_score(score: float, method: Method | None = None) -> str:
    """The status whose score band holds *score* (used to combine statuses by mean score).

    :raises ValueError: if *score* is not a number.

    >>> status_of_score(1.0)
    'acceleration-needed'
    """
    if math.isnan(score):
        raise ValueError("a score must be a number")
    return _graded(score, (method or default_method()).score_bands)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _not_available(reason: str, **known: Any) -> Progress:
    return Progress(status="not-available", reason=reason, **known)


def measure(
    series: Sequence[tuple[int, float]],
    *,
    direction: Direction | None,
    target: Target | None = None,
    base_year: int | None = None,
    method: Method | None = None,
) -> Progress:
    """Judge the yearly *series* by the Open SDG / Statistics Canada progress measure.

    *series* holds (year, value) pairs with distinct years, all of them up to
    the year being assessed. The base is the first value from *base_year*
    (default: the method's, 2015) on; the latest is the last value. The
    checks run in this order, the first that fails naming the reason:
    fewer than two values from the base year (``too-few-values``), no
    direction (``no-direction``), neutral without target (``no-target``),
    then target achieved, a target without year (``target-without-year``) or
    not after the base year (``target-before-base``), values of mixed sign
    (``mixed-signs``).

    :raises ValueError: if two values share a year or a value is not finite.

    >>> measure([(2015, 50.0), (2020, 40.0)], direction="decrease",
    ...         target=Target(35.0, 2025)).status
    'on-track'
    >>> measure([(2015, 1.0), (2016, 1.0)], direction=None).reason
    'no-direction'
    """
    points = sorted(series)
    years = [year for year, _ in points]
    if len(set(years)) != len(years):
        raise ValueError(f"two values for the same year in {points}")
    if not all(math.isfinite(value) for _, value in points):
        raise ValueError(f"a value that is not a finite number in {points}")
    return measure_sorted(
        points, direction=direction, target=target, base_year=base_year, method=method
    )


def measure_sorted(
    points: Sequence[tuple[int, float]],
    *,
    direction: Direction | None,
    target: Target | None = None,
    base_year: int | None = None,
    method: Method | None = None,
) -> Progress:
    """:func:`measure` for *points* already sorted by year, with distinct years and finite
    values — not checked again, for the many series of a national graph.

    :raises ValueError: never for points as described; use :func:`measure` for others.

    >>> measure_sorted([(2015, 1.0), (2020, 0.5)], direction="decrease").status
    'on-track'
    """
    method = method or default_method()
    first = method.base_year if base_year is None else base_year
    window = [point for point in points if point[0] >= first]
    known: dict[str, Any] = {
        "latest": points[-1] if points else None,
        "previous": points[-2] if len(points) > 1 else None,
    }
    if len(window) < 2:
        return _not_available("too-few-values", **known)
    base, latest = window[0], window[-1]
    known["base"] = base
    years_observed = latest[0] - base[0]
    if (base[1] > 0 and latest[1] < 0) or (base[1] < 0 and latest[1] > 0):
        known["cagr"] = None
    else:  # the observed rate is shown whenever it exists, also when nothing is judged by it
        start, end = abs(base[1]) or method.zero_replacement, abs(latest[1])
        known["cagr"] = 0.0 if latest[1] == base[1] else (end / start) ** (1 / years_observed) - 1
    if direction is None:
        return _not_available("no-direction", **known)
    if direction == "neutral" and target is None:
        return _not_available("no-target", **known)
    d = {"increase": 1, "decrease": -1}.get(direction, 0)
    if target is not None and d == 0:
        # neutral: the desired direction is towards the target (from the base, else from now)
        d = _sign(target.value - base[1]) or _sign(target.value - latest[1])
    if target is not None:
        reached = latest[1] >= target.value if d > 0 else latest[1] <= target.value
        if d == 0:
            reached = latest[1] == target.value
        if reached:
            return Progress(status="target-achieved", score=method.top_score, sign=d, **known)
        if target.year is None:
            return _not_available("target-without-year", sign=d, **known)
        if target.year <= base[0]:
            return _not_available("target-before-base", sign=d, **known)
    values = (base[1], latest[1]) if target is None else (base[1], latest[1], target.value)
    lowest, highest = min(values), max(values)
    if lowest < 0 < highest:
        return _not_available("mixed-signs", sign=d, **known)
    flipped = lowest < 0
    if flipped:  # Open SDG: all values negative — use their magnitudes, desired direction flipped
        d = -d
    cagr = known.pop("cagr")
    start = abs(base[1]) or method.zero_replacement
    if target is None:
        progress = d * cagr
        return Progress(
            status=_graded(progress, method.without_target_thresholds),
            cagr=cagr,
            score=piecewise(progress, method.without_target_score),
            sign=d,
            flipped=flipped,
            **known,
        )
    assert target.year is not None  # checked above
    goal = abs(target.value) or method.zero_replacement
    required = (goal / start) ** (1 / (target.year - base[0])) - 1
    observed = d * cagr
    if required == 0:
        ratio = math.copysign(math.inf, observed) if observed else 0.0
    else:
        ratio = observed / abs(required)
    return Progress(
        status=_graded(ratio, method.with_target_thresholds),
        cagr=cagr,
        required=required,
        ratio=ratio,
        score=piecewise(ratio, method.with_target_score),
        sign=d,
        flipped=flipped,
        **known,
    )


def combine(
    items: Sequence[tuple[str, float | None]],
    *,
    rule: str = "worst",
    share: float | None = None,
    method: Method | None = None,
) -> tuple[str, str | None, float | None]:
    """Combine the (status, score) of a goal's indicators and contributing goals.

    ``not-available`` items are left out. With nothing left the result is
    ``not-available`` for the reason ``no-indicators``. All left items
    ``target-achieved`` give ``target-achieved`` under every rule; otherwise:

    * ``worst`` — the worst status;
    * ``share`` — the best status that at least *share* (default: the
      method's, one half) of the items reach or beat, a target achieved
      counting as on track;
    * ``mean-score`` — the status of the mean score (Open SDG's aggregate).

    Returns (status, reason, mean score of the items left).

    :raises ValueError: for an unknown *rule*, a *share* outside (0, 1], or an
        item with a status but no score.

    >>> combine([("on-track", 3.0), ("deterioration", -4.0), ("not-available", None)])
    ('deterioration', None, -0.5)
    >>> combine([("on-track", 3.0), ("deterioration", -4.0)], rule="mean-score")
    ('limited-progress', None, -0.5)
    """
    method = method or default_method()
    if rule not in RULES:
        raise ValueError(f"unknown roll-up rule {rule!r}: use {', '.join(RULES)}")
    fraction = method.share if share is None else share
    if not 0 < fraction <= 1:
        raise ValueError(f"the share must be above 0 and at most 1, not {fraction}")
    judged = [(status, score) for status, score in items if status != "not-available"]
    if not judged:
        return "not-available", "no-indicators", None
    if any(score is None for _, score in judged):
        raise ValueError(f"an item with a status but no score in {judged}")
    mean = sum(score for _, score in judged if score is not None) / len(judged)
    if all(status == "target-achieved" for status, _ in judged):
        return "target-achieved", None, mean
    ranks = [max(_RANK[status], _RANK["on-track"]) for status, _ in judged]
    if rule == "worst":
        return STATUSES[max(ranks)], None, mean
    if rule == "share":
        for status in _GRADED:
            if sum(rank <= _RANK[status] for rank in ranks) >= fraction * len(ranks):
                return status, None, mean
    return _graded(mean, method.score_bands), None, mean
