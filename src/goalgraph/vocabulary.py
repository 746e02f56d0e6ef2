"""The ontology as a term list: one row per class and property, ready to document.

:func:`terms` reads ``ontology/goalgraph.ttl`` (located by
:mod:`goalgraph.resources`) and returns a :class:`Term` per class, object
property and datatype property of the ``gg:`` namespace, with Swedish and
English labels and definitions, domain, range and super-terms.
:func:`render` turns them into the Markdown page ``docs/vocabulary.md`` or an
HTML page, through the Jinja2 templates in ``goalgraph/templates``.

>>> rows = terms()
>>> goal = next(row for row in rows if row.name == "CommitteeGoal")
>>> (goal.kind, goal.label_sv, goal.parents)
('class', 'nämndmål', ('gg:Goal',))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeAlias

import jinja2
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from goalgraph import resources
from goalgraph.graph import PREFIXES, GoalGraph
from goalgraph.loading import parse_file

__all__ = ["FORMATS", "Term", "TermKind", "VocabularyFormat", "render", "terms"]

TermKind: TypeAlias = Literal["class", "object property", "datatype property"]
VocabularyFormat: TypeAlias = Literal["markdown", "html"]
FORMATS: dict[str, str] = {"markdown": "vocabulary.md.j2", "html": "vocabulary.html.j2"}

_GG = PREFIXES["gg"]
_KINDS: tuple[tuple[TermKind, rdflib.URIRef], ...] = (
    ("class", OWL.Class),
    ("object property", OWL.ObjectProperty),
    ("datatype property", OWL.DatatypeProperty),
)
_TITLES: dict[str, str] = {
    "class": "Classes",
    "object property": "Object properties",
    "datatype property": "Datatype properties",
}
# Prefixes the ontology uses beyond goalgraph's query prefixes, for readable term names.
_EXTRA_PREFIXES = {
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
}
_CHARACTERISTICS = {
    OWL.FunctionalProperty: "functional",
    OWL.TransitiveProperty: "transitive",
    OWL.SymmetricProperty: "symmetric",
    OWL.InverseFunctionalProperty: "inverse functional",
}


@dataclass(frozen=True)
class Term:
    """One class or property of the ontology, as the documentation shows it.

    ``domain`` and ``range`` list the classes or datatypes as compact names;
    more than one entry means their union. ``parents`` are the super-classes
    of a class or the super-properties of a property.
    """

    iri: str
    name: str
    kind: TermKind
    label_sv: str
    label_en: str
    definition_sv: str
    definition_en: str
    alt_labels_sv: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    characteristics: tuple[str, ...] = ()
    inverse_of: str | None = None
    property_chains: tuple[tuple[str, ...], ...] = ()

    @property
    def curie(self) -> str:
        """The term's compact name, e.g. ``gg:CommitteeGoal``."""
        return f"gg:{self.name}"


@dataclass(frozen=True)
class _OntologyHeader:
    """The ontology header shown at the top of the page."""

    iri: str
    version: str
    label_sv: str
    label_en: str
    definition_sv: str
    definition_en: str


def _read(source: Path | None) -> rdflib.Graph:
    graph = GoalGraph()
    graph.add(parse_file(source or resources.ontology_file()), graph="vocabulary")
    return graph.to_rdflib(("vocabulary",))


def _curie(node: rdflib.term.Node) -> str:
    text = str(node)
    matches = [
        (len(namespace), prefix, namespace)
        for prefix, namespace in (*PREFIXES.items(), *_EXTRA_PREFIXES.items())
        if text.startswith(namespace) and len(text) > len(namespace)
    ]
    if not matches:
        return f"<{text}>"
    _, prefix, namespace = max(matches)
    return f"{prefix}:{text[len(namespace) :]}"


def _text(graph: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef, lang: str) -> str:
    for value in graph.objects(node, predicate):
        if isinstance(value, rdflib.Literal) and value.language == lang:
            return str(value)
    return ""


def _classes(graph: rdflib.Graph, node: rdflib.term.Node | None) -> tuple[str, ...]:
    """A named class as one name; an owl:unionOf as its members' names."""
    if node is None:
        return ()
    if isinstance(node, rdflib.BNode):
        members = graph.value(node, OWL.unionOf)
        if members is not None:
            return tuple(_curie(m) for m in Collection(graph, members))
    return (_curie(node),)


def _term(graph: rdflib.Graph, iri: rdflib.URIRef, kind: TermKind) -> Term:
    parent_predicate = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
    inverse = graph.value(iri, OWL.inverseOf)
    return Term(
        iri=str(iri),
        name=str(iri)[len(_GG) :],
        kind=kind,
        label_sv=_text(graph, iri, RDFS.label, "sv"),
        label_en=_text(graph, iri, RDFS.label, "en"),
        definition_sv=_text(graph, iri, SKOS.definition, "sv"),
        definition_en=_text(graph, iri, SKOS.definition, "en"),
        alt_labels_sv=tuple(
            sorted(
                str(v)
                for v in graph.objects(iri, SKOS.altLabel)
                if isinstance(v, rdflib.Literal) and v.language == "sv"
            )
        ),
        parents=tuple(sorted(_curie(p) for p in graph.objects(iri, parent_predicate))),
        domain=_classes(graph, graph.value(iri, RDFS.domain)),
        range=_classes(graph, graph.value(iri, RDFS.range)),
        characteristics=tuple(
            name for uri, name in _CHARACTERISTICS.items() if (iri, RDF.type, uri) in graph
        ),
        inverse_of=_curie(inverse) if inverse is not None else None,
        property_chains=tuple(
            sorted(
                tuple(_curie(step) for step in Collection(graph, chain))
                for chain in graph.objects(iri, OWL.propertyChainAxiom)
            )
        ),
    )


def terms(*, source: str | Path | None = None) -> list[Term]:
    """Every ``gg:`` class, object property and datatype property of the ontology.

    Classes come first, then object properties, then datatype properties,
    each group sorted by name.

    :param source: an ontology file to read instead of the shipped one.
    :raises LoadError: if the ontology file cannot be read or parsed.

    >>> rows = terms()
    >>> [row.curie for row in rows if row.name == "contributesToSDG"]
    ['gg:contributesToSDG']
    """
    graph = _read(Path(source) if source is not None else None)
    rows: list[Term] = []
    for kind, owl_type in _KINDS:
        iris = sorted(
            s
            for s in graph.subjects(RDF.type, owl_type)
            if isinstance(s, rdflib.URIRef) and str(s).startswith(_GG)
        )
        rows.extend(_term(graph, iri, kind) for iri in iris)
    return rows


def _ontology_info(source: Path | None) -> _OntologyHeader:
    graph = _read(source)
    iri = rdflib.URIRef(resources.ONTOLOGY_IRI)
    return _OntologyHeader(
        iri=str(iri),
        version=str(graph.value(iri, OWL.versionInfo) or ""),
        label_sv=_text(graph, iri, RDFS.label, "sv"),
        label_en=_text(graph, iri, RDFS.label, "en"),
        definition_sv=_text(graph, iri, SKOS.definition, "sv"),
        definition_en=_text(graph, iri, SKOS.definition, "en"),
    )


def _markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: no pipes or line breaks."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _environment(autoescape: bool) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resources.package_dir() / "templates"),
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["cell"] = _markdown_cell
    return environment


def render(
    rows: list[Term] | None = None,
    *,
    format: VocabularyFormat = "markdown",
    source: str | Path | None = None,
) -> str:
    """The term list as a Markdown or HTML page.

    :param rows: the terms to show; by default every term of the ontology.
    :param format: ``markdown`` (the checked-in ``docs/vocabulary.md``) or ``html``.
    :param source: an ontology file to read instead of the shipped one.
    :raises ValueError: if *format* is neither ``markdown`` nor ``html``.
    :raises LoadError: if the ontology file cannot be read or parsed.

    >>> page = render()
    >>> page.startswith("# goalgraph vocabulary")
    True
    >>> render(format="pdf")
    Traceback (most recent call last):
    ...
    ValueError: unknown vocabulary format 'pdf'; use markdown or html
    """
    if format not in FORMATS:
        raise ValueError(f"unknown vocabulary format {format!r}; use markdown or html")
    path = Path(source) if source is not None else None
    selected = rows if rows is not None else terms(source=path)
    template = _environment(autoescape=format == "html").get_template(FORMATS[format])
    groups = [
        {
            "title": _TITLES[kind],
            "anchor": _TITLES[kind].lower().replace(" ", "-"),
            "prefix": kind.replace(" ", "-"),
            "rows": [row for row in selected if row.kind == kind],
        }
        for kind, _ in _KINDS
    ]
    return template.render(ontology=_ontology_info(path), groups=groups, count=len(selected))
