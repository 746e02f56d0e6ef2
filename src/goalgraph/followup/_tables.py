"""Read everything follow-up needs from the graph in a few bulk queries.

Each query of ``followup/queries/*.rq`` reads one kind of fact for the whole
graph — every observation, every target level, the ids, labels and links of
every item — never one item at a time, so a national graph costs a handful
of queries. Results pass from the store to pandas as SPARQL CSV (text in,
text out, no Python object per term); every cell is text and an unbound
variable is ``""``.
"""

from __future__ import annotations

import io
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph.errors import QueryError
from goalgraph.graph import PREFIXES
from goalgraph.resources import followup_dir

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.graph import GoalGraph, GraphName

__all__ = ["Items", "Tables", "query_text", "read_frame", "read_tables"]

_RDF_TYPE = PREFIXES["rdf"] + "type"
_LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel")

# query name → the graphs it reads (the user's data alone where nothing else can match)
_QUERIES: dict[str, tuple[GraphName, ...]] = {
    "observations": ("data",),
    "items": ("data",),
    "series-flags": ("data",),
    "targets": ("data", "vocabulary"),
    "assessments": ("data", "vocabulary"),
    "reporting-points": ("data", "vocabulary"),
    "kommuner": ("data", "vocabulary"),
    "steering": ("data", "vocabulary"),
}


@cache
def query_text(name: str) -> str:
    """The text of the follow-up query *name* (``followup/queries/<name>.rq``).

    :raises QueryError: if there is no such query (a programming error).
    """
    path = followup_dir() / "queries" / f"{name}.rq"
    if not path.is_file():
        raise QueryError(f"no follow-up query {name!r} in {path.parent}")
    return path.read_text(encoding="utf-8")


def read_frame(graph: GoalGraph, name: str, graphs: tuple[GraphName, ...]) -> pd.DataFrame:
    """Run the follow-up query *name* over *graphs* into a DataFrame of text (object) columns.

    :raises QueryError: if the query cannot run.
    """
    import pandas as pd

    result = graph.query(query_text(name), graphs=graphs)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"follow-up query {name!r} is not a SELECT query")
    table = result.serialize(format=ox.QueryResultsFormat.CSV) or b""
    return pd.read_csv(io.BytesIO(table), dtype=object, keep_default_na=False, na_filter=False)


@dataclass
class Items:
    """The rows of ``items.rq`` by property, and labels by subject and language."""

    columns: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    _grouped: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Items:
        """Pivot the long (s, p, o, lang) *frame* of ``items.rq``."""
        items = cls()
        for prop, rows in frame.groupby("p", sort=False):
            subjects, objects = rows["s"].tolist(), rows["o"].tolist()
            if prop in _LABELS:
                for subject, text, lang in zip(
                    subjects, objects, rows["lang"].tolist(), strict=True
                ):
                    items.labels.setdefault(subject, {}).setdefault(lang, text)
            else:
                items.columns[str(prop)] = (subjects, objects)
        return items

    def all(self, prop: str) -> dict[str, list[str]]:
        """Every value of *prop* (a full IRI) by subject."""
        if prop not in self._grouped:
            subjects, objects = self.columns.get(prop, ([], []))
            table: dict[str, list[str]] = defaultdict(list)
            for subject, value in zip(subjects, objects, strict=True):
                table[subject].append(value)
            self._grouped[prop] = dict(table)
        return self._grouped[prop]

    def first(self, prop: str) -> dict[str, str]:
        """One value of *prop* by subject (for properties with one value), the first found."""
        subjects, objects = self.columns.get(prop, ([], []))
        return dict(zip(reversed(subjects), reversed(objects), strict=True))

    def types(self) -> dict[str, list[str]]:
        """The goal-chain and indicator classes of each typed subject."""
        return self.all(_RDF_TYPE)


@dataclass(frozen=True)
class Tables:
    """The query results: DataFrames of text per query, and the pivoted items."""

    observations: pd.DataFrame
    items: Items
    series_flags: pd.DataFrame
    targets: pd.DataFrame
    assessments: pd.DataFrame
    reporting_points: pd.DataFrame
    kommuner: pd.DataFrame
    steering: pd.DataFrame


def read_tables(graph: GoalGraph) -> Tables:
    """Every follow-up table of *graph*.

    :raises QueryError: if a query cannot run.
    """
    # pyoxigraph evaluates a query without holding the GIL, so the two big queries
    # (observations, items) overlap: 1.8 s -> 1.1 s on the national graph, two cores
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = {
            name.replace("-", "_"): pool.submit(read_frame, graph, name, g)
            for name, g in _QUERIES.items()
        }
        frames = {key: future.result() for key, future in futures.items()}
    frames["items"] = Items.of(frames["items"])
    return Tables(**frames)
