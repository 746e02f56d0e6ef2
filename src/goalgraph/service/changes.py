"""A change posted to the service: the triples to add and to remove, parsed offline and checked.

A change is a JSON object whose ``added`` and ``removed`` fields hold RDF text,
Turtle (default) or N-Triples (``"format": "n-triples"``)::

    {"added": "@prefix gg: <https://w3id.org/goalgraph/ontology#> .
               <https://ex/g1> gg:contributesTo <https://ex/kf1> .",
     "removed": "",
     "format": "turtle"}

Both are parsed completely before the graph is touched, by pyoxigraph's
Turtle and N-Triples parsers, which never fetch anything (no remote context,
no entities, nothing imported). Each text declares its own prefixes; relative
IRIs are refused (there is no base to resolve them against).

>>> change = parse_change({"added": "<https://ex/a> <https://ex/p> <https://ex/b> ."})
>>> len(change.added), len(change.removed)
(1, 0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from goalgraph.i18n import message
from goalgraph.positions import parser_problem
from goalgraph.service.errors import RequestRefused

__all__ = ["FORMATS", "Change", "parse_change"]

#: The RDF formats a change may be written in, by the name the JSON gives.
FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
}
_FIELDS = ("added", "removed", "format")


@dataclass(frozen=True)
class Change:
    """The triples a change adds and removes, parsed and checked, not yet applied."""

    added: list[ox.Triple]
    removed: list[ox.Triple]


def parse_change(body: Mapping[str, Any]) -> Change:
    """The change described by a JSON object with ``added``, ``removed`` and ``format``.

    :raises RequestRefused: (400) naming the field, line and parser message if a
        field is missing, of the wrong type or malformed, the format is unknown,
        a removed triple has a blank node (which can never name a stored one),
        or the change is empty.

    >>> parse_change({"added": "<https://ex/a> <https://ex/p> .", "format": "turtle"})
    Traceback (most recent call last):
    ...
    goalgraph.service.errors.RequestRefused: ...
    """
    unknown = sorted(set(body) - set(_FIELDS))
    if unknown:
        raise RequestRefused(
            400,
            "bad_change",
            message("serve.change_fields", fields=", ".join(unknown)),
            fields=unknown,
        )
    name = body.get("format", "turtle")
    if name not in FORMATS:
        raise RequestRefused(
            400,
            "bad_change",
            message("serve.change_format", format=name, formats=", ".join(FORMATS)),
            field="format",
        )
    added = _triples(body, "added", FORMATS[name])
    removed = _triples(body, "removed", FORMATS[name])
    if not added and not removed:
        raise RequestRefused(400, "empty_change", message("serve.change_empty"))
    for triple in removed:
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            raise RequestRefused(
                400,
                "bad_change",
                message("serve.change_blank_removed", triple=str(triple)),
                field="removed",
                triple=str(triple),
            )
    return Change(added, removed)


def _triples(body: Mapping[str, Any], field: str, rdf_format: ox.RdfFormat) -> list[ox.Triple]:
    """The triples of the RDF text in *field* of *body* (none when it is missing or empty)."""
    text = body.get(field, "")
    if not isinstance(text, str):
        raise RequestRefused(
            400, "bad_change", message("serve.change_not_text", field=field), field=field
        )
    try:
        parsed = list(ox.parse(input=text.encode("utf-8"), format=rdf_format))
    except SyntaxError as exc:
        found = parser_problem(exc)
        said = found.worded("serve.change_syntax", "serve.change_syntax_unplaced", field=field)
        raise RequestRefused(400, "bad_change", said, field=field, line=found.line) from None
    return [quad.triple if isinstance(quad, ox.Quad) else quad for quad in parsed]
