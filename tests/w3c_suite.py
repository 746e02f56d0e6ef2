"""Reading and running the vendored W3C SHACL test suite (tests/data/w3c-shacl).

A test's data, shapes and expected report are usually one Turtle file, and
goalgraph reads its data (pyoxigraph) and its shapes (rdflib) apart, so blank
nodes get different identities on each side. Results are therefore compared
through *descriptions*: an IRI or literal stands for itself, and a blank node
for the triples around it (out and in, a few steps deep) in the graph it came
from. Two results match when focus node, path, value, severity, source shape,
component (and source constraint, when the expected report gives one) match.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as TypingLiteral

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from goalgraph import load, validate
from goalgraph.errors import GoalGraphError
from goalgraph.validation._check import Unsupported
from goalgraph.validation._raw import term_key
from goalgraph.validation._report import Severity
from goalgraph.validation._shapes import SH, PathExpr, path_expr, path_text

SUITE = Path(__file__).parent / "data" / "w3c-shacl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")

Outcome = TypingLiteral["pass", "declined", "wrong", "crash"]

#: How many steps around a blank node its description looks.
DEPTH = 3


@dataclass(frozen=True)
class W3CTest:
    """One entry of a manifest: files to validate and what the report must be."""

    iri: str
    file: Path
    data: Path
    shapes: Path

    @property
    def name(self) -> str:
        """The test's path below the suite, e.g. ``core/node/datatype-001``."""
        return self.iri.removeprefix(SUITE.resolve().as_uri() + "/")


def _file(iri: Node) -> Path:
    return Path(str(iri).removeprefix("file://"))


def read_manifest(manifest: Path = SUITE / "manifest.ttl") -> list[W3CTest]:
    """Every test reachable from *manifest* through ``mf:include`` and ``mf:entries``."""
    graph = _parse(manifest)
    found: list[W3CTest] = []
    root = URIRef(manifest.resolve().as_uri())
    for included in graph.objects(root, MF.include):
        found.extend(read_manifest(_file(included)))
    for entries in graph.objects(root, MF.entries):
        for entry in Collection(graph, entries):
            action = graph.value(entry, MF.action)
            found.append(
                W3CTest(
                    iri=str(entry),
                    file=manifest,
                    data=_file(graph.value(action, SHT.dataGraph)),
                    shapes=_file(graph.value(action, SHT.shapesGraph)),
                )
            )
    return sorted(found, key=lambda t: t.iri)


@functools.cache
def _parse(path: Path) -> rdflib.Graph:
    # literals exactly as the file writes them: goalgraph reports values as written,
    # and rdflib would otherwise turn "2011-01-01"^^xsd:dateTime into "2011-01-01T00:00:00"
    graph = rdflib.Graph()
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        graph.parse(path, format="turtle", publicID=path.resolve().as_uri())
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    return graph


def describe(graph: rdflib.Graph, node: Node | None, depth: int = DEPTH) -> str:
    """*node* as text: itself for an IRI or literal, its surroundings for a blank node."""
    if node is None:
        return ""
    if not isinstance(node, BNode):
        return term_key(node)
    if depth == 0:
        return "_"
    out = sorted(f"{p}>{describe(graph, o, depth - 1)}" for p, o in graph.predicate_objects(node))
    into = sorted(f"{describe(graph, s, depth - 1)}>{p}" for s, p in graph.subject_predicates(node))
    return "[" + ";".join(out) + "|" + ";".join(into) + "]"


Key = tuple[str, str, str, int, str, str, str]


def _key(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    focus: Node,
    path: PathExpr | None,
    value: Node | None,
    severity: Severity,
    shape: Node,
    component: Node,
    constraint: Node | None,
) -> Key:
    return (
        describe(data, focus),
        path_text(path) if path is not None else "",
        describe(data, value),
        int(severity),
        describe(shapes, shape),
        str(component),
        describe(shapes, constraint),
    )


@dataclass(frozen=True)
class Expected:
    """What a test expects: a failure, or conformance and a set of result keys."""

    failure: bool
    conforms: bool
    results: frozenset[Key]
    with_constraint: bool


def expected(test: W3CTest) -> Expected:
    """The expected outcome of *test*, its blank nodes described in the graphs they live in."""
    graph = _parse(test.file)
    result = graph.value(URIRef(test.iri), MF.result)
    if result == SHT.Failure:
        return Expected(True, False, frozenset(), False)
    data = graph if test.data == test.file else _parse(test.data)
    shapes = graph if test.shapes == test.file else _parse(test.shapes)
    conforms = graph.value(result, SH.conforms)
    keys = set()
    with_constraint = False
    for item in graph.objects(result, SH.result):
        path_node = graph.value(item, SH.resultPath)
        constraint = graph.value(item, SH.sourceConstraint)
        with_constraint = with_constraint or constraint is not None
        keys.add(
            _key(
                data,
                shapes,
                graph.value(item, SH.focusNode),  # type: ignore[arg-type]
                path_expr(graph, path_node) if path_node is not None else None,
                graph.value(item, SH.value),
                Severity.from_iri(graph.value(item, SH.resultSeverity)),
                graph.value(item, SH.sourceShape),  # type: ignore[arg-type]
                graph.value(item, SH.sourceConstraintComponent),  # type: ignore[arg-type]
                constraint,
            )
        )
    if not with_constraint:
        keys = {(*k[:-1], "") for k in keys}
    return Expected(
        False,
        bool(isinstance(conforms, Literal) and conforms.toPython()),
        frozenset(keys),
        with_constraint,
    )


@dataclass(frozen=True)
class Run:
    """How one engine did on one test."""

    outcome: Outcome
    detail: str
    seconds: float


@functools.cache
def run(test: W3CTest, engine: str) -> Run:
    """Validate *test* with *engine* and classify the outcome against the expected report."""
    want = expected(test)
    start = time.perf_counter()
    try:
        # the shapes' properties are gathered while loading, as `validate --shapes` does,
        # so that the suite judges the load's tables too (validation/_tabled.py)
        graph = load(test.data, vocabulary=False, shapes=[test.shapes])
        report = validate(graph, shapes=[test.shapes], engine=engine)  # type: ignore[arg-type]
    except GoalGraphError as exc:
        seconds = time.perf_counter() - start
        if isinstance(exc.__cause__, Unsupported | NotImplementedError):
            return Run("declined", str(exc), seconds)
        if want.failure:
            return Run("pass", str(exc), seconds)
        return Run("wrong", f"raised {type(exc).__name__}: {exc}", seconds)
    except Exception as exc:  # any other exception is what we count as a crash
        return Run("crash", f"{type(exc).__name__}: {exc}", time.perf_counter() - start)
    seconds = time.perf_counter() - start
    if want.failure:
        return Run("wrong", "a report instead of an error for an ill-formed shapes graph", seconds)
    data = graph.to_rdflib(("data",))
    got = {
        _key(
            data,
            report.shapes,
            r.focus_node,
            r.path_expr,
            r.value,
            r.severity,
            r.source_shape,
            r.constraint_component,
            r.source_constraint if want.with_constraint else None,
        )
        for r in report.results
    }
    if report.conforms != want.conforms or got != want.results:
        missing = sorted(want.results - got)
        extra = sorted(got - want.results)
        detail = (
            f"conforms {report.conforms} (expected {want.conforms}); "
            f"missing {missing[:3]}; unexpected {extra[:3]}"
        )
        return Run("wrong", detail, seconds)
    return Run("pass", "", seconds)
