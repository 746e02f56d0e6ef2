"""Progress of every indicator in every kommun: series, target level, measure.

The observations of one indicator in one kommun (its ``gg:refArea``, else
the indicator's ``gg:municipality``; totals only) form a series. A series that
cannot be judged — an unknown kommun, a value that is not a number, a year
that cannot be read, two different values for one year — is ``not-available``
with that reason and a finding naming the item; the others go to
:func:`goalgraph.followup.progress.measure` with the indicator's direction and
its target level in that kommun.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from goalgraph.followup._names import Finding, Names
from goalgraph.followup.progress import Direction, Method, Progress, Target, measure_sorted
from goalgraph.graph import PREFIXES
from goalgraph.i18n import message

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.followup._tables import Tables

__all__ = [
    "IndicatorInfo",
    "IndicatorResult",
    "Key",
    "Scope",
    "assess_indicators",
    "indicator_infos",
    "observations_frame",
    "read_year",
]

Key = tuple[str, str]  # (indicator IRI, kommun IRI or "")

_YEAR = re.compile(r"^(\d{4})(Z|[+-]\d\d:\d\d)?$")
_TRUE = "true"
_GG = PREFIXES["gg"]
_DCTERMS = PREFIXES["dcterms"]
_KOLADA = PREFIXES["ref"] + "source/kolada"
_DIRECTIONS: dict[str, Direction] = {
    f"{PREFIXES['ref']}direction/{name}": name for name in ("increase", "decrease", "neutral")
}


def read_year(text: str) -> int | None:
    """The year of an ``xsd:gYear`` (or integer) lexical form, or ``None`` if it is not one."""
    match = _YEAR.match(text.strip())
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Scope:
    """What a status covers: up to which year, which kommun (IRI) or all, which base year."""

    year: int | None
    kommun: str | None
    base_year: int
    method: Method


@dataclass(frozen=True)
class IndicatorInfo:
    """What the data says about one indicator."""

    iri: str
    identifier: str = ""
    kolada_id: str = ""
    unit: str = ""
    direction: Direction | None = None
    kommun: str = ""
    from_kolada: bool = False
    illustrative: bool = False


@dataclass
class IndicatorResult:
    """The judgement of one indicator in one kommun, and what it was made from."""

    indicator: str
    kommun: str
    progress: Progress
    target: Target | None = None
    target_iri: str = ""
    from_kolada: bool = False
    illustrative: bool = False
    series: list[tuple[int, float]] = field(default_factory=list)


@dataclass
class _Series:
    points: list[tuple[int, float]] = field(default_factory=list)
    problem: str = ""


def indicator_infos(
    tables: Tables, names: Names, findings: list[Finding]
) -> dict[str, IndicatorInfo]:
    """Every indicator of the data with its metadata; conflicting directions become findings."""
    items = tables.items
    identifiers, kolada_ids = items.first(_DCTERMS + "identifier"), items.first(_GG + "koladaId")
    units, kommuner = items.first(_GG + "unit"), items.first(_GG + "municipality")
    directions, sources = items.all(_GG + "desiredDirection"), items.all(_GG + "source")
    illustrative = items.first(_GG + "illustrative")
    infos = {}
    for iri, classes in items.types().items():
        if _GG + "Indicator" not in classes:
            continue
        found = directions.get(iri, [])
        if len(found) > 1:
            found = sorted(set(found))
        direction: Direction | None = None
        if len(found) == 1 and found[0] in _DIRECTIONS:
            direction = _DIRECTIONS[found[0]]
        elif found:
            findings.append(
                Finding(
                    "warning",
                    "conflicting-direction",
                    iri,
                    message(
                        "followup.conflicting_direction",
                        names.lang,
                        indicator=names.item(iri),
                        directions=", ".join(found),
                    ),
                )
            )
        infos[iri] = IndicatorInfo(
            iri=iri,
            identifier=identifiers.get(iri, ""),
            kolada_id=kolada_ids.get(iri, ""),
            unit=units.get(iri, ""),
            direction=direction,
            kommun=kommuner.get(iri, ""),
            from_kolada=_KOLADA in sources.get(iri, []),
            illustrative=illustrative.get(iri) in ("true", "1"),
        )
    return infos


def _series(
    tables: Tables, infos: dict[str, IndicatorInfo], scope: Scope, names: Names
) -> tuple[dict[Key, _Series], list[Finding], pd.DataFrame]:
    """The series of every (indicator, kommun) in *scope*, the findings about unusable
    observations, and the usable observations (indicator, area, year, value) sorted."""
    import numpy as np
    import pandas as pd

    frame = tables.observations
    own = frame["indicator"].map({i: info.kommun for i, info in infos.items()}).fillna("")
    area = frame["area"].where(frame["area"] != "", own)
    years = pd.to_numeric(frame["year"], errors="coerce")
    odd = years.isna() | (years % 1 != 0) | (years < 1) | (years > 9999)
    if odd.any():  # a gYear with a time zone, or no year at all: read it the slow way
        years[odd] = frame["year"][odd].map(read_year).astype(float)
    # a value is a number when its lexical form is one (SHACL checks the datatype itself)
    numbers = pd.to_numeric(frame["value"], errors="coerce")
    bad = numbers.isna() | np.isinf(numbers) | years.isna()
    keep = pd.Series(True, index=frame.index)
    if scope.year is not None:
        keep &= years.isna() | (years <= scope.year)
    if scope.kommun is not None:
        keep &= area == scope.kommun
    if names.regions:  # county and national values compare; they are no kommun's progress
        keep &= ~area.isin(names.regions)
    series: dict[Key, _Series] = defaultdict(_Series)
    findings: list[Finding] = []
    for row in frame.index[keep & bad].tolist():  # rare: one finding per unusable observation
        indicator, kommun = frame["indicator"][row], area[row]
        entry = series[(indicator, kommun)]
        if years[row] != years[row]:  # NaN: the year could not be read
            entry.problem = entry.problem or "invalid-year"
            raw = frame["year"][row]
            findings.append(_finding("invalid_year", indicator, names, kommun=kommun, year=raw))
        else:
            entry.problem = "non-numeric-value"
            raw, year = frame["value"][row], int(years[row])
            findings.append(
                _finding("non_numeric_value", indicator, names, kommun=kommun, year=year, value=raw)
            )
    good = pd.DataFrame(
        {"indicator": frame["indicator"], "area": area, "year": years, "value": numbers}
    )[keep & ~bad]
    same_year = ["indicator", "area", "year"]
    clash = good.duplicated(same_year, keep=False)
    if clash.any():  # the same value stated twice is one value; different values conflict
        for (indicator, kommun, year), rows in good[clash].groupby(same_year):
            values = sorted(set(rows["value"].tolist()))
            if len(values) > 1:
                series[(indicator, kommun)].problem = "conflicting-values"
                findings.append(
                    _finding(
                        "conflicting_values",
                        indicator,
                        names,
                        kommun=kommun,
                        year=int(year),
                        values=", ".join(f"{v:g}" for v in values),
                    )
                )
        good = good[~good.duplicated(same_year, keep="first")]
    codes = good.groupby(["indicator", "area"], sort=False).ngroup().to_numpy()
    order = np.lexsort((good["year"].to_numpy(), codes))
    good, codes = good.iloc[order], codes[order]
    indicators, areas = good["indicator"].tolist(), good["area"].tolist()
    points = list(zip(good["year"].astype(int).tolist(), good["value"].tolist(), strict=True))
    bounds = [*np.flatnonzero(np.diff(codes, prepend=-1)).tolist(), len(codes)]
    for start, end in itertools.pairwise(bounds):
        series[(indicators[start], areas[start])].points = points[start:end]
    return series, findings, good


def _finding(key: str, indicator: str, names: Names, **values: object) -> Finding:
    kommun = values.pop("kommun", "")
    text = message(
        f"followup.{key}",
        names.lang,
        indicator=names.item(indicator),
        kommun=names.kommun(str(kommun)),
        **values,
    )
    severity = "warning" if key == "unknown_area" else "violation"
    return Finding(severity, key.replace("_", "-"), indicator, text)


@dataclass
class _Targets:
    dated: list[tuple[int, float, str]] = field(default_factory=list)
    undated: list[tuple[float, str]] = field(default_factory=list)
    problem: str = ""


def _targets(
    tables: Tables, infos: dict[str, IndicatorInfo], names: Names
) -> tuple[dict[Key, _Targets], list[Finding]]:
    found: dict[Key, _Targets] = defaultdict(_Targets)
    findings: list[Finding] = []
    seen: set[str] = set()
    for row in tables.targets.to_dict(orient="records"):
        iri = row["target"]
        if iri in seen:  # one row per goal of the target level; the first decides its kommun
            continue
        seen.add(iri)
        indicator = row["indicator"]
        own = infos[indicator].kommun if indicator in infos else ""
        entry = found[(indicator, row["kommun"] or row["goalKommun"] or own)]
        value = _number(row["value"])
        year = read_year(row["year"]) if row["year"] else None
        if value is None:
            entry.problem = "non-numeric-value"
            findings.append(
                Finding(
                    "violation",
                    "non-numeric-target",
                    iri,
                    message(
                        "followup.non_numeric_target",
                        names.lang,
                        target=names.item(iri),
                        indicator=names.item(indicator),
                        value=row["value"],
                    ),
                )
            )
        elif row["year"] and year is None:
            entry.problem = entry.problem or "invalid-year"
            findings.append(
                Finding(
                    "violation",
                    "invalid-target-year",
                    iri,
                    message(
                        "followup.invalid_target_year",
                        names.lang,
                        target=names.item(iri),
                        year=row["year"],
                    ),
                )
            )
        elif year is None:
            entry.undated.append((value, iri))
        else:
            entry.dated.append((year, value, iri))
    return found, findings


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _choose(
    targets: _Targets | None, latest: int | None
) -> tuple[Target | None, str, str, list[tuple[float, str]]]:
    """The target level to judge against: (target, its IRI, problem, conflicting levels).

    Of the dated levels, the first whose year is not before the latest value
    counts (the next one ahead), else the last; two levels with different
    values for that year conflict. Undated levels count only when there is no
    dated one.
    """
    if targets is None:
        return None, "", "", []
    if targets.problem:
        return None, "", targets.problem, []
    if targets.dated:
        years = sorted({year for year, _, _ in targets.dated})
        ahead = [year for year in years if latest is None or year >= latest]
        chosen = ahead[0] if ahead else years[-1]
        matches = sorted((v, iri) for year, v, iri in targets.dated if year == chosen)
    else:
        chosen, matches = None, sorted(targets.undated)
    if not matches:
        return None, "", "", []
    if len({v for v, _ in matches}) > 1:
        return None, "", "conflicting-targets", matches
    return Target(matches[0][0], chosen), matches[0][1], "", []


def assess_indicators(
    tables: Tables,
    names: Names,
    scope: Scope,
    infos: dict[str, IndicatorInfo],
    *,
    known: set[str],
    extra: set[Key],
) -> tuple[dict[Key, IndicatorResult], list[Finding], pd.DataFrame]:
    """Judge every (indicator, kommun) series of *tables* within *scope*.

    *known* are the IRIs of known kommuner; *extra* are pairs to judge even
    without observations (an indicator in its own kommun, or in the kommun of
    a goal it measures), so that "no values" shows as a status too. Returns
    the results, the findings and the usable observations behind them.
    """
    series, findings, observed = _series(tables, infos, scope, names)
    targets, found = _targets(tables, infos, names)
    findings += found
    flags: dict[Key, set[str]] = defaultdict(set)
    frame = tables.series_flags
    columns = (frame[c].tolist() for c in ("indicator", "area", "flag"))
    for indicator, area, flag in zip(*columns, strict=True):
        own = infos[indicator].kommun if indicator in infos else ""
        flags[(indicator, area or own)].add(flag)
    keys = set(series) | {key for key in extra if scope.kommun is None or key[1] == scope.kommun}
    results: dict[Key, IndicatorResult] = {}
    empty = _Series()
    for key in sorted(keys):
        indicator, kommun = key
        info = infos.get(indicator) or IndicatorInfo(indicator)
        entry = series.get(key, empty)
        points, problem = entry.points, entry.problem
        if kommun not in known and key in series:
            problem = "unknown-area"
            findings.append(_finding("unknown_area", indicator, names, kommun=kommun))
        target, target_iri, target_problem, clash = _choose(
            targets.get(key), points[-1][0] if points else None
        )
        if clash:
            findings.append(
                _finding(
                    "conflicting_targets",
                    indicator,
                    names,
                    kommun=kommun,
                    targets=", ".join(f"{names.item(iri)} = {v:g}" for v, iri in clash),
                )
            )
        if problem or target_problem:
            progress = Progress(
                status="not-available",
                reason=problem or target_problem,
                latest=points[-1] if points else None,
                previous=points[-2] if len(points) > 1 else None,
            )
        else:
            progress = measure_sorted(
                points,
                direction=info.direction,
                target=target,
                base_year=scope.base_year,
                method=scope.method,
            )
        marks = flags.get(key)
        results[key] = IndicatorResult(
            indicator=indicator,
            kommun=kommun,
            progress=progress,
            target=target,
            target_iri=target_iri,
            from_kolada=bool(points) and _from_kolada(info, marks or set()),
            illustrative=info.illustrative or (marks is not None and "illustrative" in marks),
            series=points,
        )
    return results, findings, observed


def _from_kolada(info: IndicatorInfo, marks: set[str]) -> bool:
    """Values fetched from Kolada, or values of a Kolada indicator that are not invented.

    (A series without values derives nothing from anyone.)
    """
    return "kolada" in marks or (info.from_kolada and "illustrative" not in marks)


def observations_frame(observed: pd.DataFrame, names: Names) -> pd.DataFrame:
    """The usable observations, one row per indicator, kommun and year (for charts)."""
    import pandas as pd

    return pd.DataFrame(
        {
            "kommun": observed["area"].map(names.codes).fillna(observed["area"]),
            "indicator": observed["indicator"],
            "indicator_id": observed["indicator"].map(names.identifiers).fillna(""),
            "year": observed["year"].astype("Int64"),
            "value": observed["value"].astype(float),
        }
    ).reset_index(drop=True)
