"""Propose Kolada ids for a nyckeltal title; the user decides, nothing is ever applied.

Kolada's title search matches a substring of the title, so a title copied
from a steering document ("Elever i åk. 9 som …") often finds nothing. The
search therefore also asks for the part before the first comma and for the
longest word, and ranks everything found by how alike the titles are.

>>> similarity("Elever i åk. 9 som är behöriga", "Elever i åk 9 som är behöriga")
1.0
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from goalgraph.graph import GoalGraph
from goalgraph.i18n import pick_label
from goalgraph.kolada.client import KoladaClient
from goalgraph.kolada.records import Kpi
from goalgraph.resources import kolada_dir

__all__ = ["Proposal", "propose_kpis", "search_queries", "similarity", "titles_of"]

_WORD = re.compile(r"[^\W\d_]{6,}")


@dataclass(frozen=True)
class Proposal:
    """A Kolada nyckeltal that may match a title, and how alike the titles are (0…1)."""

    kpi: Kpi
    score: float


def similarity(query: str, title: str) -> float:
    """How well *title* matches *query*, 0 (nothing shared) to 1 (the same words, in order).

    The mean of the share of the query's words found in the title and of how
    alike the two texts are as strings, ignoring case and punctuation.

    >>> similarity("Andel (%)", "andel %")
    1.0
    >>> round(similarity("behöriga yrkesprogram", "Elever på yrkesprogram, antal"), 2)
    0.56
    """
    wanted, words = _normal(query).split(), set(_normal(title).split())
    coverage = sum(word in words for word in wanted) / len(wanted) if wanted else 0.0
    alike = difflib.SequenceMatcher(None, _normal(query), _normal(title)).ratio()
    return (coverage + alike) / 2


def search_queries(title: str) -> list[str]:
    """The texts to ask Kolada's title search for: the title, its head, its longest word.

    >>> for text in search_queries("Elever i åk. 9 som är behöriga till yrkesprogram, andel (%)"):
    ...     print(text)
    Elever i åk. 9 som är behöriga till yrkesprogram, andel (%)
    Elever i åk. 9 som är behöriga till yrkesprogram
    yrkesprogram
    """
    text = " ".join(title.split())
    candidates = [text, text.split(",")[0].strip()]
    words = _WORD.findall(text)
    if words:
        candidates.append(max(words, key=len))
    return [c for c in dict.fromkeys(candidates) if c]


def titles_of(graph: GoalGraph, text: str, *, lang: str | None = None) -> list[str]:
    """The titles of the data's indicators whose local id is *text* (none if it is no id).

    Two kommuner may use the same local id, so there can be several titles.

    >>> from goalgraph import load
    >>> titles_of(load(), "NT1-1")
    []
    """
    query = (kolada_dir() / "queries" / "indicator-titles.rq").read_text(encoding="utf-8")
    labels: dict[str, dict[str, str]] = {}
    for row in graph.select(query, graphs=("data",)):
        identifier = row.get("identifier")
        label = row.get("label")
        if identifier is None or label is None or identifier.value.casefold() != text.casefold():
            continue
        tag = getattr(label, "language", None) or ""
        labels.setdefault(row["indicator"].value, {}).setdefault(tag, label.value)
    titles = (pick_label(labels[iri], lang) for iri in sorted(labels))
    return list(dict.fromkeys(title for title in titles if title))


def propose_kpis(client: KoladaClient, title: str, *, limit: int = 10) -> list[Proposal]:
    """Kolada nyckeltal that may match *title*, most alike first (at most *limit*).

    :raises ValueError: if *title* is blank.
    :raises KoladaError: if Kolada cannot be asked (see :class:`KoladaClient`).

    >>> propose_kpis(KoladaClient(base_url="http://127.0.0.1:9/v3"), " ")
    Traceback (most recent call last):
    ...
    ValueError: give a text to search for
    """
    if not title.strip():
        raise ValueError("give a text to search for")
    found: dict[str, Kpi] = {}
    for query in search_queries(title):
        for kpi in client.search_kpis(query):
            found.setdefault(kpi.id, kpi)
    ranked = sorted(
        (Proposal(kpi, round(similarity(title, kpi.title), 3)) for kpi in found.values()),
        key=lambda p: (-p.score, p.kpi.id),
    )
    return ranked[:limit]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
