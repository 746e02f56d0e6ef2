"""Computed results as RDF with PROV, written to a named graph of their own.

One run is a ``prov:Activity`` (start and end time) associated with the
software agent ``goalgraph <version>``; it ``prov:used`` the observations and
target levels it read. Every result (``gg:IndicatorProgress``,
``gg:GoalProgress``) ``prov:wasGeneratedBy`` it and ``prov:wasDerivedFrom``
what it was computed from: an indicator result from its base, previous and
latest observations and its target level, a goal result from its children's
results. Results from Kolada data carry ``dcterms:source ref:source/kolada``
and the comment "egen bearbetning av data från Kolada" that Kolada's terms
require. The results replace the follow-up graph in one SPARQL update, so a
reader never sees half a run.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph.errors import QueryError
from goalgraph.followup._indicators import read_year
from goalgraph.followup._tables import read_frame
from goalgraph.graph import FOLLOWUP_GRAPH, PREFIXES
from goalgraph.i18n import message

if TYPE_CHECKING:
    from datetime import datetime

    from goalgraph.followup._indicators import IndicatorResult, Key
    from goalgraph.followup._report import StatusReport
    from goalgraph.followup._rollup import GoalResult
    from goalgraph.graph import GoalGraph

__all__ = ["FOLLOWUP", "replace", "triples"]

#: Namespace of the results goalgraph computes (never the user's own IRIs).
FOLLOWUP = "https://w3id.org/goalgraph/followup/"

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS = PREFIXES["rdfs"]
_PROV = PREFIXES["prov"]
_XSD = PREFIXES["xsd"]
_GG = PREFIXES["gg"]
_REF = PREFIXES["ref"]
_KOLADA = ox.NamedNode(_REF + "source/kolada")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(_XSD + datatype))


def _double(value: float) -> ox.Literal:
    return _typed(repr(float(value)), "double")


def _year(value: int) -> ox.Literal:
    return _typed(f"{value:04d}", "gYear")


def _time(moment: datetime) -> ox.Literal:
    return _typed(moment.isoformat(), "dateTime")


def _hashed(kind: str, *parts: str) -> ox.NamedNode:
    digest = hashlib.sha1("|".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()
    return _n(f"{FOLLOWUP}{kind}/{digest[:20]}")


def _observations(report: StatusReport) -> dict[Key, dict[int, list[str]]]:
    """The IRIs of the observations behind the report, by (indicator, kommun) and year."""
    model = report.model
    frame = read_frame(model.graph, "observation-iris", ("data",))
    own = {iri: info.kommun for iri, info in model.indicator_infos.items()}
    found: dict[Key, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    columns = (frame[c].tolist() for c in ("observation", "indicator", "area", "year"))
    for observation, indicator, area, text in zip(*columns, strict=True):
        key = (indicator, area or own.get(indicator, ""))
        year = read_year(text)
        if key in model.indicators and year is not None:
            found[key][year].append(observation)
    return found


def _note(subject: ox.NamedNode) -> list[ox.Triple]:
    return [
        ox.Triple(subject, _n("http://purl.org/dc/terms/source"), _KOLADA),
        *(
            ox.Triple(
                subject,
                _n(_RDFS + "comment"),
                ox.Literal(message("followup.kolada_note", lang), language=lang),
            )
            for lang in ("sv", "en")
        ),
    ]


def _indicator_triples(
    result: IndicatorResult,
    subject: ox.NamedNode,
    activity: ox.NamedNode,
    observations: dict[int, list[str]],
    known: set[str],
) -> list[ox.Triple]:
    p = result.progress
    out = [
        ox.Triple(subject, _RDF_TYPE, _n(_GG + "IndicatorProgress")),
        ox.Triple(subject, _n(_GG + "progressOfIndicator"), _n(result.indicator)),
        ox.Triple(subject, _n(_GG + "progressStatus"), _n(f"{_REF}progress/{p.status}")),
        ox.Triple(subject, _n(_PROV + "wasGeneratedBy"), activity),
    ]
    if result.kommun in known:
        out.append(ox.Triple(subject, _n(_GG + "municipality"), _n(result.kommun)))
    if p.reason:
        out.append(
            ox.Triple(
                subject, _n(_GG + "notAvailableReason"), _n(f"{_REF}progress-reason/{p.reason}")
            )
        )
    if p.base is not None:
        out.append(ox.Triple(subject, _n(_GG + "baseYear"), _year(p.base[0])))
        out.append(ox.Triple(subject, _n(_GG + "baseValue"), _double(p.base[1])))
    if p.latest is not None:
        out.append(ox.Triple(subject, _n(_GG + "latestYear"), _year(p.latest[0])))
        out.append(ox.Triple(subject, _n(_GG + "latestValue"), _double(p.latest[1])))
    for name, value in (
        ("observedGrowthRate", p.cagr),
        ("requiredGrowthRate", p.required),
        ("growthRatio", p.ratio),
        ("progressScore", p.score),
    ):
        if value is not None and math.isfinite(value):
            out.append(ox.Triple(subject, _n(_GG + name), _double(value)))
    used_years = {point[0] for point in (p.base, p.previous, p.latest) if point is not None}
    for year in sorted(used_years):
        for observation in observations.get(year, []):
            out.append(ox.Triple(subject, _n(_PROV + "wasDerivedFrom"), _n(observation)))
    if result.target_iri:
        out.append(ox.Triple(subject, _n(_PROV + "wasDerivedFrom"), _n(result.target_iri)))
    if result.illustrative:
        out.append(ox.Triple(subject, _n(_GG + "illustrative"), _typed("true", "boolean")))
    if result.from_kolada:
        out += _note(subject)
    return out


def triples(report: StatusReport) -> list[ox.Triple]:
    """The report's results, the activity that computed them and its agent, as RDF triples."""
    from goalgraph import __version__

    model = report.model
    activity = _n(f"{FOLLOWUP}activity/{uuid.uuid4()}")
    agent = _n(f"{FOLLOWUP}agent/goalgraph-{__version__}")
    out = [
        ox.Triple(activity, _RDF_TYPE, _n(_PROV + "Activity")),
        ox.Triple(activity, _n(_RDFS + "label"), ox.Literal("goalgraph status", language="en")),
        ox.Triple(activity, _n(_PROV + "startedAtTime"), _time(model.started)),
        ox.Triple(activity, _n(_PROV + "endedAtTime"), _time(model.ended)),
        ox.Triple(activity, _n(_PROV + "wasAssociatedWith"), agent),
        ox.Triple(agent, _RDF_TYPE, _n(_PROV + "SoftwareAgent")),
        ox.Triple(agent, _n(_RDFS + "label"), ox.Literal(f"goalgraph {__version__}")),
        ox.Triple(agent, _n(PREFIXES["owl"] + "versionInfo"), ox.Literal(__version__)),
    ]
    known = set(model.names.codes)
    observations = _observations(report)
    subjects: dict[Key, ox.NamedNode] = {}
    kolada: dict[str, bool] = {}
    for key, result in model.indicators.items():
        subject = subjects[key] = _hashed("indicator", *key)
        series = observations.get(key, {})
        out += _indicator_triples(result, subject, activity, series, known)
        for year, iris in series.items():
            if model.scope.year is None or year <= model.scope.year:
                out += [ox.Triple(activity, _n(_PROV + "used"), _n(iri)) for iri in iris]
        if result.target_iri:
            out.append(ox.Triple(activity, _n(_PROV + "used"), _n(result.target_iri)))
    for goal, combined in model.goals.items():
        subject = _hashed("goal", goal)
        out += [
            ox.Triple(subject, _RDF_TYPE, _n(_GG + "GoalProgress")),
            ox.Triple(subject, _n(_GG + "progressOfGoal"), _n(goal)),
            ox.Triple(subject, _n(_GG + "progressStatus"), _n(f"{_REF}progress/{combined.status}")),
            ox.Triple(subject, _n(_GG + "rollupRule"), _n(f"{_REF}rollup/{report.rule}")),
            ox.Triple(
                subject, _n(_GG + "assessedCount"), _typed(combined.assessed, "nonNegativeInteger")
            ),
            ox.Triple(
                subject,
                _n(_GG + "notAvailableCount"),
                _typed(combined.not_available, "nonNegativeInteger"),
            ),
            ox.Triple(subject, _n(_PROV + "wasGeneratedBy"), activity),
        ]
        kommun = model.goal_infos[goal].kommun
        if kommun in known:
            out.append(ox.Triple(subject, _n(_GG + "municipality"), _n(kommun)))
        if combined.reason:
            out.append(
                ox.Triple(
                    subject,
                    _n(_GG + "notAvailableReason"),
                    _n(f"{_REF}progress-reason/{combined.reason}"),
                )
            )
        if combined.score is not None:
            out.append(ox.Triple(subject, _n(_GG + "progressScore"), _double(combined.score)))
        from_kolada = False
        for child in combined.children:
            if child.indicator is not None:
                source = subjects[child.indicator]
                from_kolada |= model.indicators[child.indicator].from_kolada
            else:
                assert child.goal is not None
                source = _hashed("goal", child.goal)
                from_kolada |= _from_kolada(model.goals, model.indicators, child.goal, kolada)
            out.append(ox.Triple(subject, _n(_PROV + "wasDerivedFrom"), source))
        if from_kolada:
            out += _note(subject)
    return out


def _from_kolada(
    goals: dict[str, GoalResult],
    indicators: dict[Key, IndicatorResult],
    goal: str,
    memo: dict[str, bool],
) -> bool:
    if goal not in memo:
        memo[goal] = False  # a cycle was cut when rolling up; do not follow it here
        memo[goal] = any(
            indicators[c.indicator].from_kolada
            if c.indicator is not None
            else _from_kolada(goals, indicators, str(c.goal), memo)
            for c in goals[goal].children
        )
    return memo[goal]


def replace(graph: GoalGraph, found: list[ox.Triple]) -> int:
    """Replace the follow-up graph of *graph* by *found* in one update; return its size.

    :raises QueryError: if the store refuses the update.
    """
    text = (ox.serialize(found, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    update = (
        f"DROP SILENT GRAPH {FOLLOWUP_GRAPH} ;\n"
        f"INSERT DATA {{ GRAPH {FOLLOWUP_GRAPH} {{\n{text}}} }}"
    )
    try:
        graph.store.update(update)
    except (SyntaxError, RuntimeError, OSError) as exc:
        raise QueryError(message("followup.not_stored", detail=exc)) from exc
    return graph.count("followup")
