"""Reading SHACL shapes graphs: files, property paths, severities and messages.

Both engines read the same :class:`rdflib.Graph` of shapes, so blank-node
shapes keep the same identity in the results of either engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeAlias

import pyoxigraph as ox
import rdflib
from rdflib import OWL, RDF, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from goalgraph import resources
from goalgraph.errors import LoadError
from goalgraph.graph import PREFIXES
from goalgraph.i18n import message

__all__ = [
    "SH",
    "PathExpr",
    "builtin_shapes_files",
    "imported",
    "load_shapes",
    "path_expr",
    "path_text",
    "path_to_rdf",
    "pick_text",
    "shape_message",
    "shape_name",
]

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

#: A SHACL property path as a hashable value: an IRI, ``("seq" | "alt", (parts...))``
#: or ``("inverse" | "zeroOrMore" | "oneOrMore" | "zeroOrOne", part)``.
PathExpr: TypeAlias = "URIRef | tuple[str, object]"

_UNARY = {
    SH.inversePath: "inverse",
    SH.zeroOrMorePath: "zeroOrMore",
    SH.oneOrMorePath: "oneOrMore",
    SH.zeroOrOnePath: "zeroOrOne",
}
_UNARY_IRI = {name: iri for iri, name in _UNARY.items()}
_SUFFIX = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}


def builtin_shapes_files() -> list[Path]:
    """The shapes files goalgraph ships (``shapes/*.ttl``), sorted.

    >>> [p.name for p in builtin_shapes_files()][:2]
    ['components.ttl', 'consistency.ttl']
    """
    return resources.shapes_files()


def load_shapes(files: Iterable[str | Path]) -> rdflib.Graph:
    """Parse shapes files (Turtle, JSON-LD, …) into one rdflib graph.

    Shapes are read like data, by :func:`goalgraph.loading.parse_file`: offline
    (a remote JSON-LD ``@context`` is refused, never fetched), without DTD
    entities in RDF/XML, within the input size limit. The triples become
    rdflib terms only here, where both engines take them.

    :raises LoadError: if a file is missing, too large, malformed, or needs the
        network; the message names it.

    >>> len(load_shapes(builtin_shapes_files())) > 100
    True
    """
    from goalgraph.graph import to_rdflib_term
    from goalgraph.loading import parse_file

    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("ggsh", "https://w3id.org/goalgraph/shapes#")
    for file in files:
        for triple in parse_file(Path(file)):
            if isinstance(triple.object, ox.Triple):  # RDF 1.2; SHACL 1.0 has no use for it
                raise LoadError(message("shapes.triple_term", term=triple.object), path=file)
            graph.add(
                (
                    to_rdflib_term(triple.subject),  # type: ignore[arg-type]
                    to_rdflib_term(triple.predicate),
                    to_rdflib_term(triple.object),
                )
            )
    return graph


def imported(graph: rdflib.Graph, node: Node) -> list[Node]:
    """*node* and every node it reaches through ``owl:imports`` within *graph*
    (SHACL 5.2.1 prefix declarations are found this way; nothing is fetched).

    >>> g = rdflib.Graph()
    >>> a, b = URIRef("urn:a"), URIRef("urn:b")
    >>> g.add((a, OWL.imports, b)); g.add((b, OWL.imports, a))  # doctest: +ELLIPSIS
    <Graph ...>
    <Graph ...>
    >>> imported(g, a)
    [rdflib.term.URIRef('urn:a'), rdflib.term.URIRef('urn:b')]
    """
    seen: list[Node] = []
    todo = [node]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        todo.extend(graph.objects(current, OWL.imports))
    return seen


def path_expr(graph: rdflib.Graph, node: Node) -> PathExpr:
    """The path at *node* of *graph* as a hashable :data:`PathExpr`.

    :raises ValueError: if *node* is not a well-formed SHACL path.
    """
    if isinstance(node, URIRef):
        return node
    if not isinstance(node, BNode):
        raise ValueError(f"not a SHACL path: {node!r}")
    if (node, RDF.first, None) in graph:
        return ("seq", tuple(path_expr(graph, item) for item in Collection(graph, node)))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return ("alt", tuple(path_expr(graph, item) for item in Collection(graph, alternatives)))
    for predicate, name in _UNARY.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return (name, path_expr(graph, inner))
    raise ValueError(f"not a SHACL path: {node!r}")


def path_text(path: PathExpr, *, compact: bool = False) -> str:
    """*path* in SPARQL property-path syntax (full IRIs, or prefixed names with *compact*).

    >>> path_text(("seq", (URIRef("https://w3id.org/goalgraph/ontology#a"),
    ...                    URIRef("https://w3id.org/goalgraph/ontology#b"))), compact=True)
    '(gg:a/gg:b)'
    """
    if isinstance(path, URIRef):
        if compact:
            for prefix, namespace in PREFIXES.items():
                if path.startswith(namespace) and "/" not in path[len(namespace) :]:
                    return f"{prefix}:{path[len(namespace) :]}"
        return f"<{path}>"
    kind, inner = path
    if kind in ("seq", "alt"):
        joiner = "/" if kind == "seq" else "|"
        return "(" + joiner.join(path_text(p, compact=compact) for p in inner) + ")"  # type: ignore[attr-defined]
    text = path_text(inner, compact=compact)  # type: ignore[arg-type]
    if kind == "inverse":
        return f"^{text}"
    return f"({text}){_SUFFIX[kind]}"


def path_to_rdf(path: PathExpr, graph: rdflib.Graph) -> Node:
    """Write *path* into *graph* as SHACL path triples and return its node."""
    if isinstance(path, URIRef):
        return path
    kind, inner = path
    node = BNode()
    if kind == "seq":
        Collection(graph, node, [path_to_rdf(p, graph) for p in inner])  # type: ignore[attr-defined]
        return node
    if kind == "alt":
        items = BNode()
        Collection(graph, items, [path_to_rdf(p, graph) for p in inner])  # type: ignore[attr-defined]
        graph.add((node, SH.alternativePath, items))
        return node
    graph.add((node, _UNARY_IRI[kind], path_to_rdf(inner, graph)))  # type: ignore[arg-type]
    return node


def pick_text(values: Sequence[Node], lang: str) -> str | None:
    """From literals *values* pick the one in *lang*, else sv, en, untagged, any."""
    by_lang: dict[str, str] = {}
    for value in values:
        if isinstance(value, Literal):
            by_lang.setdefault(value.language or "", str(value))
    for tag in (lang, "sv", "en", ""):
        if tag in by_lang:
            return by_lang[tag]
    return next(iter(by_lang.values()), None)


def shape_message(
    graph: rdflib.Graph, shape: Node, constraint: Node | None, component: Node, lang: str
) -> str:
    """The message for a result: the constraint's, else the shape's, else a generic one."""
    for node in (constraint, shape):
        if node is not None:
            text = pick_text(list(graph.objects(node, SH.message)), lang)
            if text is not None:
                return text
    name = str(component).rsplit("#", 1)[-1]
    try:
        return message(f"validation.component_{name}", lang)
    except KeyError:
        return message("validation.component_other", lang, component=name)


def shape_name(graph: rdflib.Graph, shape: Node, lang: str) -> str | None:
    """The shape's ``sh:name`` in *lang*, if any."""
    return pick_text(list(graph.objects(shape, SH.name)), lang)
