"""What the report knows about each item beyond the goal chain: anchors, notes, marks, texts.

:class:`Catalogue` reads, once per graph, the editorial notes
(``skos:editorialNote``, ``skos:note``: the ambiguities the encoders
recorded), the illustrative flag (``gg:illustrative``), descriptions and
sort numbers, and turns any IRI into an :class:`~goalgraph.report.model.Entry`
with a unique HTML anchor. Labels and kinds come from the traceability
network (:func:`goalgraph.goal_chain.network`), so the report names items
exactly as ``trace`` does.

>>> slug("Barn- och utbildningsnämnden (illustrativt)")
'barn-och-utbildningsnamnden-illustrativt'
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph.agenda2030 import SDG_NAMESPACE, is_sdg, sdg_code, titled
from goalgraph.goal_chain import kind_label, term_text
from goalgraph.graph import DATA_GRAPH
from goalgraph.i18n import message, pick_label
from goalgraph.report.lookups import run
from goalgraph.report.model import Cited, Entry, Note

if TYPE_CHECKING:
    import networkx as nx

    from goalgraph.graph import GoalGraph

__all__ = ["Anchors", "Catalogue", "natural_key", "slug"]

_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def slug(text: str) -> str:
    """*text* folded to lower-case ASCII words joined by ``-``, for HTML ids.

    :raises: nothing; an empty or symbol-only text gives ``"x"``.

    >>> slug("Åtagande 1.2 – Öppna data")
    'atagande-1-2-oppna-data'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"


def natural_key(text: str | None) -> tuple[tuple[int, object], ...]:
    """Sort key putting ``KF2`` before ``KF10`` and ``11.3`` before ``11.10``.

    :raises: nothing; ``None`` sorts first.

    >>> sorted(["KF10", "KF2", None], key=natural_key)
    [None, 'KF2', 'KF10']
    """
    parts = re.split(r"(\d+)", text or "")
    return tuple((0, int(p)) if p.isdigit() else (1, p.casefold()) for p in parts)


class Anchors:
    """Unique HTML ids, stable for a key: the same IRI always gets the same anchor.

    >>> anchors = Anchors()
    >>> anchors.of("https://w3id.org/goalgraph/id/0685/goal/KF1", "g")
    'g-kf1'
    >>> anchors.of("https://w3id.org/goalgraph/id/0665/goal/KF1", "g")
    'g-kf1-2'
    """

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}
        self._used: set[str] = set()

    def of(self, key: str, prefix: str, *, text: str | None = None) -> str:
        """The anchor of *key* with *prefix*, made once and then reused.

        The anchor is made from *text* if given, else from the last part of
        *key* (an IRI's local name).
        """
        found = self._ids.get((prefix, key))
        if found is not None:
            return found
        local = text or key.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        base = f"{prefix}-{slug(local)}"
        anchor, n = base, 2
        while anchor in self._used:
            anchor, n = f"{base}-{n}", n + 1
        self._used.add(anchor)
        self._ids[(prefix, key)] = anchor
        return anchor


class Catalogue:
    """Entries, anchors and notes for the items of one graph, in one language.

    :param graph: the loaded goal graph.
    :param net: its traceability network (built once by the caller).
    :param lang: language of labels and kinds.
    """

    def __init__(self, graph: GoalGraph, net: nx.MultiDiGraph, lang: str) -> None:
        self.graph = graph
        self.net = net
        self.lang = lang
        self.anchors = Anchors()
        self.notes: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.illustrative: set[str] = set()
        self.descriptions: dict[str, dict[str, str]] = defaultdict(dict)
        self.notations: dict[str, str] = {}
        #: the kommun (IRI) of each item of the data that has one.
        self.kommun: dict[str, str] = {}
        for row in run(graph, "places", graphs=("data",)):
            self.kommun.setdefault(term_text(row["item"]), term_text(row["kommun"]))
        # A note on an item without a kommun of its own (an ambition level) belongs to the
        # kommun of what links to it; the rest are listed apart, never dropped.
        for row in run(graph, "owners", graphs=("data",)):
            self.kommun.setdefault(term_text(row["item"]), term_text(row["kommun"]))
        for row in run(graph, "annotations", graphs=("data",)):
            item = term_text(row["item"])
            if "note" in row:
                note = row["note"]
                language = note.language if isinstance(note, ox.Literal) else None
                self.notes[item].append((term_text(note), language or ""))
            elif "illustrative" in row and term_text(row["illustrative"]) in ("true", "1"):
                self.illustrative.add(item)
        for row in run(graph, "details", graphs=("data",)):
            item = term_text(row["item"])
            if "description" in row:
                text = row["description"]
                language = text.language if isinstance(text, ox.Literal) else None
                self.descriptions[item].setdefault(language or "", term_text(text))
            elif "notation" in row:
                self.notations.setdefault(item, term_text(row["notation"]))
        for texts in self.notes.values():
            texts.sort()
        self._numbers: dict[str, tuple[int, ...]] = {}

    # --- naming -----------------------------------------------------------

    def kind(self, iri: str) -> str:
        """The kind of *iri* in the network (``committee_goal``, ``area``, …) or ``other``."""
        return str(self.net.nodes[iri]["kind"]) if iri in self.net else "other"

    def identifier(self, iri: str) -> str | None:
        """The local id (``dcterms:identifier``) or SDG code of *iri*, if it has one."""
        if iri in self.net and self.net.nodes[iri]["identifier"]:
            return str(self.net.nodes[iri]["identifier"])
        if is_sdg(iri):
            return sdg_code(self.graph, iri) or iri[len(SDG_NAMESPACE) :]
        found = next(
            self.graph.store.quads_for_pattern(ox.NamedNode(iri), _IDENTIFIER, None, None), None
        )
        return term_text(found.object) if found is not None else None

    def _labels(self, iri: str) -> dict[str, str]:
        labels = self.net.nodes[iri]["labels"] if iri in self.net else None
        return labels if labels is not None else self.graph.labels(ox.NamedNode(iri))

    def label(self, iri: str) -> str:
        """The label of *iri* in the report's language, else its id, else the IRI's last part."""
        text = pick_label(self._labels(iri), self.lang)
        return text or self.identifier(iri) or iri.rstrip("/").rsplit("/", 1)[-1]

    def text_lang(self, iri: str) -> str | None:
        """The language of *iri*'s label when it is not the report's (a Swedish label in English).

        :raises: nothing; ``None`` when the label is in the report's language or untagged.
        """
        labels = self._labels(iri)
        text = pick_label(labels, self.lang)
        tag = next((t for t, value in labels.items() if value == text), "")
        return tag if tag and tag != self.lang else None

    def title(self, iri: str) -> str:
        """The item as a reader cites it: ``KF1 Fler mötesplatser``, ``11.7 By 2030, … (en)``.

        Goals, delstrategier, nyckeltal and Agenda 2030 items get their id or
        UN code in front (an SDG title not in the report's language is marked
        with its language tag); riktningar, challenges and reference concepts
        only their label.
        """
        identifier, label = self.identifier(iri), self.label(iri)
        if is_sdg(iri) and identifier:
            return titled(identifier, self._labels(iri), self.lang)
        if self.kind(iri) in _CITED_BY_ID and identifier and identifier != label:
            return f"{identifier} {label}"
        return label

    def cited(self, iri: str) -> Cited:
        """:meth:`title` with the language of its label when that is not the report's."""
        return Cited(self.title(iri), self.text_lang(iri))

    def _class_text(self, iri: str) -> str:
        """What an item outside the goal chain is (nämnd, målnivå, prognos): its class's label."""
        for quad in self.graph.store.quads_for_pattern(ox.NamedNode(iri), _TYPE, None, DATA_GRAPH):
            if not isinstance(quad.object, ox.NamedNode):
                continue
            label = pick_label(self.graph.labels(quad.object), self.lang)
            if label:
                return label
        return _kind_text("other", self.lang)

    def description(self, iri: str) -> str | None:
        """The item's ``dcterms:description`` in the report's language, if any."""
        return pick_label(self.descriptions.get(iri, {}), self.lang)

    def sort_key(self, iri: str) -> tuple[object, ...]:
        """Order of items: by ``skos:notation`` when given, else by id, then label."""
        return (
            natural_key(self.notations.get(iri)),
            natural_key(self.identifier(iri)),
            self.label(iri).casefold(),
        )

    def entry(self, iri: str) -> Entry:
        """The item *iri* as an entry of the report, with its anchor, marks and note numbers."""
        kind = self.kind(iri)
        return Entry(
            iri=iri,
            anchor=self.anchors.of(iri, "i"),
            kind=kind,
            kind_label=self._class_text(iri) if kind == "other" else _kind_text(kind, self.lang),
            identifier=self.identifier(iri),
            label=self.label(iri),
            description=self.description(iri),
            illustrative=iri in self.illustrative,
            notes=self._numbers.get(iri, ()),
            lang=self.text_lang(iri),
        )

    # --- notes --------------------------------------------------------------

    def number_notes(self, items: Iterable[str], *, prefix: str) -> tuple[Note, ...]:
        """Number the notes of *items* (in report order) and return them as :class:`Note` s.

        Entries made afterwards carry their note numbers; numbering restarts
        for each call, so each kommun's notes run from 1.
        """
        notes: list[Note] = []
        for iri in sorted({i for i in items if i in self.notes}, key=self.order):
            numbers = []
            for text, lang in self.notes[iri]:
                number = len(notes) + 1
                numbers.append(number)
                notes.append(
                    Note(
                        number=number,
                        anchor=f"{prefix}-{number}",
                        about=self.title(iri),
                        about_anchor=self.anchors.of(iri, "i"),
                        text=text,
                        lang=lang,
                    )
                )
            self._numbers[iri] = tuple(numbers)
        return tuple(notes)

    def order(self, iri: str) -> tuple[object, ...]:
        """Order of items across kinds, as the report shows them: vision first, nyckeltal last."""
        return (_KIND_ORDER.get(self.kind(iri), len(_KIND_ORDER)), *self.sort_key(iri))


# Kinds whose local ids readers use (KF1, A-LEVA-1, NT1-1); other items are named by label alone.
_CITED_BY_ID = {
    "council_goal",
    "executive_board_goal",
    "committee_goal",
    "sub_goal",
    "goal",
    "substrategy",
    "commitment",
    "action",
    "indicator",
}

# Notes are listed in the order the report shows the items: vision first, nyckeltal last.
_KIND_ORDER = {
    kind: rank
    for rank, kind in enumerate(
        (
            "vision",
            "area",
            "council_goal",
            "executive_board_goal",
            "committee_goal",
            "sub_goal",
            "goal",
            "substrategy",
            "commitment",
            "action",
            "challenge",
            "indicator",
        )
    )
}


def _kind_text(kind: str, lang: str) -> str:
    try:
        return kind_label(kind, lang)
    except KeyError:
        return message("report.kind_other", lang)
