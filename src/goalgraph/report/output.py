"""Write a report to files: the HTML page and the workbook, atomically, never over an input.

>>> from pathlib import Path
>>> check_outputs([Path("rapport.html")], inputs=[Path("data.ttl")])
>>> check_outputs([Path("data.ttl")], inputs=[Path("data.ttl")])
Traceback (most recent call last):
goalgraph.errors.ReportError: Utfilen data.ttl är också en indatafil; ...
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from goalgraph.errors import ReportError
from goalgraph.i18n import message

if TYPE_CHECKING:
    from goalgraph.graph import GoalGraph
    from goalgraph.report.model import Report

__all__ = ["check_outputs", "write_report"]


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def _read_files(inputs: Sequence[Path]) -> list[Path]:
    """The *inputs*, with each folder replaced by every data file in it (at any depth):
    RDF and spreadsheet files, which loading the folder reads or a later run may."""
    from goalgraph.loading import RDF_SUFFIXES
    from goalgraph.spreadsheet import SPREADSHEET_SUFFIXES

    suffixes = {*RDF_SUFFIXES, *SPREADSHEET_SUFFIXES}
    files: list[Path] = []
    for source in inputs:
        if source.is_dir():
            files += [p for p in source.rglob("*") if p.suffix.lower() in suffixes]
        else:
            files.append(source)
    return files


def check_outputs(
    outputs: Sequence[Path], *, inputs: Sequence[Path], lang: str | None = None
) -> None:
    """Refuse outputs that are one of the *inputs* (or a data file inside an input folder),
    or that name the same file twice.

    :raises ReportError: naming the file, before anything is read or written.
    """
    sources = _read_files(inputs)
    for index, output in enumerate(outputs):
        for source in sources:
            if _same(output, source):
                raise ReportError(message("report.output_is_input", lang, path=output))
        for other in outputs[index + 1 :]:
            if _same(output, other):
                raise ReportError(message("report.outputs_clash", lang, path=output))
        folder = output.parent if str(output.parent) else Path(".")
        if not folder.is_dir():
            raise ReportError(message("report.no_folder", lang, path=output, folder=folder))


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
    :raises ReportError: if an output is an input or cannot be written.
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
    try:
        write_atomically(Path(output), page)
        if xlsx is not None:
            write_workbook(report, xlsx)
    except OSError as exc:
        raise ReportError(
            message(
                "report.unwritable",
                report.lang,
                path=exc.filename or output,
                reason=exc.strerror or str(exc),
            )
        ) from exc
    return report
