"""``goalgraph.validate``: check a goal graph against the shapes and describe what is wrong."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import NamedTuple

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from rdflib.term import Node

from goalgraph.endpoint import Endpoint
from goalgraph.errors import GoalGraphError
from goalgraph.graph import GoalGraph, from_rdflib_term, to_rdflib_term
from goalgraph.i18n import LANGUAGES, default_lang, message, pick_label
from goalgraph.validation._ids import ResultIds
from goalgraph.validation._raw import RawResult, result_key
from goalgraph.validation._report import Severity, ValidationReport, ValidationResult
from goalgraph.validation._shapes import (
    builtin_shapes_files,
    load_shapes,
    path_text,
    shape_message,
    shape_name,
)
from goalgraph.validation._sources import locate

__all__ = [
    "Engine",
    "EngineRun",
    "declined",
    "describe_results",
    "described_report",
    "ordered_report",
    "report_order",
    "run_engine",
    "shapes_graph",
    "validate",
]

Engine = TypingLiteral["auto", "fast", "pyshacl"]


class EngineRun(NamedTuple):
    """What a validation run found: the raw results, the engine that ran, and the targeted
    shapes pySHACL ran because the fast engine declined them (``engine="auto"``)."""

    results: list[RawResult]
    engine: str
    pyshacl_shapes: tuple[str, ...] = ()


GG = "https://w3id.org/goalgraph/ontology#"
_LOG = logging.getLogger("goalgraph.validation")
_MUNICIPALITY = ox.NamedNode(GG + "municipality")
_REF_AREA = ox.NamedNode(GG + "refArea")
_RESPONSIBLE = ox.NamedNode(GG + "responsibleOrganisation")
_VIA = [ox.NamedNode(GG + p) for p in ("assessedGoal", "indicator", "forGoal")]
_ORGANISATION_CLASSES = {
    GG + c
    for c in (
        "Organisation",
        "Committee",
        "ExecutiveBoard",
        "MunicipalCouncil",
        "WorkingCommittee",
        "MunicipalCompany",
        "JointBody",
        "AdministrativeUnit",
    )
}
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def shapes_graph(
    shapes: str | Path | Sequence[str | Path] | None = None,
    extra_shapes: Iterable[str | Path] = (),
) -> rdflib.Graph:
    """The shapes to validate with: *shapes* (default: the built-in ones) plus *extra_shapes*.

    :raises LoadError: if a shapes file is missing or malformed.

    >>> len(shapes_graph()) > 100
    True
    """
    return load_shapes(_shapes_files(shapes, extra_shapes))


def _shapes_files(
    shapes: str | Path | Sequence[str | Path] | None, extra_shapes: Iterable[str | Path]
) -> list[str | Path]:
    if shapes is None:
        files: list[str | Path] = list(builtin_shapes_files())
    elif isinstance(shapes, str | Path):
        files = [shapes]
    else:
        files = list(shapes)
    return [*files, *extra_shapes]


def declined(reason: Exception, engine: Engine) -> None:
    """The fast engine declined the shapes for *reason*: an error if *engine* is ``fast``;
    under ``auto``, a warning on the ``goalgraph.validation`` logger (printed on stderr
    unless the caller configured logging), since pySHACL, which runs instead, gives the
    same results much more slowly.

    :raises GoalGraphError: if *engine* is ``fast``.
    """
    if engine == "fast":
        raise GoalGraphError(message("validation.unsupported", reason=reason)) from reason
    _LOG.warning(message("validation.fallback", reason=reason))


def run_engine(graph: GoalGraph, shapes: rdflib.Graph, engine: Engine) -> EngineRun:
    """Run *engine*: its raw results, the engine actually used, and under ``auto`` the
    targeted shapes pySHACL ran because the fast engine declined them (see ``_split``).

    :raises GoalGraphError: if *engine* is unknown, or is ``fast`` and the
        shapes use a feature it does not compile.
    :raises ShapesError: if the shapes graph is ill-formed (a SPARQL query breaks
        SHACL's rules, or would reach the network).
    """
    if engine not in ("auto", "fast", "pyshacl"):
        raise GoalGraphError(message("validation.unknown_engine", engine=engine))
    from goalgraph.validation._sparql_prebinding import check_shapes_queries

    check_shapes_queries(shapes)
    if engine == "fast":
        from goalgraph.validation._fast import Unsupported, compile_shapes, run_checks

        try:
            # run_checks declines too: a blank focus node can make a pre-bound query
            # impossible, and literals the store rewrote can change a check's answer
            return EngineRun(run_checks(graph, compile_shapes(shapes)), "fast")
        except Unsupported as exc:
            declined(exc, engine)
    if engine == "auto":
        from goalgraph.validation._check import Unsupported
        from goalgraph.validation._split import split_run

        try:
            run = split_run(graph, shapes)
        except Unsupported as exc:
            declined(exc, engine)
        else:
            if run.declined:
                names = ", ".join(f"<{shape}>" for shape in run.declined)
                reason = next(iter(run.declined.values()))
                count = len(run.declined)
                _LOG.warning(message("validation.split", count=count, shapes=names, reason=reason))
            return EngineRun(run.results, "fast", tuple(str(shape) for shape in run.declined))
    from goalgraph.validation._pyshacl import run_pyshacl

    return EngineRun(run_pyshacl(graph, shapes), "pyshacl")


def validate(
    graph: GoalGraph | Endpoint | str | Path | rdflib.Graph,
    *,
    shapes: str | Path | Sequence[str | Path] | None = None,
    lang: str | None = "sv",
    engine: Engine = "auto",
    extra_shapes: Iterable[str | Path] = (),
    recheck: bool = False,
    focus: Iterable[str | Node] | None = None,
) -> ValidationReport:
    """Validate goal data against goalgraph's rules and return a report (never raises for findings).

    The user's data is checked together with the vocabulary graph (ontology
    and reference data) but without inferred triples.

    :param graph: a :class:`GoalGraph` (or an ``Endpoint``: the checks run on the server),
        or a file, folder or rdflib graph to load.
    :param shapes: shapes files to use instead of the built-in ones.
    :param lang: language of labels and messages, ``sv`` or ``en``.
    :param engine: ``fast`` (SPARQL on pyoxigraph), ``pyshacl`` (the reference)
        or ``auto`` (fast when it supports every constraint of the shapes).
    :param extra_shapes: your own shapes files, added to the built-in (or given) ones.
    :param recheck: on a store on disk, run the checks even if the store kept
        results for this content, shapes and engine (see
        :mod:`goalgraph.store.saved_results`); the results are saved again.
    :param focus: only the findings about these nodes (IRIs), each check run for
        them alone where it can be narrowed (as :class:`Validator` re-checks), else
        run whole and filtered: the same findings as the full report's of them.
    :raises LoadError: if the data or a shapes file cannot be read.
    :raises GoalGraphError: if *engine* is unknown or cannot run the shapes.
    :raises UnknownTermError: if a *focus* node does not occur in the data graph (of a
        graph held here; on an endpoint it is not looked up).

    >>> from goalgraph import load
    >>> report = validate(load())
    >>> report.conforms
    True
    """
    from goalgraph.store.disk import StoredGraph
    from goalgraph.store.remote import as_graph

    if isinstance(graph, Endpoint):
        graph = as_graph(graph)
    if not isinstance(graph, GoalGraph):
        from goalgraph.loading import load

        graph = load(graph)
    files = _shapes_files(shapes, extra_shapes)
    shapes_g = load_shapes(files)
    with _quiet_rdflib():
        if focus is not None:
            nodes = _focus_nodes(graph, focus)
            run = _focused(graph, shapes_g, engine, nodes)
        elif isinstance(graph, StoredGraph):  # a store on disk keeps its results
            from goalgraph.store.saved_results import stored_results

            run = stored_results(graph, shapes_g, files, engine, recheck=recheck)
        else:
            run = run_engine(graph, shapes_g, engine)
    return described_report(
        graph, shapes_g, run.results, used=run.engine, pyshacl_shapes=run.pyshacl_shapes, lang=lang
    )


def _focus_nodes(graph: GoalGraph, focus: Iterable[str | Node]) -> set[Node]:
    """*focus* as nodes of the data graph (a string is an IRI)."""
    from goalgraph.errors import UnknownTermError
    from goalgraph.graph import DATA_GRAPH

    nodes: set[Node] = set()
    for item in focus:
        node = item if isinstance(item, Node) else URIRef(item)
        term = from_rdflib_term(node)
        if not isinstance(graph.store, ox.Store):
            nodes.add(node)  # a remote store: not looked up (a node not there has no findings)
            continue
        present = isinstance(term, ox.NamedNode | ox.BlankNode) and (
            next(graph.store.quads_for_pattern(term, None, None, DATA_GRAPH), None) is not None
            or next(graph.store.quads_for_pattern(None, None, term, DATA_GRAPH), None) is not None
        )
        if not present:
            raise UnknownTermError(message("focus.unknown", node=str(node)), term=str(node))
        nodes.add(node)
    return nodes


def _focused(graph: GoalGraph, shapes: rdflib.Graph, engine: Engine, nodes: set[Node]) -> EngineRun:
    """The raw results about *nodes*: narrowed runs of the fast engine, else a full run filtered."""
    if engine not in ("auto", "fast", "pyshacl"):
        raise GoalGraphError(message("validation.unknown_engine", engine=engine))
    if engine != "pyshacl" and isinstance(graph.store, ox.Store):
        from goalgraph.validation._check import Unsupported
        from goalgraph.validation._focused import focused_results
        from goalgraph.validation._sparql_prebinding import check_shapes_queries

        check_shapes_queries(shapes)
        try:
            return EngineRun(focused_results(graph, shapes, nodes), "fast")
        except Unsupported as exc:
            declined(exc, engine)
    run = run_engine(graph, shapes, engine)
    return run._replace(results=[r for r in run.results if r.focus in nodes])


def described_report(
    graph: GoalGraph,
    shapes: rdflib.Graph,
    raw: Iterable[RawResult],
    *,
    used: str,
    lang: str | None,
    pyshacl_shapes: tuple[str, ...] = (),
) -> ValidationReport:
    """The report of *raw* results found in *graph* by the engine *used* (and by pySHACL
    for *pyshacl_shapes*), in *lang*."""
    chosen = lang if lang in LANGUAGES else default_lang()
    results = describe_results(graph, shapes, sorted(raw, key=result_key), chosen)
    return ordered_report(
        results, used=used, lang=chosen, shapes=shapes, pyshacl_shapes=pyshacl_shapes
    )


def ordered_report(
    results: Iterable[ValidationResult],
    *,
    used: str,
    lang: str,
    shapes: rdflib.Graph,
    pyshacl_shapes: tuple[str, ...] = (),
) -> ValidationReport:
    """A report of described *results*, in the report's order (kommun, organisation, item)."""
    ordered = sorted(results, key=report_order)
    return ValidationReport(
        results=tuple(ordered),
        engine=used,
        lang=lang,
        pyshacl_shapes=pyshacl_shapes,
        shapes=shapes,
    )


def report_order(result: ValidationResult) -> tuple[str, str, str, str, int, tuple[str, ...], str]:
    """The sort key of *result* in a report: kommun, organisation, item, severity, terms, id.

    The id comes last so that findings equal in all else still have one order.
    """
    return (
        result.kommun_label or "~",
        result.organisation_label or "~",
        result.focus_label or "~",
        str(result.focus_node),
        -result.severity,
        result.key(),
        result.id,
    )


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    # rdflib logs a traceback for every ill-typed literal it converts; the
    # report already says what is wrong with such a value.
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class _Lookup:
    """Labels, kommun and organisation of nodes, read straight from the store."""

    def __init__(self, graph: GoalGraph, lang: str) -> None:
        self.graph = graph
        self.lang = lang
        self.labels: dict[Node, str | None] = {}

    def _ox(self, node: Node) -> ox.NamedNode | ox.BlankNode | None:
        term = from_rdflib_term(node)
        return term if isinstance(term, ox.NamedNode | ox.BlankNode) else None

    def label(self, node: Node | None) -> str | None:
        if node is None:
            return None
        if node not in self.labels:
            term = self._ox(node)
            found = self.graph.labels(term) if term is not None else {}
            self.labels[node] = pick_label(found, self.lang) if found else None
        return self.labels[node]

    def _objects(self, node: Node, predicate: ox.NamedNode) -> list[Node]:
        term = self._ox(node)
        if term is None:
            return []
        found = []
        for quad in self.graph.store.quads_for_pattern(term, predicate, None):
            if not isinstance(quad.object, ox.Triple):
                found.append(to_rdflib_term(quad.object))
        return sorted(found, key=str)

    def kommun(self, node: Node, depth: int = 0) -> Node | None:
        for predicate in (_MUNICIPALITY, _REF_AREA):
            found = self._objects(node, predicate)
            if found:
                return found[0]
        if depth < 2:
            for via in _VIA:
                for target in self._objects(node, via):
                    kommun = self.kommun(target, depth + 1)
                    if kommun is not None:
                        return kommun
        return None

    def organisation(self, node: Node, depth: int = 0) -> Node | None:
        found = self._objects(node, _RESPONSIBLE)
        if found:
            return found[0]
        if any(str(t) in _ORGANISATION_CLASSES for t in self._objects(node, _TYPE)):
            return node
        if depth < 2:
            for via in _VIA:
                for target in self._objects(node, via):
                    organisation = self.organisation(target, depth + 1)
                    if organisation is not None:
                        return organisation
        return None


def _display_path(item: RawResult) -> str | None:
    if item.path is None:
        return None
    text = path_text(item.path, compact=True)
    if isinstance(item.path, tuple) and item.path[0] in ("seq", "alt"):
        return text[1:-1]
    return text


def _with_value(text: str, value: Node | None, label: str | None) -> str:
    """*text* with ``{$value}`` / ``{?value}`` replaced by the result's value (SHACL 2.4.1)."""
    if value is None or "value}" not in text:
        return text
    shown = label or str(value)
    return text.replace("{$value}", shown).replace("{?value}", shown)


def describe_results(
    graph: GoalGraph, shapes: rdflib.Graph, raw: list[RawResult], lang: str
) -> list[ValidationResult]:
    """*raw* results with labels, kommun, organisation, message and source place, in order."""
    with _quiet_rdflib():
        return _describe(graph, shapes, raw, lang)


def _describe(
    graph: GoalGraph, shapes: rdflib.Graph, raw: list[RawResult], lang: str
) -> list[ValidationResult]:
    lookup = _Lookup(graph, lang)
    ids = ResultIds(graph.store if isinstance(graph.store, ox.Store) else None, shapes)
    messages: dict[tuple[Node, Node | None, Node], str] = {}
    names: dict[Node, str | None] = {}
    results = []
    for item in raw:
        key = (item.shape, item.constraint, item.component)
        if key not in messages:
            messages[key] = shape_message(shapes, item.shape, item.constraint, item.component, lang)
        if item.shape not in names:
            names[item.shape] = shape_name(shapes, item.shape, lang)
        kommun = lookup.kommun(item.focus)
        organisation = lookup.organisation(item.focus)
        value_label = None
        if isinstance(item.value, URIRef | rdflib.BNode) and item.value != item.focus:
            value_label = lookup.label(item.value)
        text = _with_value(messages[key], item.value, value_label)
        row = graph.sources.get(str(item.focus))
        place = locate(row, item.path, text, lang) if row is not None else None
        results.append(
            ValidationResult(
                id=ids.of(item),
                focus_node=item.focus,
                focus_label=lookup.label(item.focus),
                kommun=kommun,
                kommun_label=lookup.label(kommun),
                organisation=organisation,
                organisation_label=lookup.label(organisation),
                severity=Severity.from_iri(item.severity),
                message=place.message if place is not None else text,
                source_shape=item.shape,
                shape_name=names[item.shape],
                constraint_component=item.component,
                path=_display_path(item),
                value=item.value,
                value_label=value_label,
                source_constraint=item.constraint,
                path_expr=item.path,
                source_file=place.row.file if place is not None else None,
                source_sheet=place.row.sheet if place is not None else None,
                source_row=place.row.row if place is not None else None,
                source_column=place.column if place is not None else None,
                where=place.where if place is not None else None,
            )
        )
    return results
