"""Agenda 2030 items — the UN's SDG goals, targets and indicators — as a reader cites them.

An item is cited by its compact UN code (``11``, ``11.7``, ``11.7.1``) followed
by its title. The title is Swedish where the project has one (the 17 goals,
``ontology/reference/sdg-labels-sv.ttl``); otherwise it is the UN's own title
from the SDG KOS, in English, and then marked with its language tag so that
nobody takes it for a translation: ``11.7 By 2030, provide … (en)``.

The IRIs are the UN's: ``sdg:11``, ``sdg:11.7`` and, for indicators, the
permanent code ``sdg:C110701`` (indicator 11.7.1). The compact code is read
from the KOS (``skos:notation`` typed ``sdgo:SDGCodeCompact``), never derived
from the IRI.

>>> titled("11.7", {"en": "By 2030, provide universal access ...", "fr": "D'ici à 2030 ..."}, "sv")
'11.7 By 2030, provide universal access ... (en)'
>>> titled("11", {"sv": "Hållbara städer och samhällen", "en": "Make cities ..."}, "sv")
'11 Hållbara städer och samhällen'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph.i18n import LANGUAGES, default_lang, pick_label

if TYPE_CHECKING:
    from goalgraph.graph import GoalGraph

__all__ = ["SDG_NAMESPACE", "is_sdg", "label_language", "sdg_code", "titled"]

#: The namespace of the UN SDG KOS (goals, targets and indicators).
SDG_NAMESPACE = "http://metadata.un.org/sdg/"
_NOTATION = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
_COMPACT = "http://metadata.un.org/sdg/ontology#SDGCodeCompact"


def is_sdg(iri: str) -> bool:
    """True if *iri* is in the UN SDG namespace (a goal, target, indicator or other KOS item).

    >>> is_sdg("http://metadata.un.org/sdg/C110701"), is_sdg("https://w3id.org/goalgraph/x")
    (True, False)
    """
    return iri.startswith(SDG_NAMESPACE)


def sdg_code(graph: GoalGraph, iri: str) -> str | None:
    """The compact UN code of the SDG item *iri* (``11``, ``11.7``, ``11.7.1``), else ``None``.

    ``None`` for an IRI outside the SDG namespace or one the KOS gives no
    compact notation (an unknown ``sdg:99``): the caller then shows the IRI.

    >>> from goalgraph import load
    >>> sdg_code(load(), "http://metadata.un.org/sdg/C110701")
    '11.7.1'
    >>> sdg_code(load(), "http://metadata.un.org/sdg/99") is None
    True
    """
    if not is_sdg(iri):
        return None
    for quad in graph.store.quads_for_pattern(ox.NamedNode(iri), _NOTATION, None, None):
        value = quad.object
        if isinstance(value, ox.Literal) and value.datatype.value == _COMPACT:
            return value.value
    return None


def label_language(labels: dict[str, str], lang: str | None = None) -> str | None:
    """The language tag of the label :func:`~goalgraph.i18n.pick_label` picks, if not *lang*.

    ``None`` when the picked label is in *lang* (or untagged, or there is none).

    >>> label_language({"en": "End poverty"}, "sv")
    'en'
    >>> label_language({"sv": "Ingen fattigdom", "en": "End poverty"}, "sv") is None
    True
    """
    chosen = lang if lang in LANGUAGES else default_lang()
    text = pick_label(labels, chosen)
    tag = next((t for t, value in labels.items() if value == text), "")
    return tag if tag and tag != chosen else None


def titled(
    code: str, labels: dict[str, str], lang: str | None = None, *, quoted: bool = False
) -> str:
    """The item coded *code* with its title in *lang*, the title's language marked if other.

    :param code: the compact UN code, e.g. ``11.7``.
    :param labels: the item's titles by language tag (see ``GoalGraph.labels``).
    :param lang: the reader's language (sv or en); ``$GOALGRAPH_LANG`` or sv by default.
    :param quoted: put the title in «guillemets», as trace explanations name every item.
    :raises: nothing; without a title the code alone is returned.

    >>> titled("11.7.1", {"en": "Average share ..."}, "en")
    '11.7.1 Average share ...'
    >>> titled("11.7.1", {"en": "Average share ..."}, "sv", quoted=True)
    '11.7.1 «Average share ...» (en)'
    >>> titled("11.7", {}, "sv")
    '11.7'
    """
    text = pick_label(labels, lang)
    if not text or text == code:
        return code
    shown = f"«{text}»" if quoted else text
    other = label_language(labels, lang)
    return f"{code} {shown} ({other})" if other else f"{code} {shown}"
