"""Helpers for the tests of checks answered from the load's tables (a pytest plugin: the
``answered`` fixture)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import rdflib

from goalgraph.graph import GoalGraph
from goalgraph.validation import _tabled
from goalgraph.validation._check import Check, Unsupported
from goalgraph.validation._fast import compile_shapes, results_per_check
from goalgraph.validation._raw import RawResult, result_key
from goalgraph.validation._validate import run_engine

#: the fixtures of the tabled tests
TABLED = Path(__file__).parent / "data" / "validation" / "tabled"
EX = "https://example.org/tabled/"
EXSH = EX + "shapes#"
REF = "https://w3id.org/goalgraph/ref/"

Keys = Counter[tuple[str, str, str, str, str, str]]


def result_keys(results: list[RawResult]) -> Keys:
    """The results as (focus, component, shape, value, path, severity) texts, counted."""
    return Counter((*result_key(r), str(r.severity)) for r in results)


class Answered:
    """The shapes whose checks the tables answered (TabledRun.results counted)."""

    def __init__(self) -> None:
        self.shapes: list[str] = []


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> Answered:
    """TabledRun.results wrapped so that a test sees which checks the tables answered."""
    seen = Answered()
    original = _tabled.TabledRun.results

    def counted(self: _tabled.TabledRun, check: Check) -> list[RawResult]:
        seen.shapes.append(str(check.shape))
        return original(self, check)

    monkeypatch.setattr(_tabled.TabledRun, "results", counted)
    return seen


def same_as_pyshacl_and_store(
    graph: GoalGraph, shapes: rdflib.Graph, *, store_may_decline_all: bool = False
) -> Keys:
    """The fast engine's results with the tables, once checked to be pySHACL's, and the
    store's checks' (without the tables) for every check the store does not decline (some
    must be left, unless *store_may_decline_all*)."""
    tabled = result_keys(run_engine(graph, shapes, "fast").results)
    assert tabled == result_keys(run_engine(graph, shapes, "pyshacl").results)
    checks = compile_shapes(shapes)
    with_tables = results_per_check(graph, checks)
    kept, graph.tables = graph.tables, None
    declined: dict[int, Unsupported] = {}
    try:
        in_store = results_per_check(graph, checks, declined=declined)
    finally:
        graph.tables = kept
    compared = [i for i in range(len(checks)) if i not in declined]
    assert compared or store_may_decline_all
    for index in compared:
        assert result_keys(with_tables[index]) == result_keys(in_store[index]), checks[index].shape
    return tabled


def found_pairs(keys: Keys, shape: str) -> set[tuple[str, str]]:
    """(focus, value) of the results of *shape* (its local name in exsh:), IRIs shortened."""

    def short(text: str) -> str:
        for iri, prefix in ((EX, "ex:"), (REF, "ref:")):
            if text.startswith(f"<{iri}"):
                return prefix + text[len(iri) + 1 : -1]
        return text

    return {(short(k[0]), short(k[3])) for k in keys if k[2] == f"<{EXSH}{shape}>"}


@contextmanager
def counting() -> Iterator[list[str]]:
    """The shapes whose checks the tables answer within a ``with`` block, in a list (the
    ``answered`` fixture for hypothesis, which gives no per-example monkeypatch)."""
    seen: list[str] = []
    original = _tabled.TabledRun.results

    def counted(self: _tabled.TabledRun, check: Check) -> list[RawResult]:
        seen.append(str(check.shape))
        return original(self, check)

    _tabled.TabledRun.results = counted  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        _tabled.TabledRun.results = original  # type: ignore[method-assign]
