"""The status report: DataFrames, an explanation per goal, text, JSON and RDF with provenance."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from goalgraph.followup._names import Names, kolada_note
from goalgraph.followup._text import number, percent, rate
from goalgraph.i18n import message

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    import pyoxigraph as ox
    import rdflib

    from goalgraph.followup._indicators import IndicatorInfo, IndicatorResult, Key, Scope
    from goalgraph.followup._rollup import GoalInfo, GoalResult, Links
    from goalgraph.graph import GoalGraph

__all__ = ["Model", "StatusReport", "records"]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of *frame* as JSON-ready dicts: missing and infinite numbers become ``None``."""
    rows: list[dict[str, Any]] = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and math.isinf(value):
                row[key] = None
    return rows


@dataclass
class Model:
    """What a report was computed from, kept for explanations and provenance."""

    graph: GoalGraph
    names: Names
    scope: Scope
    indicators: dict[Key, IndicatorResult]
    indicator_infos: dict[str, IndicatorInfo]
    goals: dict[str, GoalResult]
    goal_infos: dict[str, GoalInfo]
    links: Links
    forecasts: dict[str, dict[str, object]]
    started: datetime
    ended: datetime
    net: nx.MultiDiGraph | None = None


@dataclass
class StatusReport:
    """Progress of indicators and goals, forecasts beside them, and what is missing.

    :ivar indicators: one row per indicator × kommun: values, rates, target, score, status, reason.
    :ivar goals: one row per goal or riktning: combined status, score, counts, latest forecast.
    :ivar forecasts: the attainment forecasts and assessments in scope.
    :ivar findings: what is wrong or missing (severity, code, focus, message).
    :ivar observations: the series behind the statuses, one row per indicator, kommun and year.
    """

    indicators: pd.DataFrame
    goals: pd.DataFrame
    forecasts: pd.DataFrame
    findings: pd.DataFrame
    observations: pd.DataFrame
    year: int | None
    at: str | None
    kommun: str | None
    rule: str
    base_year: int
    lang: str | None
    model: Model = field(repr=False)

    @property
    def from_kolada(self) -> bool:
        """True when any status is derived from Kolada data (then say "egen bearbetning")."""
        return bool(self.indicators["from_kolada"].any())

    def note(self, lang: str | None = None) -> str | None:
        """The credit Kolada requires (``egen bearbetning av data från Kolada``), if it applies."""
        return kolada_note(lang or self.lang) if self.from_kolada else None

    # --- explanation ------------------------------------------------------

    def network(self) -> nx.MultiDiGraph:
        """The goals and indicators of the report as a network of IRIs, edges pointing up.

        Nodes carry ``kind``, ``labels``, ``identifier``, ``kommun`` and
        ``organisation`` like :func:`goalgraph.goal_chain.network`, so its
        helpers (``resolve``, ``describe``) work on it.
        """
        if self.model.net is None:
            import networkx as nx

            net = nx.MultiDiGraph()
            names = self.model.names
            for iri, info in self.model.goal_infos.items():
                net.add_node(
                    iri,
                    kind=info.kind,
                    labels=dict(names.labels.get(iri, {})),
                    identifier=info.identifier or None,
                    kommun=info.kommun or None,
                    organisation=info.organisation or None,
                )
            for iri, indicator in self.model.indicator_infos.items():
                net.add_node(
                    iri,
                    kind="indicator",
                    labels=dict(names.labels.get(iri, {})),
                    identifier=indicator.identifier or None,
                    kommun=indicator.kommun or None,
                    organisation=None,
                )
            for parent, children in self.model.links.children.items():
                for child in children:
                    net.add_edge(child, parent, key="contributes", stated=True)
            for goal, measures in self.model.links.indicators.items():
                for measure in measures:
                    if measure in net:
                        net.add_edge(goal, measure, key="measuredBy", stated=True)
            self.model.net = net
        return self.model.net

    def explain(self, goal: str, lang: str | None = None) -> str:
        """Why *goal* has its status: the indicators, values and sub-goals that decided it.

        *goal* may be an IRI, local id (``KS1``) or unique title, as for
        :func:`goalgraph.trace`. One line per item, indented by depth; with
        the ``worst`` rule the items that decided the status are marked.

        :raises UnknownTermError: if *goal* names nothing, several items, or an
            item without a combined status in this report.
        """
        from goalgraph.errors import UnknownTermError
        from goalgraph.item_names import resolve

        lang = lang or self.lang
        iri = resolve(self.model.graph, goal, net=self.network())
        if iri not in self.model.goals:
            raise UnknownTermError(
                message("followup.not_in_report", lang, name=goal), term=goal, candidates=[]
            )
        lines: list[str] = []
        self._explain_goal(iri, lines, lang, depth=0, seen=frozenset())
        return "\n".join(lines)

    def _names(self, lang: str | None) -> Names:
        names = self.model.names
        if lang == names.lang:
            return names
        return Names(names.graph, lang, names.labels, names.identifiers, names.codes)

    def _status(self, status: str, reason: str | None, lang: str | None) -> str:
        names = self._names(lang)
        text = names.label(f"{_REF}progress/{status}")
        if reason:
            text += " — " + names.label(f"{_REF}progress-reason/{reason}")
        return text

    def _explain_goal(
        self,
        iri: str,
        lines: list[str],
        lang: str | None,
        *,
        depth: int,
        seen: frozenset[str],
        arrow: str = "",
        mark: str = "",
    ) -> None:
        from goalgraph.goal_chain import describe

        names = self._names(lang)
        result = self.model.goals[iri]
        indent = "    " * depth
        status = self._status(result.status, result.reason, lang)
        head = f"{indent}{arrow}{describe(self.network(), iri, lang)}: {status}"
        if depth == 0:
            head += " " + message(
                "followup.explain_counts",
                lang,
                rule=names.label(f"{_REF}rollup/{self.rule}"),
                assessed=result.assessed,
                missing=result.not_available,
                score=number(result.score, lang),
            )
        lines.append(head + mark)
        forecast = self.model.forecasts.get(iri) if depth == 0 else None
        if forecast is not None:
            attainment = str(forecast["attainment"])
            lines.append(
                indent
                + "    "
                + message(
                    "followup.explain_forecast",
                    lang,
                    point=names.item(str(forecast["reporting_point"])),
                    attainment=names.label(f"{_REF}attainment/{attainment}") if attainment else "–",
                )
            )
        decides = " " + message("followup.explain_decides", lang)
        children = sorted(
            result.children,
            key=lambda c: (_order(c.status), c.goal or "", c.indicator or ("", "")),
        )
        for child in children:
            marked = (
                decides
                if self.rule == "worst" and child.status == result.status != "not-available"
                else ""
            )
            if child.indicator is not None:
                text = self._explain_indicator(child.indicator, lang)
                lines.append(f"{indent}    ← {text}{marked}")
            elif child.goal is not None and child.goal not in seen:
                self._explain_goal(
                    child.goal,
                    lines,
                    lang,
                    depth=depth + 1,
                    seen=seen | {iri},
                    arrow="← ",
                    mark=marked,
                )

    def _explain_indicator(self, key: Key, lang: str | None) -> str:
        names = self._names(lang)
        result = self.model.indicators[key]
        progress = result.progress
        text = message(
            "followup.explain_indicator",
            lang,
            indicator=names.item(result.indicator),
            kommun=names.kommun(result.kommun),
            status=self._status(progress.status, progress.reason, lang),
        )
        if progress.base is not None and progress.latest is not None:
            text += " " + message(
                "followup.explain_values",
                lang,
                base_year=progress.base[0],
                base=number(progress.base[1], lang),
                latest_year=progress.latest[0],
                latest=number(progress.latest[1], lang),
                cagr=rate(progress.cagr, lang),
            )
        elif progress.latest is not None:
            text += " " + message(
                "followup.explain_latest",
                lang,
                year=progress.latest[0],
                value=number(progress.latest[1], lang),
            )
        if result.target is not None:
            text += message(
                "followup.explain_target",
                lang,
                value=number(result.target.value, lang),
                year=result.target.year if result.target.year is not None else "–",
            )
            if progress.required is not None:
                text += " " + message(
                    "followup.explain_required",
                    lang,
                    required=rate(progress.required, lang),
                    ratio=percent(progress.ratio, lang),
                )
        return text

    # --- output -----------------------------------------------------------

    def to_json(self) -> str:
        """The report as one JSON document (``status.schema.json``): scope, Kolada note and
        every table as rows."""
        from goalgraph.contract import stamped

        return json.dumps(
            stamped(
                "status",
                {
                    "year": self.year,
                    "at": self.at,
                    "kommun": self.kommun,
                    "rule": self.rule,
                    "base_year": self.base_year,
                    "note": self.note(),
                    "goals": records(self.goals),
                    "indicators": records(self.indicators),
                    "forecasts": records(self.forecasts),
                    "findings": records(self.findings),
                    "observations": records(self.observations),
                },
            ),
            ensure_ascii=False,
            indent=2,
        )

    def to_text(self, lang: str | None = None) -> str:
        """The report as text for a municipal analyst: goals, indicators, findings."""
        from goalgraph.followup._summary import summary

        return summary(self, lang or self.lang)

    def to_triples(self) -> list[ox.Triple]:
        """The results as RDF with PROV (see :mod:`goalgraph.followup._provenance`)."""
        from goalgraph.followup._provenance import triples

        return triples(self)

    def to_graph(self) -> rdflib.Graph:
        """The results as an rdflib graph (:meth:`to_triples`), for tools that need rdflib."""
        import rdflib

        from goalgraph.graph import PREFIXES, to_rdflib_term

        graph = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for t in self.to_triples():
            graph.add(
                (
                    to_rdflib_term(t.subject),  # type: ignore[arg-type]
                    to_rdflib_term(t.predicate),
                    to_rdflib_term(t.object),  # type: ignore[arg-type]
                )
            )
        return graph

    def store(self, graph: GoalGraph | None = None) -> int:
        """Write the results to the follow-up graph of *graph* (default: the graph they
        were computed from), replacing what an earlier run wrote there, in one transaction.

        Returns the number of triples written.

        :raises QueryError: if the store refuses the update.
        """
        from goalgraph.followup._provenance import replace

        return replace(graph or self.model.graph, self.to_triples())


_REF = "https://w3id.org/goalgraph/ref/"
_ORDER = (
    "deterioration",
    "limited-progress",
    "acceleration-needed",
    "on-track",
    "target-achieved",
    "not-available",
)


def _order(status: str) -> int:
    return _ORDER.index(status)
