"""SPARQL-based constraint components (https://www.w3.org/TR/shacl/#sparql-constraint-components).

A shapes graph may declare its own constraint components: an
``sh:ConstraintComponent`` with ``sh:parameter`` declarations and SPARQL
validators. A shape that has a value for every mandatory parameter uses the
component; the validator (``sh:nodeValidator`` / ``sh:propertyValidator``,
else ``sh:validator``) runs once per focus node with ``$this`` and the
parameters pre-bound (an ASK validator once per value node, with ``$value``
pre-bound too), and ``$PATH`` replaced by the shape's path.

A SELECT validator runs once for all focus nodes where that gives exactly
what pre-binding ``$this`` gives (as an ``sh:sparql`` constraint does, see
``_sparql``), the parameters pre-bound in every group of the query as they
are per focus node.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import replace

import rdflib
from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.term import Node

from goalgraph.sparql_text import masked
from goalgraph.validation._check import Check, TableTargets, Unsupported
from goalgraph.validation._shapes import SH, PathExpr
from goalgraph.validation._sparql import (
    describe,
    prefix_header,
    runs_setwise,
    setwise_query,
    substitute_path,
)
from goalgraph.validation._sparql_prebinding import (
    check_syntax,
    constants,
    mark_groups,
    parse,
    prebind,
)

__all__ = ["component_checks", "components_of"]


def _components(graph: rdflib.Graph) -> list[Node]:
    classes: set[Node] = {SH.ConstraintComponent}
    classes |= {c for c in graph.transitive_subjects(RDFS.subClassOf, SH.ConstraintComponent) if c}
    found = {c for cls in classes for c in graph.subjects(RDF.type, cls)}
    return sorted(found, key=str)


def _parameters(graph: rdflib.Graph, component: Node) -> list[tuple[URIRef, bool]]:
    """(path, optional) of each ``sh:parameter`` of *component*, once per path (a shapes
    file read twice declares each parameter twice, as two blank nodes): optional only if
    every declaration says so."""
    found: dict[URIRef, bool] = {}
    for parameter in graph.objects(component, SH.parameter):
        path = graph.value(parameter, SH.path)
        if not isinstance(path, URIRef):
            raise Unsupported(f"a parameter of {component} without an IRI sh:path")
        optional = graph.value(parameter, SH.optional) == Literal(True)
        found[path] = found.get(path, True) and optional
    return sorted(found.items())


def _local_name(iri: URIRef) -> str:
    return re.split(r"[#/:]", str(iri))[-1]


def components_of(graph: rdflib.Graph, shape: Node) -> list[Node]:
    """The SPARQL-based components *shape* uses: those whose mandatory parameters it all has.

    >>> components_of(rdflib.Graph(), URIRef("urn:shape"))
    []
    """
    used = []
    for component in _components(graph):
        parameters = _parameters(graph, component)
        mandatory = [path for path, optional in parameters if not optional]
        if mandatory and all((shape, path, None) in graph for path in mandatory):
            used.append(component)
    return used


def component_checks(
    graph: rdflib.Graph,
    shape: Node,
    focus: str,
    path: PathExpr | None,
    severity: URIRef,
    targets: TableTargets | None = None,
) -> Iterator[Check]:
    """One check per SPARQL-based component *shape* uses (per combination of its values).

    *focus* binds the focus nodes; *targets*, if given, are the class and subjects-of
    targets that bind them (see :func:`~goalgraph.validation._sparql.setwise_query`).

    A component without a validator suitable for the kind of shape is ignored,
    as the spec says (6.2.3).

    :raises Unsupported: for blank-node parameter values, ``$shapesGraph`` or
        ``$currentShape``, and validators with neither ``sh:select`` nor ``sh:ask``.
    :raises ShapesError: if a validator's query is malformed or breaks SHACL's restrictions.
    """
    for component in components_of(graph, shape):
        validator = _validator(graph, component, path)
        if validator is None:
            continue
        parameters = _parameters(graph, component)
        given = [
            [(_local_name(p), value) for value in sorted(graph.objects(shape, p), key=str)]
            for p, _ in parameters
            if (shape, p, None) in graph
        ]
        for combination in itertools.product(*given):
            for name, value in combination:
                if isinstance(value, BNode):
                    raise Unsupported(f"a blank node as value of ${name} on {shape}")
            yield _check(
                graph,
                shape,
                component,
                validator,
                path,
                severity,
                focus,
                combination,
                parameters,
                targets,
            )


def _validator(graph: rdflib.Graph, component: Node, path: PathExpr | None) -> Node | None:
    specific = SH.nodeValidator if path is None else SH.propertyValidator
    for prop in (specific, SH.validator):
        found = sorted(graph.objects(component, prop), key=str)
        if found:
            return found[0]
    return None


def _check(
    graph: rdflib.Graph,
    shape: Node,
    component: Node,
    validator: Node,
    path: PathExpr | None,
    severity: URIRef,
    focus: str,
    combination: tuple[tuple[str, Node], ...],
    parameters: list[tuple[URIRef, bool]],
    targets: TableTargets | None,
) -> Check:
    where = f"{describe(shape)} ({describe(component)})"
    select, ask = graph.value(validator, SH.select), graph.value(validator, SH.ask)
    if (select is None) == (ask is None):
        raise Unsupported(f"validator {validator} without exactly one of sh:select, sh:ask")
    text = str(select if select is not None else ask)
    if re.search(r"[$?](shapesGraph|currentShape)\b", masked(text)):
        raise Unsupported("$shapesGraph / $currentShape in SPARQL validators")
    text = substitute_path(text, path, where)
    header = prefix_header(graph, validator, where)
    prebound = {"this", *(_local_name(p) for p, _ in parameters)}
    if ask is not None:
        prebound.add("value")
    parsed = parse(f"{header}\n{text}", frozenset(prebound), where)
    names = ["this", *(name for name, _ in combination)]
    check = Check(
        query="",
        shape=shape,
        component=component,  # type: ignore[arg-type]
        severity=severity,
        path=path,
        per_focus=True,
        focus_query=f"SELECT DISTINCT ?this WHERE {{ {focus} }}",
        prebound=combination,
        targets=targets,
    )
    if select is not None:
        value_var = "value" if "value" in parsed.projected else None
        if value_var is None and path is None and "this" in parsed.projected:
            value_var = "this"  # a node shape's value node is its focus node
        query = f"{header}\n{mark_groups(text)}"
        check_syntax(query, names, where)
        if runs_setwise(parsed, text):
            bound = constants(combination)
            body = prebind(mark_groups(text), bound) if bound else text
            return replace(
                check,
                query=setwise_query(header, body, focus, parsed.anchors, targets),
                value_var=value_var,
                per_focus=False,
                focus_query="",
            )
        return replace(check, query=query, value_var=value_var)
    query = _ask_as_select(header, text, where)
    check_syntax(query, [*names, "value"], where)
    return replace(check, query=query, value_var="value", per_value=True)


def _ask_as_select(header: str, text: str, where: str) -> str:
    """The ASK query *text* as a SELECT that returns ``?this ?value`` when it answers false."""
    bare = masked(text)
    ask = re.search(r"\bASK\b", bare, re.I)
    if ask is None:
        raise Unsupported(f"an ASK validator without ASK ({where})")
    body = bare[ask.end() :]
    opening = re.match(r"\s*(WHERE\s*)?\{", body, re.I)
    closing = body.rstrip()
    if opening is None or not closing.endswith("}"):
        raise Unsupported(f"an ASK validator with clauses after its pattern ({where})")
    start = ask.end() + opening.end() - 1
    end = ask.end() + len(closing)
    prologue, pattern = text[: ask.start()], text[start:end]
    return (
        f"{header}\n{prologue}\nSELECT ?this ?value WHERE {{%%PREBIND%% "
        f"FILTER NOT EXISTS {mark_groups(pattern)} }}"
    )
