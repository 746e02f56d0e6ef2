"""Names for people: labels, local ids and kommun codes of the items a status report shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph.graph import PREFIXES
from goalgraph.i18n import LANGUAGES, default_lang, message, pick_label

if TYPE_CHECKING:
    from goalgraph.followup._tables import Tables
    from goalgraph.graph import GoalGraph

__all__ = ["Finding", "Names", "kolada_note", "notation"]

REF = PREFIXES["ref"]
_KOMMUN = REF + "kommun/"
_IDENTIFIER = PREFIXES["dcterms"] + "identifier"
_MUNICIPALITY = PREFIXES["gg"] + "Municipality"


def notation(iri: str, scheme: str) -> str:
    """The notation of a concept IRI of *scheme* (``ref:direction/increase`` → ``increase``).

    Returns ``""`` when *iri* is not in that scheme.
    """
    prefix = f"{REF}{scheme}/"
    return iri[len(prefix) :] if iri.startswith(prefix) else ""


def kolada_note(lang: str | None) -> str:
    """The credit Kolada's terms require on anything derived from its data."""
    return message("followup.kolada_note", lang)


@dataclass(frozen=True)
class Finding:
    """Something a status report found wrong or missing: severity, code, the item, a message."""

    severity: str
    code: str
    focus: str
    message: str


@dataclass
class Names:
    """Labels (language → text), local ids and kommun codes of the graph's items.

    ``regions`` are the counties and the country: areas whose values are
    comparison values, not a kommun's own.
    """

    graph: GoalGraph
    lang: str | None
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    regions: set[str] = field(default_factory=set)
    _picked: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.lang = self.lang if self.lang in LANGUAGES else default_lang()

    @classmethod
    def of(cls, graph: GoalGraph, tables: Tables, lang: str | None) -> Names:
        """The names of *tables*' items, labels in *lang*."""
        names = cls(graph, lang, labels=tables.items.labels)
        names.identifiers = tables.items.first(_IDENTIFIER)
        frame = tables.kommuner
        columns = (frame[c].tolist() for c in ("kommun", "code", "class"))
        for area, code, kind in zip(*columns, strict=True):
            if kind != _MUNICIPALITY:
                names.regions.add(area)  # a county or the country: comparison values
            elif area.startswith(_KOMMUN):
                names.codes[area] = code or area[len(_KOMMUN) :]
            else:
                names.codes[area] = code or area
        names.regions -= set(names.codes)
        return names

    def label(self, iri: str) -> str:
        """The label of *iri* in the report's language, else ``""``."""
        picked = self._picked.get(iri)
        if picked is None:
            if iri not in self.labels:
                self.labels[iri] = self.graph.labels(ox.NamedNode(iri)) if iri else {}
            picked = self._picked[iri] = pick_label(self.labels[iri], self.lang) or ""
        return picked

    def identifier(self, iri: str) -> str:
        """The local id of *iri* (``dcterms:identifier``), else ``""``."""
        return self.identifiers.get(iri, "")

    def code(self, kommun: str) -> str:
        """The code of the kommun *kommun* (IRI), or the IRI itself when it is no known kommun."""
        return self.codes.get(kommun, kommun)

    def item(self, iri: str) -> str:
        """An item as a reader names it: ``id «label»``, or the label, or ``<IRI>``."""
        ident, label = self.identifier(iri), self.label(iri)
        if ident and label and label != ident:
            return f"{ident} «{label}»"
        return ident or label or f"<{iri}>"

    def kommun(self, kommun: str) -> str:
        """A kommun as a reader names it: ``Vetlanda (0685)``, or its IRI when unknown."""
        if not kommun:
            return message("followup.no_kommun", self.lang)
        code, label = self.codes.get(kommun), self.label(kommun)
        if code is None:
            return f"<{kommun}>"
        return f"{label} ({code})" if label else code
