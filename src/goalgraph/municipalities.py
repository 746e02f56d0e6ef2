"""The kommuner a graph's data is about, and the check behind every ``--kommun`` option.

A kommun code given by a user either names a kommun of the data, or it is a
real kommun the data says nothing about, or it is no kommun at all. Commands
that filter by kommun call :func:`require_kommun` so that the last two are
an error naming the code, never an empty table.

>>> from goalgraph import load
>>> data_kommuner(load())
{}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from goalgraph.errors import UnknownTermError
from goalgraph.i18n import message, pick_label
from goalgraph.namespace import kommun_iri

if TYPE_CHECKING:
    from goalgraph.graph import GoalGraph

__all__ = ["data_kommuner", "require_kommun"]

# Any item of the user's data that names its kommun, or an observation of one (gg:refArea, which
# may also be a region); codes come from the reference data.
_DATA_KOMMUNER = """
SELECT DISTINCT ?kommun ?code WHERE {
  {
    GRAPH <https://w3id.org/goalgraph/graph/data> { ?item gg:municipality ?kommun }
  } UNION {
    GRAPH <https://w3id.org/goalgraph/graph/data> { ?item gg:refArea ?kommun }
    ?kommun a gg:Municipality .
  }
  OPTIONAL { ?kommun gg:municipalityCode ?code }
}
"""


def data_kommuner(graph: GoalGraph) -> dict[str, str]:
    """The kommuner the user's data is about (its items or observations): code → IRI, by code.

    :raises: nothing; data without ``gg:municipality`` gives an empty dict.

    >>> from goalgraph import load
    >>> data_kommuner(load("examples/vetlanda"))
    {'0685': 'https://w3id.org/goalgraph/ref/kommun/0685'}
    """
    found = {}
    for row in graph.select(_DATA_KOMMUNER, graphs=("data", "vocabulary")):
        iri = row["kommun"].value
        found[row["code"].value if "code" in row else iri.rsplit("/", 1)[-1]] = iri
    return dict(sorted(found.items()))


def require_kommun(graph: GoalGraph, code: str, *, lang: str | None = None) -> str:
    """The IRI of the kommun with *code* (``"0685"``) when the data is about it.

    :raises UnknownTermError: naming *code*: either no kommun has that code,
        or it is a kommun the data holds nothing about; the message lists the
        kommuner the data has.

    >>> from goalgraph import load
    >>> require_kommun(load("examples/vetlanda"), "0685")
    'https://w3id.org/goalgraph/ref/kommun/0685'
    >>> require_kommun(load("examples/vetlanda"), "0180")
    Traceback (most recent call last):
    goalgraph.errors.UnknownTermError: ...
    """
    wanted = code.strip()
    present = data_kommuner(graph)
    if wanted in present:
        return present[wanted]
    known = ", ".join(
        f"{known_code} {pick_label(graph.labels(ox.NamedNode(iri)), lang) or known_code}"
        for known_code, iri in present.items()
    ) or message("analysis.no_candidates", lang)
    name = pick_label(graph.labels(ox.NamedNode(str(kommun_iri(wanted)))), lang)
    key = "analysis.kommun_without_data" if name else "analysis.unknown_kommun"
    raise UnknownTermError(
        message(key, lang, code=wanted, name=name or "", known=known),
        term=wanted,
        candidates=list(present),
    )
