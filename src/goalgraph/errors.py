"""The goalgraph exception hierarchy.

Every error goalgraph raises on purpose is a :class:`GoalGraphError`; each
subclass also inherits the built-in it behaves like, so ``except ValueError``
keeps working for callers who do not know goalgraph::

    GoalGraphError
    ├── LoadError(ValueError)            a file cannot be read or parsed (names file and line)
    │   ├── SpreadsheetError             rows of an import file are wrong (all problems at once)
    │   └── ShapesError                  the shapes are ill-formed (names the shape and construct)
    ├── UnknownTermError(KeyError)       an id, name or code matches nothing (lists candidates)
    ├── ValidationFailed                 raised by ValidationReport.raise_for_violations() only
    ├── QueryError(ValueError)           a SPARQL query or its parameters are wrong
    ├── ChangeError(ValueError)          a change to a graph is malformed or removes what is absent
    ├── EndpointError(ConnectionError)   a SPARQL endpoint cannot be reached or answers badly
    │   ├── KoladaError                  the Kolada API cannot be reached or answers badly (URL)
    │   ├── ResultsCut                   a SPARQL server cut its answer at a row limit
    │   └── PushError                    a SPARQL server refused or dropped a push (URL, graphs)
    ├── StoreError(OSError)              a store folder is not a store, is locked, cannot be opened
    ├── RemoteUnavailable(NotImplementedError)  a function cannot run on a remote SPARQL store
    ├── ReasonerUnavailable(RuntimeError)  the OWL reasoner (Java) cannot run here
    ├── OutputError(ValueError)          an output would overwrite an input, or cannot be written
    └── ReportError(ValueError)          a report cannot be drawn (a chart fails)

The CLI turns any GoalGraphError into a one-paragraph message and exit code 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ChangeError",
    "EndpointError",
    "GoalGraphError",
    "KoladaError",
    "LoadError",
    "OutputError",
    "PushError",
    "QueryError",
    "ReasonerUnavailable",
    "RemoteUnavailable",
    "ReportError",
    "ResultsCut",
    "ShapesError",
    "SpreadsheetError",
    "SpreadsheetProblem",
    "StoreError",
    "UnknownTermError",
    "UnsupportedTerm",
    "ValidationFailed",
]


class GoalGraphError(Exception):
    """Root of every error goalgraph raises on purpose."""


class LoadError(GoalGraphError, ValueError):
    """A source cannot be read or parsed.

    :param message: what went wrong and what to do about it.
    :param path: the file concerned, if any.
    :param line: the 1-based line of the problem, if known.
    :param column: the 1-based column on that line, if known.

    The text starts with the file and the place, worded in the message's language:
    ``data.ttl, rad 3, kolumn 11: …``; :attr:`reason` holds the message alone.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ):
        from goalgraph.positions import place  # late: i18n needs the package's data files

        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column if line is not None else None
        self.reason = message
        where = ""
        if self.path is not None:
            at = place(line, self.column)
            where = f"{self.path}, {at}: " if at else f"{self.path}: "
        super().__init__(where + message)


@dataclass(frozen=True)
class SpreadsheetProblem:
    """One wrong cell or row of an import file."""

    path: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        from goalgraph.i18n import message  # late: i18n needs the package's data files

        parts = [self.path]
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(message("errors.row", row=self.row))
        if self.column:
            parts.append(message("errors.column", column=self.column))
        return ", ".join(parts) + f": {self.message}"


class SpreadsheetError(LoadError):
    """One or more rows of an import file are wrong; nothing was written.

    :param problems: every problem found in the file(s), in file order.
    """

    def __init__(self, problems: Sequence[SpreadsheetProblem]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        lines = "\n".join(str(p) for p in self.problems)
        from goalgraph.i18n import message  # late: i18n needs the package's data files

        super().__init__(
            message("errors.problems", count=len(self.problems)) + f"\n{lines}",
            path=first.path if first else None,
        )


class UnknownTermError(GoalGraphError, KeyError):
    """A name, id or code matches nothing, or more than one thing.

    :param term: what the user asked for.
    :param candidates: known alternatives to suggest.
    """

    def __init__(self, message: str, *, term: str, candidates: Sequence[str] = ()):
        self.term = term
        self.candidates = list(candidates)
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class ValidationFailed(GoalGraphError):
    """Raised only by ``ValidationReport.raise_for_violations()``."""


class QueryError(GoalGraphError, ValueError):
    """A SPARQL query, query name or query parameter is wrong."""


class ChangeError(GoalGraphError, ValueError):
    """A change to a goal graph is refused; nothing of it was applied.

    :param message: what is wrong, naming the triple.
    :param triple: the offending triple in N-Triples syntax, if one is to blame.
    :param absent: true when the triple is well-formed but not in the graph
        (a change to something that does not exist), false when it is malformed.
    """

    def __init__(self, message: str, *, triple: str | None = None, absent: bool = False):
        self.triple = triple
        self.absent = absent
        super().__init__(message)


class EndpointError(GoalGraphError, ConnectionError):
    """A SPARQL endpoint cannot be reached or answered with an error.

    :param message: what went wrong and what to do about it.
    :param url: the URL concerned, where the raiser knows it.
    """

    def __init__(self, message: str, *, url: str | None = None):
        self.url = url
        super().__init__(message)


class KoladaError(EndpointError):
    """The Kolada API cannot be reached, or answered with an error or a body that cannot be used.

    :param message: what went wrong and what to do about it.
    :param url: the request URL concerned, if any.
    """


class ResultsCut(EndpointError):
    """A SPARQL server cut its answer at a row limit; the partial answer is never used."""


class PushError(EndpointError):
    """A SPARQL server refused, failed or timed out on a push; the message says which graphs
    were written and which were not."""


class StoreError(GoalGraphError, OSError):
    """A store folder is not a store, is locked by another writer, or cannot be opened or written.

    Nothing in the store has changed when it is raised.
    """


class RemoteUnavailable(GoalGraphError, NotImplementedError):
    """A function needs something a remote SPARQL store cannot give (writes, the whole graph)."""


class UnsupportedTerm(GoalGraphError, TypeError):
    """The data holds a term that a component cannot take: an RDF 1.2 triple term, which
    rdflib (and so pySHACL, the OWL reasoners and the spreadsheet export) cannot hold."""


class ReasonerUnavailable(GoalGraphError, RuntimeError):
    """The OWL reasoner cannot run here (for example, Java is missing)."""


class OutputError(GoalGraphError, ValueError):
    """An output file would overwrite an input (or a data file in an input folder), two
    outputs name one file, it is a folder, its folder does not exist or is read-only, or
    writing it failed (a full disk); nothing was written and no temporary file is left."""


class ReportError(GoalGraphError, ValueError):
    """A report cannot be drawn: a chart fails or refers to anything outside the page."""


class ShapesError(LoadError):
    """The shapes graph is ill-formed: a SHACL-SPARQL query is malformed, breaks the
    restrictions of pre-binding (SHACL 5.3.1), or would reach the network (``SERVICE``)."""
