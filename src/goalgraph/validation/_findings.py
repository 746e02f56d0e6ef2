"""A Validator's described findings in one language, kept in the report's order as they change.

After a change only the findings it affects are taken out and put back
(described again, each at its place found by bisection), so the cost of
keeping the report follows the change, not the size of the report.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter

import rdflib

from goalgraph.graph import GoalGraph
from goalgraph.validation._raw import RawResult
from goalgraph.validation._report import ValidationResult
from goalgraph.validation._validate import describe_results, report_order

__all__ = ["OrderedFindings"]

#: above this many findings to place at once, one sort is cheaper than bisections
_SORT_AT = 64


class OrderedFindings:
    """The described findings of a graph in *lang*, in the order of :func:`ordered_report`.

    Findings are added as raw results (:meth:`add`) and described in one batch
    when the findings are read (:meth:`described_results`); :meth:`drop` takes a
    raw result out with all its occurrences.

    >>> from goalgraph import load
    >>> from goalgraph.validation._validate import shapes_graph
    >>> findings = OrderedFindings("en")
    >>> findings.described_results(load(), shapes_graph(None, ()))
    ()
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        #: the description of each raw result placed (as it was when it was placed)
        self.described: dict[RawResult, ValidationResult] = {}
        self._keys: list[tuple[object, ...]] = []
        self._results: list[ValidationResult] = []
        self._pending: Counter[RawResult] = Counter()

    def add(self, raw: RawResult, count: int = 1) -> None:
        """Place *count* occurrences of *raw* (described when the findings are next read)."""
        if count > 0:
            self._pending[raw] += count

    def drop(self, raw: RawResult) -> None:
        """Take every occurrence of *raw* out (nothing if it is not there)."""
        self._pending.pop(raw, None)
        result = self.described.pop(raw, None)
        if result is None:
            return
        key = report_order(result)
        index = bisect_left(self._keys, key)
        while index < len(self._keys) and self._keys[index] == key:
            if self._results[index] is result:
                del self._keys[index], self._results[index]
            else:
                index += 1

    def described_results(
        self, graph: GoalGraph, shapes: rdflib.Graph
    ) -> tuple[ValidationResult, ...]:
        """Every finding, described against *graph* as it is now, in the report's order."""
        if self._pending:
            self._place(graph, shapes)
        return tuple(self._results)

    def _place(self, graph: GoalGraph, shapes: rdflib.Graph) -> None:
        raws = list(self._pending)
        placed: list[tuple[tuple[object, ...], ValidationResult]] = []
        for raw, result in zip(raws, describe_results(graph, shapes, raws, self.lang), strict=True):
            self.described[raw] = result
            placed.extend([(report_order(result), result)] * self._pending[raw])
        self._pending.clear()
        if len(placed) > _SORT_AT:
            # stable: those already placed come before new ones equal to them, as bisect_right
            merged = sorted(
                [*zip(self._keys, self._results, strict=True), *placed], key=lambda e: e[0]
            )
            self._keys = [key for key, _ in merged]
            self._results = [result for _, result in merged]
            return
        for key, result in placed:
            index = bisect_right(self._keys, key)
            self._keys.insert(index, key)
            self._results.insert(index, result)
