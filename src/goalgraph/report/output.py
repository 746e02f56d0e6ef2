"""Write a report to files: the HTML page and the workbook, atomically, never over an input
(:func:`goalgraph.destinations.check_outputs`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from goalgraph.destinations import check_outputs

if TYPE_CHECKING:
    from goalgraph.graph import GoalGraph
    from goalgraph.report.model import Report

__all__ = ["write_report"]


def write_report(
    graph: GoalGraph,
    output: str | Path,
    *,
    xlsx: str | Path | None = None,
    kommun: str | None = None,
    year: int | None = None,
    lang: str | None = None,
    inputs: Sequence[str | Path] = (),
) -> Report:
    """Gather the report of *graph* and write it as HTML to *output* (and a workbook to *xlsx*).

    Both files are written atomically, after everything has been computed, so
    an error leaves neither half-written.

    :param inputs: the files the graph was read from: never overwritten, and
        named in the report's header.
    :raises OutputError: if an output is an input or cannot be written, naming it.
    :raises UnknownTermError: if *kommun* is not in the data.
    """
    from goalgraph.graph import write_atomically
    from goalgraph.report.contents import gather
    from goalgraph.report.html import render_html
    from goalgraph.report.workbook import write_workbook

    targets = [Path(output), *([Path(xlsx)] if xlsx is not None else [])]
    check_outputs(targets, inputs=[Path(p) for p in inputs], lang=lang)
    report = gather(
        graph, kommun=kommun, year=year, lang=lang, sources=tuple(Path(p).name for p in inputs)
    )
    page = render_html(report)
    write_atomically(Path(output), page)
    if xlsx is not None:
        write_workbook(report, xlsx)
    return report
