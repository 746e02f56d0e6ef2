"""One benchmark measurement in a process of its own: ``python3 benchmarks/engines.py KIND FILE``.

``run.py`` starts this script once per engine and size, so that each
measurement is a whole process (interpreter start, imports, loading,
validation) with its own peak memory. It prints one JSON object: the times
measured inside the process and, for the validating kinds, the result set as
comparable keys.

Kinds:

* ``floor`` — bare pyoxigraph ``Store().load()`` of the file: the floor the
  ratios are taken against.
* ``floor_kept`` — the same, but the process ends with ``os._exit`` and leaves
  the store to the operating system, as goalgraph's command line does
  (``src/goalgraph/cli/ending.py``): the floor without freeing the store.
* ``parse`` — iterating ``pyoxigraph.parse`` over the file (parsing without a
  store), a second reference.
* ``goalgraph`` — ``goalgraph.load`` then ``goalgraph.validate(engine="fast")``.
* ``profile`` — where goalgraph's time goes: import, load, shapes, compiling,
  each compiled check run alone (serially), the checks on the thread pool,
  sorting and describing the results.
* ``pyshacl``, ``turbo`` (pyshacl-turbo), ``rudof`` (pyrudof) — the same data
  (vocabulary files and the file) and the same built-in shapes, no inference.

A result key is (focus node, constraint component, source shape, value,
path) in N-Triples-like text. Blank nodes are written ``_:`` (their labels
differ between engines). pyrudof gives its terms as text and complex paths in
a syntax of its own; its keys name a path only when it is one IRI and
``(complex path)`` otherwise (``run.py`` treats goalgraph's keys alike when
it compares with pyrudof).
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_key_term(node: Any) -> str:
    from rdflib import BNode

    from goalgraph.validation._raw import term_key

    if node is None:
        return ""
    return "_:" if isinstance(node, BNode) else term_key(node)


def _report_keys(report: Any) -> list[list[str]]:
    """Keys of every result of a SHACL report graph (rdflib) as pySHACL writes it."""
    from rdflib import RDF, Namespace

    from goalgraph.validation._shapes import path_expr, path_text

    sh = Namespace("http://www.w3.org/ns/shacl#")
    keys = []
    for root in report.subjects(RDF.type, sh.ValidationReport):
        for result in report.objects(root, sh.result):
            path = report.value(result, sh.resultPath)
            keys.append(
                [
                    _rdflib_key_term(report.value(result, sh.focusNode)),
                    str(report.value(result, sh.sourceConstraintComponent)),
                    _rdflib_key_term(report.value(result, sh.sourceShape)),
                    _rdflib_key_term(report.value(result, sh.value)),
                    path_text(path_expr(report, path)) if path is not None else "",
                ]
            )
    return keys


def _rdflib_inputs() -> tuple[Any, Any]:
    import rdflib

    from goalgraph.resources import vocabulary_files

    data = rdflib.Graph()
    for path in [*vocabulary_files(), sys.argv[2]]:
        data.parse(path)
    return data, _shapes_only()


def _floor_store() -> tuple[Any, dict[str, Any]]:
    """Bare pyoxigraph: load the Turtle file into an in-memory store; the store and times."""
    start = time.perf_counter()
    import pyoxigraph as ox

    imported = time.perf_counter()
    store = ox.Store()
    store.load(path=sys.argv[2], format=ox.RdfFormat.TURTLE)
    done = time.perf_counter()
    return store, {"triples": len(store), "import": imported - start, "load": done - imported}


def floor() -> dict[str, Any]:
    """Bare pyoxigraph: load the Turtle file into an in-memory store (freed as usual)."""
    return _floor_store()[1]


def floor_kept() -> dict[str, Any]:
    """``floor``, then end the process without freeing the store (never returns)."""
    _store, found = _floor_store()  # held by this frame until the process ends
    print(json.dumps(found), flush=True)
    os._exit(0)


def parse() -> dict[str, Any]:
    """Bare pyoxigraph: iterate the parser over the file, no store."""
    import pyoxigraph as ox

    start = time.perf_counter()
    with open(sys.argv[2], "rb") as file:
        triples = sum(1 for _ in ox.parse(file, format=ox.RdfFormat.TURTLE))
    return {"triples": triples, "load": time.perf_counter() - start}


def goalgraph() -> dict[str, Any]:
    """goalgraph.load then goalgraph.validate with the fast engine."""
    start = time.perf_counter()
    import goalgraph as gg

    imported = time.perf_counter()
    graph = gg.load(sys.argv[2])
    loaded = time.perf_counter()
    report = gg.validate(graph, engine="fast")
    done = time.perf_counter()
    keys = []
    for result in report.results:
        focus, component, shape, value, path = result.key()
        keys.append(
            [
                "_:" if focus.startswith("_:") else focus,
                component,
                "_:" if shape.startswith("_:") else shape,
                "_:" if value.startswith("_:") else value,
                path,
            ]
        )
    return {
        "triples": len(graph),
        "engine": report.engine,
        "import": imported - start,
        "load": loaded - imported,
        "validate": done - loaded,
        "keys": keys,
    }


def profile() -> dict[str, Any]:
    """goalgraph's stages one by one, and each compiled check alone (uses engine internals)."""
    from dataclasses import replace

    start = time.perf_counter()
    import goalgraph as gg
    from goalgraph.validation._fast import (
        _Resolver,
        _rows,
        compile_shapes,
        only_checked_graphs,
        run_checks,
    )
    from goalgraph.validation._raw import result_key
    from goalgraph.validation._tabled import TabledRun
    from goalgraph.validation._validate import _describe, shapes_graph
    from goalgraph.validation._written import WrittenLiterals

    stages: dict[str, float] = {}
    mark = time.perf_counter()
    stages["import"] = mark - start

    def stage(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        stages[name] = now - mark
        mark = now

    graph = gg.load(sys.argv[2])
    stage("load")
    shapes = shapes_graph()
    stage("shapes")
    checks = compile_shapes(shapes)
    stage("compile")
    union = only_checked_graphs(graph.store)
    resolve = _Resolver(graph.store, WrittenLiterals(graph), union=union)
    resolved = [
        replace(c, query=resolve(c.query), focus_query=resolve(c.focus_query)) for c in checks
    ]
    stage("resolve classes")
    tables = graph.current_tables()
    tabled = TabledRun(tables, graph.store, resolve.closure) if tables is not None else None
    each = []
    for check in resolved:
        began = time.perf_counter()
        kind = check.component.rsplit("#")[-1]
        if tabled is not None and tabled.covers(check):
            found = len(tabled.results(check))  # answered from the load's tables
            kind += ", tables"
        else:
            found = len(_rows(graph.store, check, union=union))
        name = f"{check.shape.n3().rsplit('#', 1)[-1].rstrip('>')} ({kind})"
        each.append([name, time.perf_counter() - began, found])
    stage("checks one by one")
    raw = run_checks(graph, checks)
    stage("checks on the thread pool")
    raw.sort(key=result_key)
    stage("sort")
    _describe(graph, shapes, raw, "sv")
    stage("describe (labels, kommun, organisation, messages)")
    each.sort(key=lambda item: -item[1])
    return {"triples": len(graph), "stages": stages, "checks": each, "results": len(raw)}


def pyshacl() -> dict[str, Any]:
    """Plain pySHACL on rdflib graphs, no inference."""
    start = time.perf_counter()
    import pyshacl as engine

    data, shapes = _rdflib_inputs()
    loaded = time.perf_counter()
    _, report, _ = engine.validate(data, shacl_graph=shapes, inference="none")
    done = time.perf_counter()
    keys = _report_keys(report)
    return {"triples": len(data), "load": loaded - start, "validate": done - loaded, "keys": keys}


def turbo() -> dict[str, Any]:
    """pyshacl-turbo (a Rust engine behind pySHACL's API) on the same rdflib graphs."""
    start = time.perf_counter()
    import pyshacl_turbo as engine

    data, shapes = _rdflib_inputs()
    loaded = time.perf_counter()
    _, report, _ = engine.validate(data, shacl_graph=shapes, inference="none")
    done = time.perf_counter()
    keys = _report_keys(report)
    return {"triples": len(data), "load": loaded - start, "validate": done - loaded, "keys": keys}


def _rudof_term(text: str | None) -> str:
    if text is None:
        return ""
    if text.startswith("_:"):
        return "_:"
    if text.startswith('"'):
        tagged = "^^" in text or text.rsplit('"', 1)[1].startswith("@")
        return text if tagged else f"{text}^^<{XSD_STRING}>"
    return f"<{text}>"


def _rudof_path(text: str | None) -> str:
    if text is None:
        return ""
    if text.startswith(("(", "^")) or text.endswith(("*", "+", "?")) or " " in text:
        return "(complex path)"
    return f"<{text}>"


def rudof() -> dict[str, Any]:
    """pyrudof's native SHACL engine; data read by rudof, shapes handed over as N-Triples."""
    start = time.perf_counter()
    import pyrudof

    from goalgraph.resources import vocabulary_files

    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    for path in [*vocabulary_files(), sys.argv[2]]:
        engine.read_data(str(path), merge=True)
    shapes = _shapes_only()
    engine.read_shacl(shapes.serialize(format="nt"), format=pyrudof.ShaclFormat.NTriples)
    loaded = time.perf_counter()
    report = engine.validate_shacl()
    done = time.perf_counter()
    keys = [
        [
            _rudof_term(entry.focus_node),
            entry.constraint_component,
            _rudof_term(entry.source_shape),
            _rudof_term(entry.value),
            _rudof_path(entry.path),
        ]
        for entry in report.violations
    ]
    return {"triples": None, "load": loaded - start, "validate": done - loaded, "keys": keys}


def _shapes_only() -> Any:
    import rdflib

    from goalgraph.resources import shapes_files

    shapes = rdflib.Graph()
    for path in shapes_files():
        shapes.parse(path)
    return shapes


KINDS = {
    "floor": floor,
    "floor_kept": floor_kept,
    "parse": parse,
    "goalgraph": goalgraph,
    "profile": profile,
    "pyshacl": pyshacl,
    "turbo": turbo,
    "rudof": rudof,
}

if __name__ == "__main__":
    print(json.dumps(KINDS[sys.argv[1]]()))
