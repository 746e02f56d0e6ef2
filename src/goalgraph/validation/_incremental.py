"""``goalgraph.Validator``: a goal graph kept validated while it changes.

The full report is computed once; after each change (:meth:`Validator.apply`)
only what can change is checked again and the difference is returned as a
:class:`ValidationDelta`. See docs/validation.md, "Incremental re-checks".
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from goalgraph.errors import ChangeError
from goalgraph.graph import GoalGraph
from goalgraph.i18n import LANGUAGES, default_lang, message
from goalgraph.validation._change import Change, Triple
from goalgraph.validation._raw import RawResult, result_key
from goalgraph.validation._report import ValidationReport, ValidationResult
from goalgraph.validation._validate import (
    Engine,
    describe_results,
    ordered_report,
    run_engine,
    shapes_graph,
)

__all__ = ["ValidationDelta", "Validator"]


@dataclass(frozen=True)
class ValidationDelta:
    """What one change did to the findings.

    ``new`` are findings present after the change and absent before, ``resolved``
    the reverse (described as they were before it); ``report`` is the full report
    after the change, equal to a fresh :func:`~goalgraph.validate`. ``rechecked``
    counts the focus nodes checked again (0 when nothing could change);
    ``incremental`` is false when the whole graph was validated again (the
    pySHACL engine, or a change the incremental path does not bound).
    """

    new: list[ValidationResult]
    resolved: list[ValidationResult]
    report: ValidationReport
    rechecked: int
    incremental: bool

    def to_dict(self) -> dict[str, Any]:
        """The delta as JSON-ready data: ``new`` and ``resolved`` results, the full ``report``."""
        return {
            "incremental": self.incremental,
            "rechecked": self.rechecked,
            "new": [r.to_dict() for r in self.new],
            "resolved": [r.to_dict() for r in self.resolved],
            "report": json.loads(self.report.to_json(indent=None)),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The delta as JSON (see :meth:`to_dict`); the report as ``ValidationReport.to_json``."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


class Validator:
    """A goal graph kept validated: the full report once, then re-checks after each change.

    Changes go through :meth:`apply` (removed triples first, then added ones,
    all or nothing) and must not be made to the graph behind the validator's back.
    With the ``fast`` engine only the focus nodes whose results can change are
    checked again; with ``pyshacl`` (or ``auto`` when it had to use pySHACL) the
    whole graph is validated again and the results compared
    (``ValidationDelta.incremental`` says which). One change runs at a time.

    :raises GoalGraphError: if *engine* is unknown or cannot run the shapes, or
        *graph* is a remote store (it cannot be changed here).
    :raises LoadError: if a shapes file cannot be read.

    >>> from rdflib import RDFS, Literal, URIRef
    >>> from goalgraph import load
    >>> validator = Validator(load())
    >>> validator.report().conforms
    True
    >>> goal = URIRef("https://example.org/goal")
    >>> delta = validator.apply(added=[(goal, RDFS.label, Literal("Mål"))])
    >>> delta.new, delta.resolved
    ([], [])
    """

    def __init__(
        self,
        graph: GoalGraph,
        *,
        shapes: Any = None,
        extra_shapes: Iterable[Any] = (),
        engine: Engine = "auto",
    ) -> None:
        from goalgraph.store.remote import RemoteGraph

        if isinstance(graph, RemoteGraph):
            raise ChangeError(message("change.remote"))
        self.graph = graph
        self.engine: Engine = engine
        self.shapes = shapes_graph(shapes, extra_shapes)
        self._lock = threading.Lock()
        self._raw, self._used = run_engine(graph, self.shapes, engine)
        self._raw.sort(key=result_key)
        #: language -> raw result -> its description (for the graph as it is now)
        self._described: dict[str, dict[RawResult, ValidationResult]] = {}

    def report(self, *, lang: str | None = None) -> ValidationReport:
        """The full report of the graph as it is now, in *lang* (default: the user's language)."""
        with self._lock:
            return self._report(_language(lang))

    def apply(
        self,
        *,
        added: Iterable[Triple] = (),
        removed: Iterable[Triple] = (),
        lang: str | None = None,
    ) -> ValidationDelta:
        """Remove *removed* from and add *added* to the data graph; what that did to the findings.

        :param added: triples to add; their blank nodes are new nodes (one per label).
        :param removed: triples to remove, each as written and without blank nodes.
        :param lang: language of the delta's results and report.
        :raises ChangeError: if a triple is malformed, or a removed one is not in the
            data; nothing is changed then.
        :raises GoalGraphError: if the engine ``fast`` cannot validate the changed
            graph (the change is undone).
        """
        chosen = _language(lang)
        with self._lock:
            change = Change.checked(self.graph, added=added, removed=removed)
            before = self._describe(chosen)
            undo = change.apply(self.graph)
            try:
                raw, used = run_engine(self.graph, self.shapes, self.engine)
            except BaseException:
                undo.apply(self.graph)
                raise
            raw.sort(key=result_key)
            old, now = Counter(self._raw), Counter(raw)
            self._raw, self._used = raw, used
            self._described.clear()
            report = self._report(chosen)
            fresh = self._described[chosen]
            new = [fresh[r] for r in sorted((now - old).elements(), key=result_key)]
            resolved = [before[r] for r in sorted((old - now).elements(), key=result_key)]
            return ValidationDelta(
                new=new,
                resolved=resolved,
                report=report,
                rechecked=_subjects(self.graph),
                incremental=False,
            )

    def _describe(self, lang: str) -> dict[RawResult, ValidationResult]:
        """The description of every current raw result in *lang* (kept until a change)."""
        known = self._described.setdefault(lang, {})
        missing = [r for r in dict.fromkeys(self._raw) if r not in known]
        if missing:
            for raw, result in zip(
                missing, describe_results(self.graph, self.shapes, missing, lang), strict=True
            ):
                known[raw] = result
        return known

    def _report(self, lang: str) -> ValidationReport:
        described = self._describe(lang)
        return ordered_report(
            [described[r] for r in self._raw], used=self._used, lang=lang, shapes=self.shapes
        )


def _language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else default_lang()


def _subjects(graph: GoalGraph) -> int:
    """How many distinct subjects the data graph has (the focus nodes a full run may check)."""
    found = graph.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }", graphs=("data",))
    assert isinstance(found, ox.QuerySolutions)
    return int(next(found)["n"].value)
