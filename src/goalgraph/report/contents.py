"""Gather a report: everything goalgraph knows about one or more kommuner, as plain data.

:func:`gather` asks the library each question once — :func:`goalgraph.validate`
for the findings, :func:`goalgraph.coverage` for the heatmaps, the
traceability network for names and links, :func:`goalgraph.followup.status`
for goal status, forecasts and indicator series — and hands the answers, in a
:class:`Context`, to :func:`goalgraph.report.sections.section`, which
arranges them per kommun into a :class:`~goalgraph.report.model.Report`.

>>> from goalgraph import load
>>> gather(load("examples/vetlanda"), lang="en").sections[0].label  # doctest: +SKIP
'Vetlanda Municipality'
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from goalgraph.errors import LoadError, UnknownTermError
from goalgraph.goal_chain import term_text
from goalgraph.i18n import default_lang, message
from goalgraph.report import criteria as criteria_module
from goalgraph.report.annotations import Catalogue
from goalgraph.report.findings import finding_groups
from goalgraph.report.heatmaps import DIMENSIONS
from goalgraph.report.lookups import run
from goalgraph.report.model import Report

if TYPE_CHECKING:
    from collections.abc import Iterator

    from goalgraph.gaps import CoverageReport
    from goalgraph.graph import GoalGraph, Term
    from goalgraph.report.progress import Followup
    from goalgraph.validation import ValidationReport, ValidationResult

__all__ = ["Context", "each_kommun", "gather", "kommun_label", "kommuner"]

_NOTE_SHAPE = "https://w3id.org/goalgraph/shapes#EditorialNoteShape"


@dataclass
class Context:
    """The answers the library gave once for the whole graph, shared by every kommun's section.

    :ivar nodes: kommun IRI → kind → the network's nodes of that kind, in report order.
    :ivar items: kommun IRI → every item of the data in that kommun.
    :ivar results: kommun IRI (``""`` for none) → its validation findings.
    """

    graph: GoalGraph
    catalogue: Catalogue
    validation: ValidationReport
    coverage: dict[str, CoverageReport]
    responsible: dict[str, list[str]]
    organisations: list[dict[str, Term]]
    reach: criteria_module.Reach
    progress: Followup
    nodes: dict[str, dict[str, list[str]]]
    items: dict[str, set[str]]
    results: dict[str, list[ValidationResult]]


def kommuner(graph: GoalGraph) -> dict[str, str]:
    """The kommuner the data is about: code → kommun IRI, sorted by code.

    :raises: nothing; data without ``gg:municipality`` gives an empty dict.

    >>> from goalgraph import load
    >>> kommuner(load())
    {}
    """
    found = {}
    for row in run(graph, "kommuner"):
        iri = term_text(row["kommun"])
        code = term_text(row["code"]) if "code" in row else iri.rsplit("/", 1)[-1]
        found[code] = iri
    return dict(sorted(found.items()))


def kommun_label(graph: GoalGraph, iri: str, lang: str) -> str:
    """The name of the kommun *iri* in *lang* (``Vetlanda kommun``), else its code.

    :raises: nothing; a kommun without a label is named by the last part of its IRI.

    >>> from goalgraph import load
    >>> kommun_label(load(), "https://w3id.org/goalgraph/ref/kommun/0685", "en")
    'Vetlanda Municipality'
    """
    import pyoxigraph as ox

    from goalgraph.i18n import pick_label

    return pick_label(graph.labels(ox.NamedNode(iri)), lang) or iri.rsplit("/", 1)[-1]


def gather(
    graph: GoalGraph,
    *,
    kommun: str | None = None,
    year: int | None = None,
    lang: str | None = None,
    sources: tuple[str, ...] = (),
) -> Report:
    """Everything the report shows about the kommuner of *graph* (or only *kommun*).

    :param kommun: a kommun code (``"0685"``) to report on one kommun only.
    :param year: judge follow-up values up to this year (default: all).
    :param lang: ``sv`` (default) or ``en``.
    :param sources: the input files' names, shown in the report's header.
    :raises UnknownTermError: if *kommun* is not a kommun of the data (the
        message lists the kommuner it has).
    :raises LoadError: if the data names no kommun at all.
    """
    chosen = lang if lang in ("sv", "en") else default_lang()
    present = kommuner(graph)
    if not present:
        raise LoadError(message("report.no_kommun", chosen))
    if kommun is not None and kommun not in present:
        known = ", ".join(
            f"{code} {kommun_label(graph, iri, chosen)}" for code, iri in present.items()
        )
        raise UnknownTermError(
            message("report.unknown_kommun", chosen, kommun=kommun, known=known),
            term=kommun,
            candidates=list(present),
        )
    context = _context(graph, kommun=kommun, year=year, lang=chosen)
    codes = [kommun] if kommun is not None else list(present)
    return _report(context, present, codes, year=year, sources=sources, whole=kommun is None)


def each_kommun(
    graph: GoalGraph,
    *,
    year: int | None = None,
    lang: str | None = None,
    sources: tuple[str, ...] = (),
) -> Iterator[Report]:
    """One report per kommun of *graph*, in code order, asking the library each question once.

    Validation, coverage, traceability and follow-up run once for the whole
    graph; each kommun's section is then arranged (and its charts drawn) only
    when its report is taken from the iterator, so a national run keeps one
    kommun's charts in memory at a time. Findings about items of no kommun
    are in every report.

    :raises LoadError: if the data names no kommun at all.

    >>> from goalgraph import load
    >>> [r.sections[0].code for r in each_kommun(load("examples/vetlanda"))]  # doctest: +SKIP
    ['0685']
    """
    chosen = lang if lang in ("sv", "en") else default_lang()
    present = kommuner(graph)
    if not present:
        raise LoadError(message("report.no_kommun", chosen))
    context = _context(graph, kommun=None, year=year, lang=chosen)
    for code in present:
        yield _report(context, present, [code], year=year, sources=sources, whole=True)


def _report(
    context: Context,
    present: dict[str, str],
    codes: list[str],
    *,
    year: int | None,
    sources: tuple[str, ...],
    whole: bool,
) -> Report:
    """The report of the kommuner *codes*; *whole* when the context covers every kommun."""
    from goalgraph import __version__
    from goalgraph.report.sections import followup_group, section

    lang = context.catalogue.lang
    sections = tuple(section(context, code=code, iri=present[code]) for code in codes)
    unassigned = finding_groups(
        context.validation,
        context.results.get("", []),
        anchors=context.catalogue.anchors,
        home=lambda iri: None,
        name=lambda iri: None,
        links={},
    )
    if whole:
        unassigned += followup_group(context, kommun="")
    catalogue = context.catalogue
    homeless = [item for item in catalogue.notes if item not in catalogue.kommun]
    unassigned_notes = tuple(
        dataclasses.replace(note, about_anchor=None)
        for note in catalogue.number_notes(homeless, prefix="n-x")
    )
    title_key = "report.title_one" if len(sections) == 1 else "report.title_many"
    return Report(
        lang=lang,
        title=message(title_key, lang, kommun=sections[0].label, count=len(sections)),
        generated=datetime.date.today().isoformat(),
        year=year,
        sections=sections,
        unassigned=unassigned,
        unassigned_notes=unassigned_notes,
        version=__version__,
        sources=sources,
    )


def _context(graph: GoalGraph, *, kommun: str | None, year: int | None, lang: str) -> Context:
    from goalgraph.gaps import coverage
    from goalgraph.goal_chain import network
    from goalgraph.report.progress import followup
    from goalgraph.validation import validate

    net = network(graph)
    catalogue = Catalogue(graph, net, lang)
    responsible: dict[str, list[str]] = defaultdict(list)
    for row in run(graph, "responsibility", graphs=("data",)):
        responsible[term_text(row["goal"])].append(term_text(row["organisation"]))
    nodes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for node, attrs in net.nodes(data=True):
        if attrs["kommun"]:
            nodes[attrs["kommun"]][attrs["kind"]].append(node)
    for kinds in nodes.values():
        for members in kinds.values():
            members.sort(key=catalogue.sort_key)
    items: dict[str, set[str]] = defaultdict(set)
    for item, place in catalogue.kommun.items():
        items[place].add(item)
    validation = validate(graph, lang=lang)
    # the Marks section lists every editorial note, numbered and linked from its item:
    # their info findings (shapes/notes.ttl) would repeat each one under Findings
    validation = dataclasses.replace(
        validation,
        results=tuple(r for r in validation.results if str(r.source_shape) != _NOTE_SHAPE),
    )
    results: dict[str, list[ValidationResult]] = defaultdict(list)
    for result in validation.results:
        results[str(result.kommun) if result.kommun is not None else ""].append(result)
    progress, _ = followup(graph, year=year, kommun=kommun, lang=lang)
    return Context(
        graph=graph,
        catalogue=catalogue,
        validation=validation,
        coverage={d: coverage(graph, d, kommun=kommun, lang=lang) for d in DIMENSIONS},  # type: ignore[arg-type]
        responsible=responsible,
        organisations=run(graph, "organisations", graphs=("data",)),
        reach=criteria_module.reach(graph),
        progress=progress,
        nodes=nodes,
        items=items,
        results=results,
    )
