"""Reports a kommun can publish: one self-contained HTML page and an Excel workbook.

:func:`gather` collects what validation, coverage, the delstrategi grid,
traceability and follow-up say about the kommuner of a graph into a plain
:class:`Report`; :func:`render_html` turns it into one HTML page (CSS and
charts inline, no request when viewed, printable on A4) and
:func:`write_workbook` into an XLSX workbook with the same content;
:func:`write_report` does all three for the CLI, and :func:`each_kommun`
yields one report per kommun of a national graph.

>>> from goalgraph import load
>>> report = gather(load("examples/vetlanda"))  # doctest: +SKIP
>>> "Vetlanda" in render_html(report)  # doctest: +SKIP
True
"""

from goalgraph.report.contents import each_kommun, gather, kommuner
from goalgraph.report.html import render_html
from goalgraph.report.model import Report
from goalgraph.report.output import write_report
from goalgraph.report.workbook import write_workbook

__all__ = [
    "Report",
    "each_kommun",
    "gather",
    "kommuner",
    "render_html",
    "write_report",
    "write_workbook",
]
