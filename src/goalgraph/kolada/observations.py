"""Kolada values as ``gg:Observation`` s of the user's own indicators, with provenance.

For every ``gg:Indicator`` of the data that has a ``gg:koladaId``, each value
Kolada has for the indicator's kommun (or the kommuner asked for), year and
sex becomes one observation (W3C Data Cube, as ``shapes/followup.ttl``
expects)::

    <…/id/1962/observation/NT1-1.kolada.N15428.1962.2023.total> a gg:Observation ;
        gg:indicator <…/id/1962/indicator/NT1-1> ; gg:refArea ref:kommun/1962 ;
        gg:refYear "2023"^^xsd:gYear ; gg:sex ref:sex/total ; gg:value 71.2 ;
        dcterms:source ref:source/kolada ;
        dcterms:bibliographicCitation "Källa: Kolada"@sv , "Source: Kolada"@en ;
        prov:wasGeneratedBy [ a prov:Activity ; prov:used <https://api.kolada.se/v3/data/…> ;
                              prov:endedAtTime "2025-01-31T08:00:00Z"^^xsd:dateTime ] .

The IRI holds the indicator's kommun and id, the KPI, the area, the year and
the sex, so it is the same on every run and differs between two indicators
that share a KPI. There is one fetch activity per request answer; its time
is when that answer came from Kolada, also when it is later read from the
cache.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from goalgraph.errors import KoladaError, UnknownTermError
from goalgraph.graph import PREFIXES, GoalGraph, write_atomically
from goalgraph.i18n import message
from goalgraph.kolada.client import KoladaClient
from goalgraph.kolada.records import KoladaValue
from goalgraph.namespace import GG, ID, REF, mint
from goalgraph.resources import kolada_dir

__all__ = [
    "KoladaIndicator",
    "Observations",
    "fetch_observations",
    "kolada_indicators",
    "parse_years",
]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PROV = "http://www.w3.org/ns/prov#"
_DCTERMS = "http://purl.org/dc/terms/"
_SEX = {"T": "total", "K": "female", "M": "male"}
_MINTED = re.compile(
    re.escape(str(ID)) + r"(?P<kommun>\d{4})/indicator/(?P<local>[A-Za-z0-9][A-Za-z0-9._-]*)$"
)
_YEARS = re.compile(r"^(?P<first>\d{4})(?:\s*[-–]\s*(?P<last>\d{4}))?$")


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


@dataclass(frozen=True)
class KoladaIndicator:
    """An indicator of the user's data that has a Kolada id, and the kommuner that own it."""

    iri: str
    kolada_id: str
    kommuner: tuple[str, ...]
    identifier: str | None = None


@dataclass
class Observations:
    """The observations a fetch produced, ready to write.

    ``missing`` lists the (KPI, kommun) pairs for which Kolada had no value in
    the years asked for; they got no observation.
    """

    triples: list[ox.Triple]
    count: int
    indicators: int
    kommuner: tuple[str, ...]
    missing: list[tuple[str, str]] = field(default_factory=list)

    def serialize(self) -> str:
        """The observations as Turtle, sorted, each value in the lexical form Kolada gave.

        >>> decimal = _node(_XSD + "decimal")
        >>> value = ox.Triple(ox.NamedNode("https://w3id.org/goalgraph/id/1962/observation/x"),
        ...                   _node(GG.value), ox.Literal("71.20", datatype=decimal))
        >>> Observations([value], 1, 1, ("1962",)).serialize().splitlines()[-1]
        '<https://w3id.org/goalgraph/id/1962/observation/x> gg:value 71.20 .'
        """
        # written straight from the triples: a store would rewrite 71.20 as 71.2
        unique = {(str(t.subject), str(t.predicate), str(t.object)): t for t in self.triples}
        ordered = [unique[key] for key in sorted(unique)]
        text = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return (text or b"").decode("utf-8")

    def write(self, path: str | Path) -> None:
        """Write the observations to *path* as Turtle, atomically.

        :raises OutputError: if *path* cannot be written; an existing file is then unchanged.

        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "observations.ttl"
        >>> Observations([], 0, 0, ()).write(target); target.is_file()
        True
        """
        write_atomically(Path(path), self.serialize())


def parse_years(text: str) -> tuple[int, ...]:
    """The years of ``--years``: one year, a range ``2015-2025``, or a comma list of both.

    :raises ValueError: if *text* is none of these or a range runs backwards.

    >>> parse_years("2015-2017,2020")
    (2015, 2016, 2017, 2020)
    >>> parse_years("2025-2015")
    Traceback (most recent call last):
    ...
    ValueError: '2025-2015' är inga år: ange ett år (2023), ett intervall (2015-2025) ...
    """
    years: list[int] = []
    for part in text.split(","):
        match = _YEARS.match(part.strip())
        first = int(match["first"]) if match else 0
        last = int(match["last"] or first) if match else 0
        if match is None or not 1900 <= first <= last <= 2100:
            raise ValueError(message("kolada.bad_years", text=text))
        years.extend(range(first, last + 1))
    return tuple(sorted(set(years)))


def kolada_indicators(graph: GoalGraph) -> list[KoladaIndicator]:
    """Every indicator of *graph*'s data that has a ``gg:koladaId``, sorted by IRI.

    :raises UnknownTermError: if an indicator has more than one Kolada id.

    >>> import rdflib
    >>> from goalgraph import load
    >>> data = rdflib.Graph().parse(format="turtle", data='''
    ...     <https://w3id.org/goalgraph/id/1962/indicator/NT1-1>
    ...         a <https://w3id.org/goalgraph/ontology#Indicator> ;
    ...         <https://w3id.org/goalgraph/ontology#koladaId> "N15428" .''')
    >>> [(i.kolada_id, i.iri[-15:]) for i in kolada_indicators(load(data))]
    [('N15428', 'indicator/NT1-1')]
    """
    query = (kolada_dir() / "queries" / "indicators.rq").read_text(encoding="utf-8")
    ids: dict[str, set[str]] = defaultdict(set)
    kommuner: dict[str, set[str]] = defaultdict(set)
    identifiers: dict[str, str] = {}
    for row in graph.select(query):
        iri = row["indicator"].value
        ids[iri].add(row["koladaId"].value.strip())
        if "kommun" in row:
            kommuner[iri].add(row["kommun"].value)
        if "identifier" in row:
            identifiers.setdefault(iri, row["identifier"].value)
    found = []
    for iri in sorted(ids):
        if len(ids[iri]) > 1:
            raise UnknownTermError(
                message("kolada.several_ids", indicator=iri, ids=", ".join(sorted(ids[iri]))),
                term=iri,
                candidates=sorted(ids[iri]),
            )
        found.append(
            KoladaIndicator(
                iri, next(iter(ids[iri])), tuple(sorted(kommuner[iri])), identifiers.get(iri)
            )
        )
    return found


def fetch_observations(
    graph: GoalGraph,
    client: KoladaClient,
    *,
    kommuner: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Observations:
    """Fetch from Kolada the values of every indicator of *graph* that has a Kolada id.

    Each indicator is fetched for the kommuner that own it in the data, or for
    *kommuner* when given, in *years* (every year Kolada has if ``None``).

    :raises UnknownTermError: if the data has no indicator with a Kolada id, an
        indicator has no kommun and *kommuner* is not given, or a kommun code is
        not a kommun in Kolada.
    :raises KoladaError: if Kolada knows a KPI id not, has no value at all, or
        cannot be asked (see :class:`~goalgraph.kolada.client.KoladaClient`).

    >>> from goalgraph import load
    >>> fetch_observations(load(), KoladaClient(base_url="http://127.0.0.1:9/v3"))
    Traceback (most recent call last):
    ...
    goalgraph.errors.UnknownTermError: Inga nyckeltal i data har ett Kolada-id ...
    """
    indicators = kolada_indicators(graph)
    if not indicators:
        raise UnknownTermError(message("kolada.no_indicators"), term="gg:koladaId")
    wanted = {ind.iri: tuple(kommuner) if kommuner else ind.kommuner for ind in indicators}
    for ind in indicators:
        if not wanted[ind.iri]:
            raise UnknownTermError(
                message("kolada.indicator_without_kommun", indicator=ind.identifier or ind.iri),
                term=ind.iri,
            )
    codes = sorted({code for area in wanted.values() for code in area})
    _check_kommuner(client, codes)
    kpi_ids = sorted({ind.kolada_id for ind in indicators})
    client.kpis(kpi_ids)  # names every id Kolada does not know before asking for values
    values = client.values(kpi_ids, codes, years, progress=progress)
    if not values:
        raise KoladaError(
            message(
                "kolada.no_values",
                ids=", ".join(kpi_ids),
                kommuner=", ".join(codes),
                years=_years_text(years),
            )
        )
    by_pair: dict[tuple[str, str], list[KoladaValue]] = defaultdict(list)
    for value in values:
        by_pair[(value.kpi, value.municipality)].append(value)
    citations = [
        ox.Literal(message("kolada.citation", lang=lang), language=lang) for lang in ("sv", "en")
    ]
    triples: list[ox.Triple] = []
    activities: dict[tuple[str, str], ox.BlankNode] = {}
    count = 0
    missing: set[tuple[str, str]] = set()
    for ind in indicators:
        for code in wanted[ind.iri]:
            pair_values = by_pair.get((ind.kolada_id, code), [])
            if not pair_values:
                missing.add((ind.kolada_id, code))
            for value in pair_values:
                activity = activities.get((value.url, value.fetched_at))
                if activity is None:
                    # numbered in a fixed order, so the same fetch writes the same text
                    activity = ox.BlankNode(f"fetch{len(activities) + 1}")
                    activities[(value.url, value.fetched_at)] = activity
                    triples.extend(_activity(activity, value))
                triples.extend(_observation(ind, value, activity, citations))
                count += 1
    return Observations(triples, count, len(indicators), tuple(codes), sorted(missing))


def _check_kommuner(client: KoladaClient, codes: Iterable[str]) -> None:
    known = {m.id: m for m in client.municipalities() if m.type == "K"}
    for code in codes:
        if code not in known:
            raise UnknownTermError(message("kolada.unknown_kommun", code=code), term=code)


def _years_text(years: Sequence[int] | None) -> str:
    if not years:
        return message("kolada.all_years")
    ordered = sorted(years)
    return f"{ordered[0]}–{ordered[-1]}" if len(ordered) > 1 else str(ordered[0])


def _observation_iri(ind: KoladaIndicator, value: KoladaValue) -> ox.NamedNode:
    minted = _MINTED.match(ind.iri)
    if minted:
        owner, local = minted["kommun"], minted["local"]
    else:  # an indicator IRI of the user's own making: a digest keeps it apart, stably
        owner = ind.kommuner[0] if ind.kommuner else value.municipality
        local = "i" + hashlib.sha256(ind.iri.encode("utf-8")).hexdigest()[:16]
    key = f"{local}.kolada.{value.kpi}.{value.municipality}.{value.year}.{_SEX[value.gender]}"
    return _node(mint(owner, "observation", key))


def _observation(
    ind: KoladaIndicator, value: KoladaValue, activity: ox.BlankNode, citations: list[ox.Literal]
) -> list[ox.Triple]:
    subject = _observation_iri(ind, value)
    citation = _node(_DCTERMS + "bibliographicCitation")
    return [
        ox.Triple(subject, _RDF_TYPE, _node(GG.Observation)),
        ox.Triple(subject, _node(GG.indicator), _node(ind.iri)),
        ox.Triple(subject, _node(GG.refArea), _node(REF[f"kommun/{value.municipality}"])),
        ox.Triple(
            subject, _node(GG.refYear), ox.Literal(str(value.year), datatype=_node(_XSD + "gYear"))
        ),
        ox.Triple(subject, _node(GG.sex), _node(REF[f"sex/{_SEX[value.gender]}"])),
        ox.Triple(
            subject, _node(GG.value), ox.Literal(value.value, datatype=_node(_XSD + "decimal"))
        ),
        ox.Triple(subject, _node(_DCTERMS + "source"), _node(REF["source/kolada"])),
        *(ox.Triple(subject, citation, text) for text in citations),
        ox.Triple(subject, _node(_PROV + "wasGeneratedBy"), activity),
    ]


def _activity(activity: ox.BlankNode, value: KoladaValue) -> list[ox.Triple]:
    return [
        ox.Triple(activity, _RDF_TYPE, _node(_PROV + "Activity")),
        ox.Triple(activity, _node(_PROV + "used"), _node(value.url)),
        ox.Triple(
            activity,
            _node(_PROV + "endedAtTime"),
            ox.Literal(value.fetched_at, datatype=_node(_XSD + "dateTime")),
        ),
    ]
