"""The reference engine: plain pySHACL on an rdflib copy of the data and vocabulary graphs."""

from __future__ import annotations

from collections.abc import Sequence

import rdflib
from rdflib import URIRef
from rdflib.term import Node

from goalgraph.errors import GoalGraphError, ShapesError
from goalgraph.graph import GoalGraph
from goalgraph.i18n import message
from goalgraph.validation._raw import RawResult
from goalgraph.validation._shapes import SH, imported, path_expr

__all__ = ["run_pyshacl"]


def run_pyshacl(
    graph: GoalGraph, shapes: rdflib.Graph, *, only: Sequence[URIRef] | None = None
) -> list[RawResult]:
    """Validate the data and vocabulary graphs of *graph* against *shapes* with pySHACL.

    No inference is run: ``rdfs:range`` axioms would otherwise type wrongly
    linked nodes and hide ``sh:class`` violations. With *only*, just those
    targeted shapes are validated (pySHACL's ``use_shapes``), with what they
    reference.

    :raises ShapesError: if pySHACL finds the shapes graph ill-formed.
    :raises GoalGraphError: if pySHACL does not implement a feature the shapes use.
    """
    import pyshacl  # imported here: 0.3 s, and only this engine needs it
    from pyshacl.errors import ReportableRuntimeError

    data = graph.to_rdflib(("data", "vocabulary"))
    try:
        _, report, _ = pyshacl.validate(
            data,
            shacl_graph=_with_imported_prefixes(shapes),
            inference="none",
            advanced=True,
            abort_on_first=False,
            allow_warnings=True,
            allow_infos=True,
            meta_shacl=False,
            use_shapes=list(only) if only is not None else None,
        )
    except NotImplementedError as exc:
        raise GoalGraphError(message("shapes.pyshacl_unsupported", detail=exc)) from exc
    except Exception as exc:  # pySHACL and rdflib raise many types for ill-formed shapes
        raise ShapesError(message("shapes.pyshacl_failure", detail=exc)) from exc
    if isinstance(report, ReportableRuntimeError):  # pySHACL returns a ValidationFailure
        raise ShapesError(message("shapes.pyshacl_failure", detail=report))
    return parse_report(report, shapes)


def _with_imported_prefixes(shapes: rdflib.Graph) -> rdflib.Graph:
    """*shapes*, or a copy whose ``sh:prefixes`` nodes also hold the ``sh:declare``s
    they reach through ``owl:imports`` (SHACL 5.2.1): pySHACL reads only their own."""
    extra: list[tuple[Node, Node, Node]] = []
    for holder in set(shapes.objects(None, SH.prefixes)):
        for node in imported(shapes, holder)[1:]:
            extra.extend((holder, SH.declare, d) for d in shapes.objects(node, SH.declare))
    if not extra:
        return shapes
    copy = rdflib.Graph()
    for triple in shapes:
        copy.add(triple)
    for triple in extra:
        copy.add(triple)
    return copy


def parse_report(report: rdflib.Graph, shapes: rdflib.Graph) -> list[RawResult]:
    """Turn a ``sh:ValidationReport`` graph into raw results."""
    results = []
    # only top-level results: pySHACL also types the nested sh:detail results
    top = [
        result
        for root in report.subjects(rdflib.RDF.type, SH.ValidationReport)
        for result in report.objects(root, SH.result)
    ]
    for node in top:
        shape = report.value(node, SH.sourceShape)
        path_node = report.value(node, SH.resultPath)
        path = None
        if path_node is not None:
            shape_path = shapes.value(shape, SH.path)
            if isinstance(path_node, rdflib.BNode) and shape_path is not None:
                path = path_expr(shapes, shape_path)
            else:
                path = path_expr(report, path_node)
        focus: Node = report.value(node, SH.focusNode)  # type: ignore[assignment]
        results.append(
            RawResult(
                focus,
                report.value(node, SH.sourceConstraintComponent),  # type: ignore[arg-type]
                shape,  # type: ignore[arg-type]
                report.value(node, SH.value),
                path,
                report.value(node, SH.resultSeverity),  # type: ignore[arg-type]
                report.value(node, SH.sourceConstraint),
            )
        )
    return results
