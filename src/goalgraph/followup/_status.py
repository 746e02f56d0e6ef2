"""``status()``: progress of every indicator and goal, with forecasts and findings."""

from __future__ import annotations

import difflib
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from goalgraph.errors import UnknownTermError
from goalgraph.followup._forecasts import forecasts, reporting_points, resolve_point
from goalgraph.followup._indicators import (
    IndicatorInfo,
    IndicatorResult,
    Key,
    Scope,
    assess_indicators,
    indicator_infos,
    observations_frame,
)
from goalgraph.followup._names import Finding, Names
from goalgraph.followup._report import Model, StatusReport
from goalgraph.followup._rollup import GoalInfo, GoalResult, goal_infos, links_of, roll_up
from goalgraph.followup._tables import read_tables
from goalgraph.followup.progress import REASONS, RULES, STATUSES, default_method
from goalgraph.graph import PREFIXES
from goalgraph.i18n import message
from goalgraph.municipalities import require_kommun

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.endpoint import Endpoint
    from goalgraph.graph import GoalGraph

__all__ = ["FINDING_COLUMNS", "GOAL_COLUMNS", "INDICATOR_COLUMNS", "resolve_kommun", "status"]

_REF = PREFIXES["ref"]

INDICATOR_COLUMNS = [
    "kommun",
    "kommun_label",
    "area",
    "indicator",
    "indicator_id",
    "indicator_label",
    "kolada_id",
    "unit",
    "direction",
    "base_year",
    "base_value",
    "latest_year",
    "latest_value",
    "previous_year",
    "previous_value",
    "change",
    "cagr",
    "target",
    "target_value",
    "target_year",
    "required_cagr",
    "ratio",
    "score",
    "status",
    "status_label",
    "reason",
    "reason_label",
    "from_kolada",
    "illustrative",
]
GOAL_COLUMNS = [
    "goal",
    "goal_id",
    "goal_label",
    "kind",
    "kind_label",
    "kommun",
    "kommun_label",
    "organisation",
    "organisation_label",
    "role",
    "status",
    "status_label",
    "reason",
    "reason_label",
    "score",
    "assessed",
    "not_available",
    "indicators",
    "contributing",
    "rule",
    "forecast",
    "forecast_label",
    "forecast_at",
    "forecast_at_id",
    "forecast_at_label",
    "illustrative",
]
FINDING_COLUMNS = ["severity", "code", "focus", "focus_label", "message"]
_YEAR_COLUMNS = ["base_year", "latest_year", "previous_year", "target_year"]
_FLOAT_COLUMNS = [
    "base_value",
    "latest_value",
    "previous_value",
    "change",
    "cagr",
    "target_value",
    "required_cagr",
    "ratio",
    "score",
]


def resolve_kommun(code: str, known: dict[str, str], lang: str | None) -> str:
    """The IRI of the kommun with *code* among *known* (IRI → code).

    :raises UnknownTermError: naming *code* and the closest known codes.
    """
    for iri, known_code in known.items():
        if known_code == code.strip():
            return iri
    codes = sorted(set(known.values()))
    # kommun codes start with their county's code: suggest the county's kommuner first
    wanted = code.strip()
    county = [c for c in codes if c[:2] == wanted[:2] and c.isdigit()]
    if wanted.isdigit():
        county.sort(key=lambda c: abs(int(c) - int(wanted)))
    close = county[:8]
    close = close or difflib.get_close_matches(code, codes, n=5, cutoff=0.5)
    raise UnknownTermError(
        message(
            "followup.unknown_kommun",
            lang,
            code=code,
            candidates=", ".join(close) or message("analysis.no_candidates", lang),
        ),
        term=code,
        candidates=close,
    )


def _concepts(names: Names, scheme: str, notations: tuple[str, ...]) -> dict[str, str]:
    return {n: names.label(f"{_REF}{scheme}/{n}") for n in notations}


def _indicator_frame(
    results: dict[Key, IndicatorResult], infos: dict[str, IndicatorInfo], names: Names
) -> pd.DataFrame:
    import pandas as pd

    statuses = _concepts(names, "progress", STATUSES)
    reasons = _concepts(names, "progress-reason", REASONS)
    kommuner = {k: (names.code(k), names.label(k) if k else "") for _, k in results}
    missing = IndicatorInfo("")
    rows = []
    for (indicator, kommun), result in results.items():
        info = infos.get(indicator, missing)
        p, target = result.progress, result.target
        base, latest, previous = p.base, p.latest, p.previous
        rows.append(
            (
                *kommuner[kommun],
                kommun,
                indicator,
                info.identifier,
                names.label(indicator),
                info.kolada_id,
                info.unit,
                info.direction or "",
                base[0] if base else None,
                base[1] if base else None,
                latest[0] if latest else None,
                latest[1] if latest else None,
                previous[0] if previous else None,
                previous[1] if previous else None,
                latest[1] - previous[1] if latest and previous else None,
                p.cagr,
                result.target_iri,
                target.value if target else None,
                target.year if target else None,
                p.required,
                p.ratio,
                p.score,
                p.status,
                statuses[p.status],
                p.reason or "",
                reasons[p.reason] if p.reason else "",
                result.from_kolada,
                result.illustrative,
            )
        )
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    for column in _YEAR_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    for column in _FLOAT_COLUMNS:
        frame[column] = frame[column].astype(float)
    return frame.sort_values(["kommun", "indicator_id", "indicator"], ignore_index=True)


def _goal_frame(
    results: dict[str, GoalResult],
    infos: dict[str, GoalInfo],
    latest: dict[str, dict[str, object]],
    names: Names,
    rule: str,
) -> pd.DataFrame:
    import pandas as pd

    from goalgraph.goal_chain import kind_label

    statuses = _concepts(names, "progress", STATUSES)
    reasons = _concepts(names, "progress-reason", REASONS)
    kinds: dict[str, str] = {}
    nobody: dict[str, object] = {}
    rows = []
    for goal, result in results.items():
        info = infos[goal]
        forecast = latest.get(goal, nobody)
        if info.kind not in kinds:
            kinds[info.kind] = kind_label(info.kind, names.lang)
        indicators = sum(child.indicator is not None for child in result.children)
        assessed = result.assessed
        rows.append(
            (
                goal,
                info.identifier,
                names.label(goal),
                info.kind,
                kinds[info.kind],
                names.code(info.kommun) if info.kommun else "",
                names.label(info.kommun) if info.kommun else "",
                info.organisation,
                names.label(info.organisation) if info.organisation else "",
                info.role,
                result.status,
                statuses[result.status],
                result.reason or "",
                reasons[result.reason] if result.reason else "",
                result.score,
                assessed,
                len(result.children) - assessed,
                indicators,
                len(result.children) - indicators,
                rule,
                forecast.get("attainment", ""),
                forecast.get("attainment_label", ""),
                forecast.get("reporting_point", ""),
                forecast.get("reporting_point_id", ""),
                forecast.get("reporting_point_label", ""),
                info.illustrative,
            )
        )
    frame = pd.DataFrame(rows, columns=GOAL_COLUMNS)
    frame["score"] = frame["score"].astype(float)
    order = {"area": 0, "council_goal": 1, "executive_board_goal": 2, "committee_goal": 3}
    frame["_order"] = frame["kind"].map(order).fillna(4)
    frame = frame.sort_values(["kommun", "_order", "goal_id", "goal"], ignore_index=True)
    return frame.drop(columns="_order")


def _finding_frame(findings: list[Finding], names: Names) -> pd.DataFrame:
    import pandas as pd

    severity = {"violation": 0, "warning": 1, "info": 2}
    rows = sorted(
        {(f.severity, f.code, f.focus, f.message) for f in findings},
        key=lambda r: (severity[r[0]], r[1], r[3]),
    )
    return pd.DataFrame(
        [(s, c, focus, names.item(focus), text) for s, c, focus, text in rows],
        columns=FINDING_COLUMNS,
    )


def status(
    graph: GoalGraph | Endpoint,
    *,
    year: int | None = None,
    at: str | None = None,
    kommun: str | None = None,
    rule: str = "worst",
    base_year: int | None = None,
    share: float | None = None,
    lang: str | None = None,
) -> StatusReport:
    """Progress of every indicator and goal of *graph*, with forecasts beside it.

    Each indicator is judged per kommun by the Open SDG / Statistics Canada
    progress measure (:mod:`goalgraph.followup.progress`; method in
    ``docs/followup.md``); each goal and riktning combines its indicators and
    contributing goals by *rule* (``worst``, ``share`` or ``mean-score``).

    :param year: judge values up to this year (default: all).
    :param at: a reporting point (IRI or id, e.g. ``DR-2019-08``): only its
        forecasts count, and *year* defaults to its year.
    :param kommun: a kommun code (``"0685"``) to report on one kommun only.
    :param rule: how a goal's status is combined, see :func:`~goalgraph.followup.progress.combine`.
    :param base_year: the base year (default: 2015, from ``method.toml``).
    :param share: the share the ``share`` rule needs (default: one half).
    :param lang: language of labels and messages (sv or en).
    :raises UnknownTermError: for an unknown kommun code (or a kommun the data holds
        nothing about), reporting point or rule.

    >>> from goalgraph import load
    >>> status(load(), kommun="9999")
    Traceback (most recent call last):
    goalgraph.errors.UnknownTermError: ...
    """
    from goalgraph.store.remote import as_graph

    graph = as_graph(graph)
    started = datetime.now(UTC)
    with _collector_paused():
        return _status(graph, year, at, kommun, rule, base_year, share, lang, started)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a national graph makes millions of small acyclic
    objects, and collecting them over and over costs a fifth of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _status(
    graph: GoalGraph,
    year: int | None,
    at: str | None,
    kommun: str | None,
    rule: str,
    base_year: int | None,
    share: float | None,
    lang: str | None,
    started: datetime,
) -> StatusReport:
    if rule not in RULES:
        raise UnknownTermError(
            message("followup.unknown_rule", lang, rule=rule, choices=", ".join(RULES)),
            term=rule,
            candidates=list(RULES),
        )
    method = default_method()
    tables = read_tables(graph)
    names = Names.of(graph, tables, lang)
    kommun_iri = require_kommun(graph, kommun, lang=lang) if kommun is not None else None
    points = reporting_points(tables)
    point = resolve_point(points, at, lang) if at is not None else None
    if year is None and point is not None:
        year = point.year
    scope = Scope(
        year=year,
        kommun=kommun_iri,
        base_year=method.base_year if base_year is None else base_year,
        method=method,
    )
    goals = goal_infos(tables)
    links = links_of(tables, goals)
    findings: list[Finding] = []
    infos = indicator_infos(tables, names, findings)
    # pairs judged even without observations, so that "no values" shows as a status
    extra: set[Key] = {(iri, info.kommun) for iri, info in infos.items()}
    for goal, indicators in links.indicators.items():
        if goals[goal].kommun:
            extra.update((indicator, goals[goal].kommun) for indicator in indicators)
    indicator_results, found, observed = assess_indicators(
        tables, names, scope, infos, known=set(names.codes), extra=extra
    )
    findings += found
    goal_results, found = roll_up(
        goals, links, indicator_results, scope, names, rule=rule, share=share
    )
    findings += found
    forecast_table, latest, found = forecasts(
        tables, goals, points, names, at=point, year=year, kommun=kommun_iri
    )
    findings += found
    model = Model(
        graph=graph,
        names=names,
        scope=scope,
        indicators=indicator_results,
        indicator_infos=infos,
        goals=goal_results,
        goal_infos=goals,
        links=links,
        forecasts=latest,
        started=started,
        ended=datetime.now(UTC),
    )
    return StatusReport(
        indicators=_indicator_frame(indicator_results, infos, names),
        goals=_goal_frame(goal_results, goals, latest, names, rule),
        forecasts=forecast_table,
        findings=_finding_frame(findings, names),
        observations=observations_frame(observed, names),
        year=year,
        at=(point.identifier or point.iri) if point is not None else None,
        kommun=kommun,
        rule=rule,
        base_year=scope.base_year,
        lang=lang,
        model=model,
    )
