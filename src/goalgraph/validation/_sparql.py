"""SHACL-SPARQL constraints (https://www.w3.org/TR/shacl/#sparql-constraints) for the fast engine.

A constraint's own SELECT runs once, as a sub-query joined with every focus
node, where that join gives exactly what pre-binding ``$this`` gives (see
``_sparql_prebinding``); otherwise it runs once per focus node with
``$this`` pre-bound in every group of the query.
"""

from __future__ import annotations

import re

import rdflib
from rdflib import URIRef
from rdflib.term import Node

from goalgraph.errors import ShapesError
from goalgraph.i18n import message
from goalgraph.sparql_text import masked
from goalgraph.validation._analysis_cache import Anchors
from goalgraph.validation._check import Check, TableTargets, Unsupported
from goalgraph.validation._shapes import SH, PathExpr, imported, path_text
from goalgraph.validation._sparql_prebinding import ParsedQuery, check_syntax, mark_groups, parse

__all__ = [
    "compile_sparql",
    "describe",
    "minus_for_not_exists",
    "prefix_header",
    "runs_setwise",
    "setwise_query",
    "substitute_path",
]


def describe(node: Node) -> str:
    """*node* as people read it in a message: ``<iri>`` or ``_:label``."""
    return f"<{node}>" if isinstance(node, URIRef) else f"_:{node}"


def prefix_header(graph: rdflib.Graph, holder: Node, where: str) -> str:
    """``PREFIX`` lines for the ``sh:prefixes`` of *holder*, following ``owl:imports``
    within *graph* (nothing is fetched).

    :raises ShapesError: if one prefix is declared with two namespaces.
    """
    nodes = {n: None for top in graph.objects(holder, SH.prefixes) for n in imported(graph, top)}
    declared: dict[str, str] = {}
    for node in nodes:
        for declaration in graph.objects(node, SH.declare):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                continue
            first = declared.setdefault(str(prefix), str(namespace))
            if first != str(namespace):
                raise ShapesError(
                    message(
                        "shapes.prefix_conflict",
                        prefix=prefix,
                        where=where,
                        first=first,
                        second=namespace,
                    )
                )
    return "\n".join(f"PREFIX {p}: <{n}>" for p, n in sorted(declared.items()))


def substitute_path(text: str, path: PathExpr | None, where: str) -> str:
    """*text* with ``$PATH`` replaced by *path* in SPARQL syntax (SHACL 6.2.2).

    :raises Unsupported: for ``$PATH`` in the query of a node shape.
    """
    if not re.search(r"\$PATH\b", masked(text)):
        return text
    if path is None:
        raise Unsupported(f"$PATH in the SPARQL query of a node shape ({where})")
    return re.sub(r"\$PATH\b", lambda _: path_text(path), text)


def compile_sparql(
    graph: rdflib.Graph,
    shape: Node,
    constraint: Node,
    focus: str,
    path: PathExpr | None,
    severity: URIRef,
    targets: TableTargets | None = None,
) -> Check:
    """Compile the SPARQL constraint *constraint* of *shape* into a check.

    *focus* binds the focus nodes; *targets*, if given, are the class and subjects-of
    targets that bind them: where every solution of the query is an instance of a target
    class or a subject of a target property by its own patterns, the join with *focus*
    changes nothing and is left out (a quarter of such a query's time on a national graph).

    :raises Unsupported: for constraints without ``sh:select`` or using
        ``$shapesGraph`` / ``$currentShape``.
    :raises ShapesError: if the query is malformed or breaks SHACL's restrictions.
    """
    select = graph.value(constraint, SH.select)
    if select is None:
        raise Unsupported("sh:sparql without sh:select")
    text = str(select)
    if re.search(r"[$?](shapesGraph|currentShape)\b", masked(text)):
        raise Unsupported("$shapesGraph / $currentShape in SPARQL constraints")
    where = f"{describe(shape)} ({describe(constraint)})"
    text = substitute_path(text, path, where)
    header = prefix_header(graph, constraint, where)
    parsed = parse(f"{header}\n{text}", frozenset({"this"}), where)
    value_var = "value" if "value" in parsed.projected else None
    marked = f"{header}\n{mark_groups(text)}"
    check_syntax(marked, ["this"], where)
    setwise = runs_setwise(parsed, text)
    if setwise:
        query = setwise_query(header, minus_for_not_exists(text), focus, parsed.anchors, targets)
    return Check(
        query if setwise else marked,
        shape,
        SH.SPARQLConstraintComponent,
        severity,
        path,
        constraint,
        value_var,
        per_focus=not setwise,
        focus_query="" if setwise else f"SELECT DISTINCT ?this WHERE {{ {focus} }}",
        targets=targets,
    )


def runs_setwise(parsed: ParsedQuery, text: str) -> bool:
    """Whether the query *text* (``parsed``) runs once for all focus nodes: the join is
    exact, and *text* has no ``PREFIX`` or ``BASE`` of its own, which cannot stand
    inside the sub-query :func:`setwise_query` makes of it."""
    return parsed.setwise and re.search(r"\b(PREFIX|BASE)\b", masked(text), re.I) is None


def setwise_query(
    header: str, text: str, focus: str, anchors: Anchors, targets: TableTargets | None
) -> str:
    """The SELECT *text* as one query for all focus nodes: a sub-query joined with the
    focus nodes bound by *focus*, or alone where *anchors* put every solution inside
    *targets* (the join would change nothing)."""
    joined = "" if _within_targets(anchors, targets) else focus
    return f"{header}\nSELECT * WHERE {{ {joined} {{ {text} }} }}"


def _within_targets(anchors: Anchors, targets: TableTargets | None) -> bool:
    """Whether each alternative of *anchors* makes ``$this`` a focus node of *targets*.

    >>> from goalgraph.validation._check import TableTargets
    >>> targets = TableTargets(("urn:C",), ("urn:p",))
    >>> _within_targets(((("s", "urn:p"),), (("a", "urn:C"),)), targets)
    True
    >>> _within_targets(((("s", "urn:p"),), (("s", "urn:q"),)), targets)
    False
    """
    if targets is None or not anchors:
        return False
    facts = {("a", c) for c in targets.classes} | {("s", p) for p in targets.subjects_of}
    return all(facts.intersection(alternative) for alternative in anchors)


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{([^{}]*)\}", re.I)
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def minus_for_not_exists(text: str) -> str:
    """Rewrite ``FILTER NOT EXISTS { bgp }`` as ``MINUS { bgp }`` where both mean the same.

    SHACL forbids MINUS in SPARQL constraints, but on pyoxigraph NOT EXISTS
    over a path is quadratic. The two agree when the query has no OPTIONAL
    or UNION (so outer variables are always bound), the block is flat, it
    shares a variable with the rest of the query, and its own FILTERs only
    use variables of its own triple patterns.
    """
    if re.search(r"\b(OPTIONAL|UNION)\b", text, re.I):
        return text

    def rewrite(match: re.Match[str]) -> str:
        body = match.group(1)
        outside = text[: match.start()] + text[match.end() :]
        inner_vars = set(_VARIABLE.findall(body))
        if not inner_vars & set(_VARIABLE.findall(outside)):
            return match.group(0)
        triples = re.sub(
            r"FILTER\s*\((?:[^()]|\([^()]*(?:\([^()]*\))*[^()]*\))*\)", " ", body, flags=re.I
        )
        if not set(_VARIABLE.findall(body)) <= set(_VARIABLE.findall(triples)):
            return match.group(0)
        return "MINUS {" + body + "}"

    return _NOT_EXISTS.sub(rewrite, text)
