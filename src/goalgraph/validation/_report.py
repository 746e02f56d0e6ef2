"""The validation report: a value describing what is wrong, raised only on request."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import rdflib
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.term import Node

from goalgraph.errors import ValidationFailed
from goalgraph.i18n import message
from goalgraph.validation._shapes import SH, PathExpr, path_text, path_to_rdf

__all__ = ["Severity", "ValidationReport", "ValidationResult"]


class Severity(enum.IntEnum):
    """How serious a finding is; ordered, so ``Severity.WARNING >= Severity.INFO``.

    >>> Severity.from_iri(URIRef("http://www.w3.org/ns/shacl#Warning"))
    <Severity.WARNING: 2>
    >>> Severity.VIOLATION.label("sv")
    'fel'
    """

    INFO = 1
    WARNING = 2
    VIOLATION = 3

    @property
    def iri(self) -> URIRef:
        """The SHACL severity IRI, e.g. ``sh:Violation``."""
        return SH[self.name.capitalize()]

    @classmethod
    def from_iri(cls, iri: Node | None) -> Severity:
        """The severity of a SHACL severity IRI; unknown or missing IRIs count as violations.

        :raises ValueError: never; unknown IRIs map to :attr:`VIOLATION` as SHACL prescribes
            for results without a known severity.
        """
        for member in cls:
            if iri == member.iri:
                return member
        return cls.VIOLATION

    @classmethod
    def parse(cls, name: str) -> Severity:
        """The severity called *name* (``violation``, ``warning`` or ``info``).

        :raises ValueError: for any other name.

        >>> Severity.parse("warning")
        <Severity.WARNING: 2>
        """
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r}: use violation, warning or info") from None

    def label(self, lang: str = "sv") -> str:
        """The severity's name for people in *lang*."""
        return message(f"validation.severity_{self.name.lower()}", lang)


@dataclass(frozen=True)
class ValidationResult:
    """One finding: which item, what is wrong with it, and where it belongs.

    ``focus_label``, ``kommun_label`` and ``organisation_label`` are in the
    report's language when the data has a label in it; ``path`` is the SHACL
    path in SPARQL syntax with prefixed names (``gg:supportsSubStrategy/gg:hasPerspective``).
    For an item imported from a spreadsheet, ``source_file``, ``source_sheet``,
    ``source_row`` and ``source_column`` say where it was written, and ``where``
    says so for people ("Nämndmål, rad 7, kolumn Perspektiv"); they are ``None``
    for RDF input, and ``source_column`` also when the sheet has no column for the finding.
    ``id`` is the finding's stable id (``gg-`` and 20 hex digits): the same finding has
    the same id on every run, machine and load order (see :mod:`goalgraph.validation._ids`).
    """

    id: str
    focus_node: Node
    focus_label: str | None
    kommun: Node | None
    kommun_label: str | None
    organisation: Node | None
    organisation_label: str | None
    severity: Severity
    message: str
    source_shape: Node
    shape_name: str | None
    constraint_component: URIRef
    path: str | None
    value: Node | None
    value_label: str | None
    source_constraint: Node | None = field(default=None, repr=False)
    path_expr: PathExpr | None = field(default=None, repr=False)
    source_file: str | None = None
    source_sheet: str | None = None
    source_row: int | None = None
    source_column: str | None = None
    where: str | None = None

    def key(self) -> tuple[str, str, str, str, str]:
        """(focus, constraint component, source shape, value, path), for comparing engines."""
        from goalgraph.validation._raw import term_key

        return (
            term_key(self.focus_node),
            str(self.constraint_component),
            term_key(self.source_shape),
            term_key(self.value),
            path_text(self.path_expr) if self.path_expr is not None else "",
        )

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "id": self.id,
            "severity": self.severity.name.lower(),
            "message": self.message,
            "focus_node": str(self.focus_node),
            "focus_label": self.focus_label,
            "kommun": str(self.kommun) if self.kommun is not None else None,
            "kommun_label": self.kommun_label,
            "organisation": str(self.organisation) if self.organisation is not None else None,
            "organisation_label": self.organisation_label,
            "source_shape": str(self.source_shape),
            "shape_name": self.shape_name,
            "constraint_component": str(self.constraint_component),
            "path": self.path,
            "value": str(self.value) if self.value is not None else None,
            "value_label": self.value_label,
            "source_file": self.source_file,
            "source_sheet": self.source_sheet,
            "source_row": self.source_row,
            "source_column": self.source_column,
            "where": self.where,
        }


@dataclass(frozen=True)
class ValidationReport:
    """Everything validation found, sorted by kommun, organisation, item and severity.

    ``conforms`` follows SHACL: true only when there are no results at all,
    whatever their severity. Nothing is raised unless you ask with
    :meth:`raise_for_violations`.

    >>> report = ValidationReport(results=(), engine="fast", lang="sv")
    >>> report.conforms, report.to_dict()["$schema"]
    (True, 'https://w3id.org/goalgraph/schema/validation/1')
    """

    results: tuple[ValidationResult, ...]
    engine: str
    lang: str
    #: the targeted shapes pySHACL validated because the fast engine declined them
    #: (``engine="auto"``; the fast engine ran the others)
    pyshacl_shapes: tuple[str, ...] = ()
    shapes: rdflib.Graph | None = field(default=None, repr=False, compare=False)

    @property
    def conforms(self) -> bool:
        """True when there are no results of any severity."""
        return not self.results

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[ValidationResult]:
        return iter(self.results)

    def count(self, severity: Severity) -> int:
        """How many results have exactly *severity*."""
        return sum(1 for r in self.results if r.severity == severity)

    def at_least(self, severity: Severity) -> list[ValidationResult]:
        """The results of *severity* or worse."""
        return [r for r in self.results if r.severity >= severity]

    def by_organisation(self) -> dict[tuple[str, str], list[ValidationResult]]:
        """Results grouped by ``(kommun label, organisation label)``; ``""`` where unknown."""
        groups: dict[tuple[str, str], list[ValidationResult]] = {}
        for result in self.results:
            key = (result.kommun_label or "", result.organisation_label or "")
            groups.setdefault(key, []).append(result)
        return groups

    def by_goal(self) -> dict[Node, list[ValidationResult]]:
        """Results grouped by the item (goal, indicator, …) they are about."""
        groups: dict[Node, list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault(result.focus_node, []).append(result)
        return groups

    def summary(self) -> str:
        """One line: how many errors, warnings and notes, in the report's language."""
        return message(
            "validation.summary",
            self.lang,
            violations=self.count(Severity.VIOLATION),
            warnings=self.count(Severity.WARNING),
            infos=self.count(Severity.INFO),
        )

    def to_dict(self, *, with_results: bool = True) -> dict[str, Any]:
        """The report as a JSON-ready document (``validation.schema.json``): its ``$schema``,
        ``conforms``, the engine, the language, counts per severity and every result.

        ``with_results=False`` leaves ``results`` empty: the head of the document,
        for a writer that adds each result's JSON itself (``goalgraph serve``).
        """
        from goalgraph.contract import stamped

        return stamped(
            "validation",
            {
                "conforms": self.conforms,
                "engine": self.engine,
                "pyshacl_shapes": list(self.pyshacl_shapes),
                "lang": self.lang,
                "counts": {s.name.lower(): self.count(s) for s in reversed(Severity)},
                "results": [r.to_dict() for r in self.results] if with_results else [],
            },
        )

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON: :meth:`to_dict` as text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_graph(self) -> rdflib.Graph:
        """The report as a standard SHACL ``sh:ValidationReport`` graph.

        Messages are given in Swedish and English when the shapes have both.

        >>> graph = ValidationReport(results=(), engine="fast", lang="sv").to_graph()
        >>> next(graph.objects(None, SH.conforms)).toPython()
        True
        """
        graph = rdflib.Graph()
        graph.bind("sh", str(SH))
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for result in self.results:
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, result.focus_node))
            graph.add((node, SH.resultSeverity, result.severity.iri))
            graph.add((node, SH.sourceConstraintComponent, result.constraint_component))
            graph.add((node, SH.sourceShape, result.source_shape))
            if result.value is not None:
                graph.add((node, SH.value, result.value))
            if result.path_expr is not None:
                graph.add((node, SH.resultPath, path_to_rdf(result.path_expr, graph)))
            if result.source_constraint is not None:
                graph.add((node, SH.sourceConstraint, result.source_constraint))
            for text in self._messages(result):
                graph.add((node, SH.resultMessage, text))
        return graph

    def _messages(self, result: ValidationResult) -> Sequence[Literal]:
        from goalgraph.validation._shapes import shape_message

        if self.shapes is None:
            return [Literal(result.message, lang=self.lang)]
        return [
            Literal(
                shape_message(
                    self.shapes,
                    result.source_shape,
                    result.source_constraint,
                    result.constraint_component,
                    lang,
                ),
                lang=lang,
            )
            for lang in ("sv", "en")
        ]

    def raise_for_violations(self, severity: Severity = Severity.VIOLATION) -> None:
        """Raise if any result is of *severity* or worse; otherwise do nothing.

        :raises ValidationFailed: with the summary and the first findings; the
            report is its ``report`` attribute.

        >>> ValidationReport(results=(), engine="fast", lang="sv").raise_for_violations()
        """
        found = self.at_least(severity)
        if not found:
            return
        lines = [self.summary()]
        for result in found[:5]:
            lines.append(f"- {result.focus_label or result.focus_node}: {result.message}")
        if len(found) > 5:
            lines.append(message("validation.more", self.lang, count=len(found) - 5))
        error = ValidationFailed("\n".join(lines))
        error.report = self  # type: ignore[attr-defined]
        raise error
