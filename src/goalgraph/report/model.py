"""The report as plain data: what :func:`goalgraph.report.gather` collects, ready to render.

Every value is a string, number, boolean or tuple, so the same structure feeds
the HTML template and the workbook, and a test can read it without parsing
HTML. Texts are already in the report's language; anchors are the HTML ids
that link the goal tree, the findings and the notes to each other.

>>> Entry(iri="x", anchor="x", kind="vision", kind_label="vision", identifier=None,
...       label="Här växer människor", description=None).marked
False
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "AreaEntry",
    "Cited",
    "Criterion",
    "Entry",
    "Finding",
    "FindingGoal",
    "FindingGroup",
    "Grid",
    "Heatmap",
    "IndicatorChart",
    "KommunSection",
    "Note",
    "OrganisationEntry",
    "Report",
    "Status",
    "StatusGoal",
    "TreeGoal",
]


@dataclass(frozen=True)
class Entry:
    """Something the report names: a goal, riktning, nämnd, delstrategi, nyckeltal …

    :ivar anchor: its HTML id in the report.
    :ivar notes: numbers of its editorial notes (see :attr:`KommunSection.notes`).
    :ivar lang: the language of its label and description when not the report's.
    """

    iri: str
    anchor: str
    kind: str
    kind_label: str
    identifier: str | None
    label: str
    description: str | None
    illustrative: bool = False
    notes: tuple[int, ...] = ()
    lang: str | None = None

    @property
    def marked(self) -> bool:
        """True when the entry is illustrative or carries a note."""
        return self.illustrative or bool(self.notes)


@dataclass(frozen=True)
class Note:
    """An editorial note of the data (``skos:editorialNote``), numbered within its kommun.

    :ivar about_anchor: where the item it is about is shown, if the report shows it.
    """

    number: int
    anchor: str
    about: str
    about_anchor: str | None
    text: str
    lang: str


@dataclass(frozen=True)
class Status:
    """A status shown as symbol and text, never by colour alone.

    :ivar tone: a CSS class name (``good``, ``fair``, ``poor``, ``none``) for the colour.
    :ivar reason: why the status could not be judged, when it could not.
    """

    notation: str
    label: str
    symbol: str
    tone: str
    reason: str | None = None


@dataclass(frozen=True)
class StatusGoal:
    """A KF or KS goal in the overview, with its rolled-up status and forecast when known."""

    entry: Entry
    areas: tuple[str, ...]
    status: Status | None = None
    forecast: Status | None = None


@dataclass(frozen=True)
class AreaEntry:
    """A riktning (strategic area) with the goals placed in it and its rolled-up status."""

    entry: Entry
    goals: tuple[Entry, ...]
    status: Status | None = None


@dataclass(frozen=True)
class Cited:
    """An item as a reader cites it (``11.7 By 2030, … (en)``) and the language of that
    text when it is not the report's, so the page can mark it (``lang="en"``)."""

    text: str
    lang: str | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Criterion:
    """One of the five traceability criteria of a nämnd goal, and how it is met.

    :ivar state: ``direct``, ``via_substrategy``, ``via_goal``, ``missing`` or ``not_judged``.
    :ivar reached: what the goal reaches for this criterion, as cited.
    :ivar via: the delstrategier (or goals) it is reached through, as cited.
    :ivar finding: anchor of the finding that reports it missing, if any.
    """

    key: str
    name: str
    state: str
    state_label: str
    symbol: str
    reached: tuple[Cited, ...]
    via: tuple[Cited, ...]
    finding: str | None


@dataclass(frozen=True)
class TreeGoal:
    """A nämnd goal in the goal tree with its criteria and what lies under it."""

    entry: Entry
    criteria: tuple[Criterion, ...]
    findings: int
    findings_anchor: str | None
    children: tuple[Entry, ...] = ()
    status: Status | None = None


@dataclass(frozen=True)
class OrganisationEntry:
    """A nämnd (or utskott, styrelse, fullmäktige) and its goals in the goal tree."""

    entry: Entry
    goals: tuple[TreeGoal, ...]


@dataclass(frozen=True)
class Grid:
    """Delstrategier per riktning (rows) × perspective (columns), as in Vetlanda's Bilaga 2."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[tuple[str, ...], ...], ...]

    @property
    def total(self) -> int:
        """How many delstrategier the grid holds (one may sit in several cells)."""
        return sum(len(cell) for row in self.cells for cell in row)


@dataclass(frozen=True)
class Heatmap:
    """Goals per item (rows: SDGs, RUS areas, perspectives) and organisation (columns).

    :ivar cells: ``cells[i][j]`` is how many goals of organisation *j* reach item *i*.
    :ivar gaps: items no goal of the kommun reaches.
    """

    dimension: str
    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    column_names: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]
    gaps: tuple[str, ...]
    reached: int

    @property
    def peak(self) -> int:
        """The largest cell, for scaling the shades (at least 1)."""
        return max((value for row in self.cells for value in row), default=0) or 1


@dataclass(frozen=True)
class Finding:
    """One validation finding, saying what is wrong and what to do."""

    anchor: str
    severity: str
    severity_label: str
    symbol: str
    message: str
    value: str | None
    rule: str | None


@dataclass(frozen=True)
class FindingGoal:
    """The findings about one item (goal, nyckeltal, …)."""

    anchor: str
    label: str
    target: str | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one nämnd (or of items without one), item by item."""

    anchor: str
    organisation: str
    items: tuple[FindingGoal, ...]

    @property
    def count(self) -> int:
        """How many findings the group holds."""
        return sum(len(item.findings) for item in self.items)


@dataclass(frozen=True)
class IndicatorChart:
    """A nyckeltal's yearly values as a chart with its target level and status.

    :ivar svg: the chart as inline SVG markup (with ``<title>`` and ``<desc>``).
    :ivar values: (year, value) pairs, the chart's data as a table.
    :ivar from_kolada: the values come from Kolada (the chart says "Källa: Kolada").
    :ivar illustrative: the values are invented for the example (marked as such).
    """

    entry: Entry
    svg: str
    summary: str
    values: tuple[tuple[int, float], ...]
    target: tuple[float, int | None] | None
    status: Status
    reason: str | None
    from_kolada: bool
    unit: str | None = None
    illustrative: bool = False


@dataclass(frozen=True)
class KommunSection:
    """Everything the report says about one kommun."""

    code: str
    label: str
    anchor: str
    visions: tuple[Entry, ...]
    areas: tuple[AreaEntry, ...]
    council_goals: tuple[StatusGoal, ...]
    board_goals: tuple[StatusGoal, ...]
    organisations: tuple[OrganisationEntry, ...]
    grid: Grid
    heatmaps: tuple[Heatmap, ...]
    findings: tuple[FindingGroup, ...]
    counts: dict[str, int]
    indicators: tuple[IndicatorChart, ...]
    notes: tuple[Note, ...]
    illustrative: tuple[Entry, ...]

    @property
    def finding_count(self) -> int:
        """How many findings the section lists."""
        return sum(group.count for group in self.findings)


@dataclass(frozen=True)
class Report:
    """A whole report: one section per kommun, in one language.

    :ivar year: the follow-up year values were judged up to (``None``: all).
    :ivar unassigned: findings about items of no kommun.
    :ivar unassigned_notes: notes on items of no kommun.
    :ivar sources: the names of the input files.
    """

    lang: str
    title: str
    generated: str
    year: int | None
    sections: tuple[KommunSection, ...]
    unassigned: tuple[FindingGroup, ...] = ()
    unassigned_notes: tuple[Note, ...] = ()
    version: str = ""
    sources: tuple[str, ...] = field(default=())

    @property
    def from_kolada(self) -> bool:
        """True when a chart shows values from Kolada (then the page credits Kolada)."""
        return any(chart.from_kolada for s in self.sections for chart in s.indicators)
