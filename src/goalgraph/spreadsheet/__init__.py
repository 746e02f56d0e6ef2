"""Spreadsheets in, RDF out, and back: the import format municipal staff fill in.

An import source is an XLSX workbook, a folder of UTF-8 CSV files or a YAML
file, with one sheet (file, key) per kind: Metadata (the kommun code),
Organisationer, Dokument, Beslut, Mål, Nämndmål, Delstrategier, Utmaningar,
Ambitionsnivåer, Länkar, Nyckeltal, Målnivåer, Observationer,
Uppföljningstillfällen, Bedömningar and RUS (a region's development strategy
and its areas, for a county whose RUS is not in the reference data). The columns are defined in the
packaged ``format.yaml``; :func:`write_template` writes an empty workbook
whose header cells explain each column.

>>> from goalgraph.spreadsheet import SPREADSHEET_SUFFIXES
>>> SPREADSHEET_SUFFIXES
('.xlsx', '.xlsm', '.csv', '.yaml', '.yml')

IRIs are minted from the kommun code and each row's id
(:func:`goalgraph.namespace.mint`), so importing the same rows twice gives
the same graph. Every problem of every file is collected and raised together
as one :class:`~goalgraph.errors.SpreadsheetError`; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from goalgraph.errors import SpreadsheetError, SpreadsheetProblem
from goalgraph.graph import GoalGraph, from_rdflib_term
from goalgraph.namespace import GG
from goalgraph.sources import SourceRow
from goalgraph.spreadsheet._conversion import Triple, convert_tables
from goalgraph.spreadsheet._definitions import spreadsheet_format
from goalgraph.spreadsheet._export import (
    canonical_tables,
    graph_grid,
    graph_tables,
    with_choices,
)
from goalgraph.spreadsheet._reading import (
    SPREADSHEET_SUFFIXES,
    RawTable,
    is_spreadsheet_source,
    read_source,
)
from goalgraph.spreadsheet._writing import blank_table, write_csv_folder, write_xlsx, write_yaml

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "Triple",
    "convert",
    "convert_workbook",
    "export_csv",
    "export_workbook",
    "export_yaml",
    "import_files",
    "is_spreadsheet_source",
    "write_template",
]

Source = str | Path


def _read_all(
    sources: Sequence[Source],
) -> tuple[list[tuple[str, list[RawTable]]], list[SpreadsheetProblem]]:
    read: list[tuple[str, list[RawTable]]] = []
    problems: list[SpreadsheetProblem] = []
    for source in sources:
        tables, trouble = read_source(source)
        read.append((str(source), tables))
        problems.extend(trouble)
    return read, problems


def convert(
    *sources: Source, kommun: str | None = None, rows: dict[str, SourceRow] | None = None
) -> list[ox.Triple]:
    """Convert import files to triples of the user's data.

    :param sources: XLSX workbooks, CSV files or folders of CSV files, YAML files.
    :param kommun: kommun code for sources without a Metadata sheet.
    :param rows: if given, filled with the sheet and row of each item, by its IRI
        (what :attr:`goalgraph.GoalGraph.sources` holds).
    :raises SpreadsheetError: listing every problem of every source, if there is any.

    >>> import pathlib, tempfile
    >>> source = pathlib.Path(tempfile.mkdtemp()) / "vision.yaml"
    >>> _ = source.write_text('{metadata: {kommunkod: "0685"}, mål: [{id: V, typ: vision, '
    ...                       'namn: Här växer människor och företag}]}', encoding="utf-8")
    >>> len(convert(source))
    4
    """
    read, problems = _read_all(sources)
    if problems:
        # A file that cannot be read (wrong encoding, broken workbook) leaves its rows out,
        # and every reference to them would be a follow-on error: report one problem per
        # such file, and check the rest once every file can be read.
        raise SpreadsheetError(problems)
    triples, trouble = convert_tables(read, kommun=kommun, rows=rows)
    problems.extend(trouble)
    if problems:
        raise SpreadsheetError(problems)
    # n3() keeps a literal's language and datatype: "mål"@sv and "mål"@en are two labels
    unique = {(s.n3(), p.n3(), o.n3()): (s, p, o) for s, p, o in triples}
    return [
        ox.Triple(from_rdflib_term(s), from_rdflib_term(p), from_rdflib_term(o))  # type: ignore[arg-type]
        for s, p, o in (unique[k] for k in sorted(unique))
    ]


def import_files(*sources: Source, kommun: str | None = None, vocabulary: bool = True) -> GoalGraph:
    """Import spreadsheets into a new goal graph (with the ontology and reference data).

    :raises SpreadsheetError: listing every problem of every source; nothing is loaded then.

    >>> import pathlib, tempfile
    >>> source = pathlib.Path(tempfile.mkdtemp()) / "trasig.yaml"
    >>> _ = source.write_text('{metadata: {kommunkod: "0666"}}', encoding="utf-8")
    >>> import_files(source)
    Traceback (most recent call last):
    ...
    goalgraph.errors.SpreadsheetError: ...okänd kommun "0666"...
    """
    from goalgraph.loading import load

    graph = load(vocabulary=vocabulary)
    graph.add(convert(*sources, kommun=kommun, rows=graph.sources))
    return graph


def write_template(path: str | Path, *, csv: bool = False) -> None:
    """Write an empty import template: a workbook, or (``csv=True``) a folder of CSV files.

    Each header cell carries a comment saying what goes in the column; required
    columns are marked "*". Each sheet has one example row (its id starts with
    EXEMPEL, grey italic in the workbook) that the import ignores, and the
    workbook opens on a "Läs mig" sheet with the steps import → validate → report.

    :raises OSError: if *path* cannot be written.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "mall.xlsx"
    >>> write_template(target)
    >>> target.is_file()
    True
    """
    fmt = spreadsheet_format()
    tables = with_choices([blank_table(sheet, example=True) for sheet in fmt.sheets])
    if csv:
        write_csv_folder(tables, path)
        return
    readme = [*fmt.readme, *((s.title, s.help) for s in fmt.sheets)]
    write_xlsx(tables, path, readme=readme)


def export_workbook(
    graph: GoalGraph, path: str | Path, *, kommun: str | None = None
) -> list[Triple]:
    """Write one kommun's data in *graph* as an import workbook that re-imports to the same graph.

    :returns: the triples the format cannot express (empty for data imported from spreadsheets).
    :raises UnknownTermError: if *kommun* is missing and the graph holds several kommuner.
    """
    code, tables, leftover = graph_tables(graph, kommun=kommun)
    write_xlsx(tables, path, grid=graph_grid(graph, code))
    return leftover


def export_csv(graph: GoalGraph, folder: str | Path, *, kommun: str | None = None) -> list[Triple]:
    """Write one kommun's data in *graph* as a folder of CSV files (see :func:`export_workbook`).

    :raises UnknownTermError: if *kommun* is missing and the graph holds several kommuner.
    """
    _, tables, leftover = graph_tables(graph, kommun=kommun)
    write_csv_folder(tables, folder)
    return leftover


def export_yaml(graph: GoalGraph, path: str | Path, *, kommun: str | None = None) -> list[Triple]:
    """Write one kommun's data in *graph* as one YAML import file (see :func:`export_workbook`).

    :raises UnknownTermError: if *kommun* is missing and the graph holds several kommuner.
    """
    _, tables, leftover = graph_tables(graph, kommun=kommun)
    write_yaml(tables, path)
    return leftover


def convert_workbook(*sources: Source, path: str | Path, kommun: str | None = None) -> GoalGraph:
    """Copy authored import files into one workbook, keeping their sheets, after checking them.

    The sheets keep the author's rows and order (illustrative sheets stay
    separate); the read-only grid is added. Returns the imported graph.

    :raises SpreadsheetError: if the sources do not import cleanly; nothing is written then.
    """
    graph = import_files(*sources, kommun=kommun)
    read, _ = _read_all(sources)
    tables = canonical_tables([t for _, found in read for t in found])
    codes = {str(o).rsplit("/", 1)[-1] for o in graph.to_rdflib().objects(None, GG.municipality)}
    grid = graph_grid(graph, sorted(codes)[0]) if len(codes) == 1 else None
    write_xlsx(tables, path, grid=grid)
    return graph
