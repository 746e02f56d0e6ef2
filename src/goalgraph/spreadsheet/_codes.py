"""Resolve the codes and labels people write in spreadsheets to reference-data IRIs.

The members of every scheme (perspectives, statuses, RUS areas, SDG goals,
targets and indicators, kommuner ...) come from the shipped reference data; ``codes.yaml``
adds spreadsheet spellings. A code that matches nothing gets a "did you mean"
built with :mod:`difflib`.

>>> codes = reference_codes()
>>> str(codes.sdg("11.3"))
'http://metadata.un.org/sdg/11.3'
>>> str(codes.sdg("11.7.1"))
'http://metadata.un.org/sdg/C110701'
>>> str(codes.concept("perspective", "Leva"))
'https://w3id.org/goalgraph/ref/perspective/leva'
>>> codes.suggest("perspective", "Lewa")
['Leva']
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

import yaml
from rdflib import URIRef

from goalgraph.graph import GoalGraph
from goalgraph.resources import package_dir
from goalgraph.spreadsheet._definitions import normalise

__all__ = ["ReferenceCodes", "Scheme", "reference_codes"]

_GG = "https://w3id.org/goalgraph/ontology#"
_REF = "https://w3id.org/goalgraph/ref/"
_SDG = "http://metadata.un.org/sdg/"
_LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)


@dataclass
class Scheme:
    """The members of one scheme: normalised name → IRIs, and how to write a member."""

    key: str
    prefix: str
    export: str
    index: dict[str, set[URIRef]] = field(default_factory=dict)
    display: dict[URIRef, str] = field(default_factory=dict)
    members: list[URIRef] = field(default_factory=list)

    def add(self, iri: URIRef, name: str) -> None:
        """Let *name* stand for *iri*."""
        self.index.setdefault(normalise(name), set()).add(iri)

    def lookup(self, value: str) -> URIRef | None:
        """The one IRI *value* names, else ``None`` (unknown or ambiguous)."""
        found = self.index.get(normalise(value), set())
        return next(iter(found)) if len(found) == 1 else None

    def code(self, iri: URIRef) -> str:
        """How an exported cell writes *iri*."""
        return self.display.get(iri, str(iri))


class ReferenceCodes:
    """Every scheme the import format refers to, with SDG codes and kommuner."""

    def __init__(
        self,
        schemes: dict[str, Scheme],
        kommun_names: dict[str, str],
        reference: frozenset[URIRef] = frozenset(),
    ):
        self.schemes = schemes
        self.kommun_names = kommun_names
        self.reference = reference

    def reference_iri(self, value: str) -> URIRef | None:
        """The reference-data IRI written ``ref:rus/06`` (or in full), if it exists."""
        text = value.strip()
        iri = URIRef(_REF + text[4:]) if text.startswith("ref:") else URIRef(text)
        return iri if iri in self.reference else None

    def reference_curies(self) -> list[str]:
        """Every reference-data subject as ``ref:…``, for suggestions."""
        return sorted("ref:" + str(i).removeprefix(_REF) for i in self.reference)

    def concept(self, scheme: str, value: str) -> URIRef | None:
        """The IRI of the member of *scheme* named *value*, or ``None``."""
        return self.schemes[scheme].lookup(value)

    def sdg(self, value: str) -> URIRef | None:
        """The UN IRI of the SDG goal, target or indicator coded *value* (11, 11.3, 11.7.1)."""
        return self.schemes["sdg"].lookup(_sdg_code(value))

    def kommun(self, value: str) -> URIRef | None:
        """The reference IRI of the kommun with code or name *value*."""
        return self.schemes["kommun"].lookup(value)

    def kommun_name(self, code: str) -> str:
        """The kommun's short Swedish name (Vaggeryd), else its code."""
        return self.kommun_names.get(code, code)

    def suggest(self, scheme: str, value: str) -> list[str]:
        """Up to three known codes close to *value*, as they are exported."""
        known = self.schemes[scheme]
        wanted = _sdg_code(value) if scheme == "sdg" else value
        names = {normalise(known.code(iri)): known.code(iri) for iri in known.members}
        close = difflib.get_close_matches(normalise(wanted), list(names), n=3, cutoff=0.6)
        if not close:
            by_name = difflib.get_close_matches(
                normalise(wanted), list(known.index), n=3, cutoff=0.6
            )
            close = [
                normalise(known.code(next(iter(known.index[n]))))
                for n in by_name
                if len(known.index[n]) == 1
            ]
        seen: list[str] = []
        for name in close:
            if names.get(name, name) not in seen:
                seen.append(names.get(name, name))
        return seen

    def known(self, scheme: str, *, limit: int | None = 12) -> list[str]:
        """The exported codes of *scheme*, for "valid are ..." messages and drop-down lists."""
        known = self.schemes[scheme]
        return [known.code(iri) for iri in known.members][:limit]

    def code(self, scheme: str, iri: URIRef) -> str:
        """How an exported cell writes *iri* of *scheme*."""
        return self.schemes[scheme].code(iri)


def _sdg_code(value: str) -> str:
    text = normalise(value)
    text = re.sub(r"^(sdg|mal|goal|target|delmal|indikator|indicator|agenda 2030)\s*", "", text)
    return text.replace(" ", "")


@cache
def reference_codes() -> ReferenceCodes:
    """The codes of the shipped reference data (read once per process)."""
    from goalgraph.loading import load

    graph = load()
    source = package_dir() / "spreadsheet" / "codes.yaml"
    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    schemes: dict[str, Scheme] = {}
    for key, raw in spec["schemes"].items():
        scheme = Scheme(key, _REF + raw["prefix"], raw["export"])
        cls = raw["class"].replace("gg:", _GG)
        rows = graph.select(
            "SELECT ?s ?l ?n ?c WHERE { ?s a ?c . "
            "OPTIONAL { ?s ?p ?l . FILTER(?p IN (rdfs:label, skos:prefLabel, skos:altLabel)) "
            "} OPTIONAL { ?s skos:notation ?n } }",
            bindings={"c": URIRef(cls)},
            graphs=("vocabulary",),
        )
        for row in rows:
            iri = URIRef(row["s"].value)
            if iri not in scheme.members:
                scheme.members.append(iri)
                code = str(iri).removeprefix(scheme.prefix)
                scheme.add(iri, code)
                scheme.add(iri, str(iri).rsplit("/", 1)[-1])
                scheme.add(iri, str(iri))
                scheme.add(iri, "ref:" + str(iri).removeprefix(_REF))
                scheme.display[iri] = code
            if "l" in row:
                scheme.add(iri, row["l"].value)
            if "n" in row and key != "rus-area":  # RUS notations 1..6 repeat across counties
                scheme.add(iri, row["n"].value)
        for code, aliases in (raw.get("aliases") or {}).items():
            iri = URIRef(scheme.prefix + code)
            for alias in aliases:
                scheme.add(iri, alias)
        if raw["export"] == "label":
            for iri in scheme.members:
                scheme.display[iri] = graph.labels(iri).get("sv", scheme.display[iri])
        elif raw["export"] == "alias":
            for code, aliases in (raw.get("aliases") or {}).items():
                scheme.display[URIRef(scheme.prefix + code)] = aliases[0]
        scheme.members.sort()
        schemes[key] = scheme
    schemes["sdg"] = _sdg_scheme(graph)
    schemes["kommun"], names = _kommun_scheme(graph)
    reference = frozenset(
        URIRef(row["s"].value)
        for row in graph.select(
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), STR(ref:))) }",
            graphs=("vocabulary",),
        )
    )
    return ReferenceCodes(schemes, names, reference)


def _sdg_scheme(graph: GoalGraph) -> Scheme:
    # Indicators' IRIs are the UN's permanent codes (sdg:C110701); people write the
    # compact code (11.7.1), which the KOS gives as a typed skos:notation.
    scheme = Scheme("sdg", _SDG, "code")
    rows = graph.select(
        "SELECT DISTINCT ?s ?code WHERE { VALUES ?c { sdgo:Goal sdgo:Target sdgo:Indicator } "
        "?s a ?c ; skos:notation ?code FILTER(DATATYPE(?code) = sdgo:SDGCodeCompact) }",
        graphs=("vocabulary",),
    )
    # Nine indicators sit under two or three targets and carry one code for each;
    # every code is accepted and the first in natural order is the one exported.
    for row in sorted(rows, key=lambda r: _sdg_order(r["code"].value)):
        iri = URIRef(row["s"].value)
        code = row["code"].value
        if iri not in scheme.display:
            scheme.members.append(iri)
            scheme.display[iri] = code
        scheme.add(iri, code)
        scheme.add(iri, str(iri).removeprefix(_SDG))
    scheme.members.sort(key=lambda i: _sdg_order(scheme.display[i]))
    return scheme


def _sdg_order(code: str) -> list[int]:
    """Sort key of a compact SDG code: 11.7 before 11.10 before 11.a."""
    return [int(p) if p.isdigit() else 100 + ord(p[0]) for p in code.split(".")]


def _kommun_scheme(graph: GoalGraph) -> tuple[Scheme, dict[str, str]]:
    scheme = Scheme("kommun", _REF + "kommun/", "code")
    names: dict[str, str] = {}
    rows = graph.select(
        "SELECT ?s ?code ?l ?p WHERE { ?s a gg:Municipality ; gg:municipalityCode ?code . "
        "OPTIONAL { ?s ?p ?l . FILTER(?p IN (rdfs:label, skos:altLabel, skos:hiddenLabel)) "
        "FILTER(LANG(?l) = 'sv') } }",
        graphs=("vocabulary",),
    )
    for row in rows:
        iri = URIRef(row["s"].value)
        code = row["code"].value
        if iri not in scheme.display:
            scheme.members.append(iri)
            scheme.display[iri] = code
            scheme.add(iri, code)
        if "l" in row:
            scheme.add(iri, row["l"].value)
            # the short name (altLabel "Vaggeryd") reads best in messages
            if row["p"].value.endswith("altLabel") or code not in names:
                names[code] = row["l"].value
    scheme.members.sort()
    return scheme, names
