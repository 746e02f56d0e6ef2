"""Coverage: which goals reach which SDGs, targets, RUS areas, perspectives, challenges, riktningar.

:func:`coverage` builds, for one dimension, the matrix of goals × items, the
gaps (items of a kommun that none of its goals reaches) and summaries per
nämnd and per kommun. A goal *reaches* an item when the ontology says so —
directly or through a delstrategi it supports (``gg:tracesToSDG``,
``gg:tracesToRegionalArea``, ...); for riktningar also through the goal
chain (``gg:tracesTo``, e.g. nämnd goal → KF goal → riktning). The
inferences are computed on the fly; nothing is written to the graph.

:func:`substrategy_grid` counts delstrategier per riktning × perspective,
the grid of Vetlanda's utvecklingsstrategi (Bilaga 2).

>>> from goalgraph import load
>>> coverage(load(), "sdg").gaps.empty
True
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

import pyoxigraph as ox

from goalgraph.agenda2030 import sdg_code, titled
from goalgraph.errors import QueryError
from goalgraph.goal_chain import term_text
from goalgraph.graph import PREFIXES, GoalGraph
from goalgraph.i18n import message, pick_label
from goalgraph.municipalities import require_kommun

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.endpoint import Endpoint

__all__ = [
    "DIMENSIONS",
    "GOAL_CLASSES",
    "CoverageReport",
    "Dimension",
    "coverage",
    "records",
    "substrategy_grid",
]

#: Local names of the goal classes ``kinds=`` accepts.
GOAL_CLASSES = ("Goal", "CouncilGoal", "ExecutiveBoardGoal", "CommitteeGoal", "SubGoal")

Dimension = Literal["sdg", "target", "rus", "perspective", "challenge", "riktning"]
DIMENSIONS: tuple[str, ...] = get_args(Dimension)

GG = PREFIXES["gg"]
_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
_REACH = {
    "sdg": (GG + "tracesToSDG",),
    "target": (GG + "tracesToSDG",),
    "rus": (GG + "tracesToRegionalArea",),
    "perspective": (GG + "tracesToPerspective",),
    "challenge": (GG + "tracesToChallenge",),
    "riktning": (GG + "tracesToArea", GG + "tracesTo"),
}

# The items of each dimension that a kommun's goals could reach (?kommun is bound per row).
_UNIVERSE = {
    "sdg": "SELECT ?kommun ?item WHERE { ?kommun a gg:Municipality . ?item a sdgo:Goal }",
    "target": "SELECT ?kommun ?item WHERE { ?kommun a gg:Municipality . ?item a sdgo:Target }",
    "perspective": "SELECT ?kommun ?item WHERE { ?kommun a gg:Municipality . "
    "?item a gg:CitizenPerspective }",
    "rus": "SELECT ?kommun ?item WHERE { ?kommun gg:inCounty ?lan . ?rus gg:forCounty ?lan . "
    "?item gg:areaOf ?rus }",
    "challenge": "SELECT ?kommun ?item WHERE { ?item a gg:Challenge ; gg:municipality ?kommun }",
    "riktning": "SELECT ?kommun ?item WHERE { ?item a gg:StrategicArea ; gg:municipality ?kommun }",
}
_CLASS = {
    "sdg": PREFIXES["sdgo"] + "Goal",
    "target": PREFIXES["sdgo"] + "Target",
    "rus": GG + "RegionalStrategyArea",
    "perspective": GG + "CitizenPerspective",
    "challenge": GG + "Challenge",
    "riktning": GG + "StrategicArea",
}

_GOALS = """
SELECT ?goal ?kommun ?organisation WHERE {
  GRAPH <https://w3id.org/goalgraph/graph/data> { ?goal a ?class }
  VALUES ?class { gg:Goal gg:CouncilGoal gg:ExecutiveBoardGoal gg:CommitteeGoal gg:SubGoal }
  OPTIONAL { ?goal gg:municipality ?kommun }
  OPTIONAL { ?goal gg:responsibleOrganisation ?organisation }
}
"""


@dataclass
class CoverageReport:
    """Goals × items of one dimension, with gaps and summaries.

    :ivar dimension: ``sdg``, ``target``, ``rus``, ``perspective``, ``challenge`` or ``riktning``.
    :ivar matrix: 0/1 DataFrame, one row per goal IRI, one column per item IRI.
    :ivar gaps: items of a kommun reached by none of its goals (kommun, item, label).
    :ivar by_organisation: per nämnd: goals, goals reaching at least one item, items reached.
    :ivar by_kommun: per kommun: goals, goals without any item, items reached of all items.
    """

    dimension: str
    matrix: pd.DataFrame
    gaps: pd.DataFrame
    by_organisation: pd.DataFrame
    by_kommun: pd.DataFrame
    labels: dict[str, str]

    def labelled_matrix(self) -> pd.DataFrame:
        """The matrix with readable row and column names instead of IRIs."""
        return self.matrix.rename(index=self.labels, columns=self.labels)

    def to_json(self) -> str:
        """Matrix (as goal → reached items), gaps and summaries as one JSON document
        (``coverage.schema.json``)."""
        from goalgraph.contract import stamped

        reached = {
            goal: [item for item, hit in row.items() if hit] for goal, row in self.matrix.iterrows()
        }
        return json.dumps(
            stamped(
                "coverage",
                {
                    "dimension": self.dimension,
                    "reached": reached,
                    "gaps": records(self.gaps),
                    "by_organisation": records(self.by_organisation),
                    "by_kommun": records(self.by_kommun),
                    "labels": self.labels,
                },
            ),
            ensure_ascii=False,
            indent=2,
        )


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The rows of *frame* as JSON-ready dicts, missing values as ``None``.

    :raises: nothing; every cell becomes a plain Python value.

    >>> import pandas as pd
    >>> records(pd.DataFrame({"a": [1.0, None]}))
    [{'a': 1.0}, {'a': None}]
    """
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict(orient="records")  # type: ignore[no-any-return]


def _label(graph: GoalGraph, iri: str, lang: str | None) -> str:
    labels = graph.labels(ox.NamedNode(iri))
    text = pick_label(labels, lang)
    code = sdg_code(graph, iri)
    if code is not None:
        return titled(code, labels, lang)
    found = next(graph.store.quads_for_pattern(ox.NamedNode(iri), _IDENTIFIER, None, None), None)
    ident = term_text(found.object) if found is not None else None
    if ident and text:
        return f"{ident} {text}"
    return text or ident or iri


def coverage(
    graph: GoalGraph | Endpoint,
    dimension: Dimension,
    *,
    kommun: str | None = None,
    kinds: tuple[str, ...] | None = None,
    lang: str | None = None,
) -> CoverageReport:
    """Which goals reach which items of *dimension*, and which items no goal reaches.

    :param dimension: ``sdg`` (the 17 goals), ``target`` (the 169 targets),
        ``rus`` (the areas of the kommun's RUS), ``perspective`` (Bo, Leva,
        Verka), ``challenge`` (the kommun's challenges) or ``riktning`` (the
        kommun's strategic areas).
    :param kommun: a kommun code (``"0685"``) to restrict to one kommun.
    :param kinds: goal classes to include by local name, e.g. ``("CommitteeGoal",)``;
        all goals by default.
    :param lang: language of labels (sv or en).
    :raises QueryError: for an unknown *dimension* or goal kind.
    :raises UnknownTermError: if *kommun* is no kommun, or one the data holds nothing about.

    >>> from goalgraph import load
    >>> coverage(load(), "perspective").matrix.shape
    (0, 0)
    """
    from goalgraph.store.remote import as_graph

    graph = as_graph(graph)
    import pandas as pd

    from goalgraph.reasoning import materialise

    if dimension not in DIMENSIONS:
        raise QueryError(
            message(
                "analysis.unknown_dimension",
                lang,
                dimension=dimension,
                choices=", ".join(DIMENSIONS),
            )
        )
    kommun_iri = require_kommun(graph, kommun, lang=lang) if kommun is not None else None
    goal_rows = graph.select(_GOALS, graphs=("data",))
    if kinds:
        unknown = sorted(set(kinds) - set(GOAL_CLASSES))
        if unknown:
            raise QueryError(
                message(
                    "analysis.unknown_kind",
                    lang,
                    kind=", ".join(unknown),
                    choices=", ".join(GOAL_CLASSES),
                )
            )
        wanted = {GG + k for k in kinds}
        typed = {
            r["goal"].value
            for r in graph.select("SELECT ?goal ?class WHERE { ?goal a ?class }", graphs=("data",))
            if r["class"].value in wanted
        }
        goal_rows = [r for r in goal_rows if r["goal"].value in typed]
    goals: dict[str, tuple[str | None, str | None]] = {}
    for row in goal_rows:
        k = row["kommun"].value if "kommun" in row else None
        org = row["organisation"].value if "organisation" in row else None
        if kommun_iri and k != kommun_iri:
            continue
        goals.setdefault(row["goal"].value, (k, org))
    members = {
        r["x"].value
        for r in graph.select(
            "SELECT ?x ?c WHERE { ?x a ?c }",
            bindings={"c": ox.NamedNode(_CLASS[dimension])},
            graphs=("data", "vocabulary"),
        )
    }
    facts = {
        (term_text(t.subject), term_text(t.predicate), term_text(t.object))
        for t in materialise(graph, properties=_REACH[dimension])
    }
    for t in graph.triples(("data",)):
        facts.add((term_text(t.subject), term_text(t.predicate), term_text(t.object)))
    reach: dict[str, set[str]] = defaultdict(set)
    for s, p, o in facts:
        if s in goals and p in _REACH[dimension] and o in members:
            reach[s].add(o)
    universe: dict[str, set[str]] = defaultdict(set)
    kommuner = {k for k, _ in goals.values() if k}
    # one query per kommun of the data: the reference data holds all 290 kommuner
    for kommun in sorted(kommuner):
        for row in graph.select(_UNIVERSE[dimension], bindings={"kommun": ox.NamedNode(kommun)}):
            universe[kommun].add(row["item"].value)
    columns = sorted(set().union(*universe.values(), *reach.values()), key=_natural)
    index = sorted(goals, key=_natural)
    matrix = pd.DataFrame(
        [[int(item in reach[g]) for item in columns] for g in index],
        index=pd.Index(index, name="goal"),
        columns=pd.Index(columns, name=dimension),
        dtype="int64",
    )
    labels = {iri: _label(graph, iri, lang) for iri in [*index, *columns]}
    for org in {o for _, o in goals.values() if o}:
        labels[org] = _label(graph, org, lang)
    for k in kommuner:
        labels[k] = _label(graph, k, lang)

    gap_rows = []
    for k in sorted(kommuner):
        hit = set().union(*(reach[g] for g, (gk, _) in goals.items() if gk == k))
        for item in sorted(universe[k] - hit, key=_natural):
            gap_rows.append(
                {
                    "kommun": k,
                    "kommun_label": labels[k],
                    "item": item,
                    "label": labels.setdefault(item, _label(graph, item, lang)),
                }
            )
    gaps = pd.DataFrame(gap_rows, columns=["kommun", "kommun_label", "item", "label"])

    org_rows = []
    by_org: dict[tuple[str | None, str | None], list[str]] = defaultdict(list)
    for g, (k, org) in goals.items():
        by_org[(k, org)].append(g)
    for (k, org), members_ in sorted(by_org.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        reached = set().union(*(reach[g] for g in members_))
        org_rows.append(
            {
                "kommun": k,
                "organisation": org,
                "organisation_label": labels.get(org, "") if org else "",
                "goals": len(members_),
                "goals_reaching": sum(1 for g in members_ if reach[g]),
                "items_reached": len(reached),
            }
        )
    by_organisation = pd.DataFrame(
        org_rows,
        columns=[
            "kommun",
            "organisation",
            "organisation_label",
            "goals",
            "goals_reaching",
            "items_reached",
        ],
    )

    kommun_rows = []
    for k in sorted(kommuner):
        members_ = [g for g, (gk, _) in goals.items() if gk == k]
        reached = set().union(*(reach[g] for g in members_)) & universe[k]
        kommun_rows.append(
            {
                "kommun": k,
                "kommun_label": labels[k],
                "goals": len(members_),
                "goals_without": sum(1 for g in members_ if not reach[g]),
                "items_reached": len(reached),
                "items_total": len(universe[k]),
                "share": round(len(reached) / len(universe[k]), 3) if universe[k] else 0.0,
            }
        )
    by_kommun = pd.DataFrame(
        kommun_rows,
        columns=[
            "kommun",
            "kommun_label",
            "goals",
            "goals_without",
            "items_reached",
            "items_total",
            "share",
        ],
    )
    return CoverageReport(dimension, matrix, gaps, by_organisation, by_kommun, labels)


def _natural(iri: str) -> tuple[object, ...]:
    """Sort key so that sdg/2 comes before sdg/10 and 11.3 before 11.10."""
    import re

    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", iri))


_GRID = """
SELECT ?substrategy ?area ?perspective ?kommun WHERE {
  GRAPH <https://w3id.org/goalgraph/graph/data> { ?substrategy a gg:SubStrategy }
  ?substrategy gg:inArea ?area ; gg:hasPerspective ?perspective .
  OPTIONAL { ?substrategy gg:municipality ?kommun }
}
"""


def substrategy_grid(
    graph: GoalGraph | Endpoint,
    *,
    kommun: str | None = None,
    lang: str | None = None,
    names: bool = False,
) -> pd.DataFrame:
    """Delstrategier per riktning (rows) and perspective (columns): counts, or names.

    Reproduces the grid of Vetlanda's utvecklingsstrategi, Bilaga 2.

    :param kommun: a kommun code to restrict to, e.g. ``"0685"``.
    :param names: list the delstrategier's titles in each cell instead of counting them.
    :raises UnknownTermError: if *kommun* is no kommun, or one the data holds nothing about.

    >>> from goalgraph import load
    >>> substrategy_grid(load()).empty
    True
    """
    from goalgraph.store.remote import as_graph

    graph = as_graph(graph)
    import pandas as pd

    wanted = require_kommun(graph, kommun, lang=lang) if kommun is not None else None
    cells: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in graph.select(_GRID):
        if wanted and ("kommun" not in row or row["kommun"].value != wanted):
            continue
        cells[(row["area"].value, row["perspective"].value)].add(row["substrategy"].value)
    areas = sorted({a for a, _ in cells}, key=lambda a: _label(graph, a, lang))
    perspectives = sorted({p for _, p in cells})
    data = [
        [
            "; ".join(
                sorted(
                    pick_label(graph.labels(ox.NamedNode(s)), lang) or s
                    for s in cells.get((a, p), ())
                )
            )
            if names
            else len(cells.get((a, p), ()))
            for p in perspectives
        ]
        for a in areas
    ]
    return pd.DataFrame(
        data,
        index=pd.Index(
            [pick_label(graph.labels(ox.NamedNode(a)), lang) or a for a in areas], name="riktning"
        ),
        columns=pd.Index(
            [pick_label(graph.labels(ox.NamedNode(p)), lang) or p for p in perspectives],
            name="perspective",
        ),
    )
