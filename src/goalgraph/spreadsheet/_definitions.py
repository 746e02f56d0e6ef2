"""The import format as Python objects, read from the packaged ``format.yaml``.

Sheets, columns and link types are data, not code: this module only reads
them and answers "which sheet is this?" and "which column is this header?".

>>> fmt = spreadsheet_format()
>>> fmt.sheet_for("Nämndmål (illustrativt)")[0].key
'namndmal'
>>> fmt.sheet_for("namndmal_illustrativt")[1]
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from goalgraph.resources import package_dir

__all__ = [
    "ColumnDef",
    "LinkType",
    "RowType",
    "SheetDef",
    "SpreadsheetFormat",
    "normalise",
    "spreadsheet_format",
]


def normalise(text: str) -> str:
    """Fold *text* for matching: lower case, no accents, one space for runs of space, '-', '_'.

    >>> normalise("  KF-mål ")
    'kf mal'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_\-]+", " ", plain.lower()).strip(" *")


@dataclass(frozen=True)
class ColumnDef:
    """One column of a sheet: header, property, value type and help texts."""

    header: str
    header_en: str
    type: str
    property: URIRef | None = None
    aliases: tuple[str, ...] = ()
    required: bool = False
    multi: bool = False
    inverse: bool = False
    kinds: tuple[str, ...] = ()
    scheme: str | None = None
    restrict: dict[str, tuple[str, ...]] = field(default_factory=dict)
    help: str = ""
    help_en: str = ""

    def names(self) -> set[str]:
        """Every normalised header this column answers to."""
        return {normalise(n) for n in (self.header, self.header_en, *self.aliases)}


@dataclass(frozen=True)
class RowType:
    """A value of a sheet's ``typ`` column: the class and the IRI kind it gives."""

    key: str
    cls: URIRef
    kind: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class LinkType:
    """A link type of the Länkar sheet."""

    key: str
    property: URIRef
    target: str
    names: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    scheme: str | None = None


@dataclass(frozen=True)
class SheetDef:
    """One sheet of the format."""

    key: str
    title: str
    title_en: str
    names: tuple[str, ...]
    columns: tuple[ColumnDef, ...]
    kind: str | None = None
    cls: URIRef | None = None
    types: tuple[RowType, ...] = ()
    default_type: str | None = None
    link_sheet: bool = False
    help: str = ""
    also_reads: tuple[ColumnDef, ...] = ()
    example: dict[str, str] = field(default_factory=dict)

    def column_for(self, header: str) -> ColumnDef | None:
        """The column answering to *header* (a template column or one it also reads)."""
        wanted = normalise(header)
        return next((c for c in self.readable_columns() if wanted in c.names()), None)

    def readable_columns(self) -> tuple[ColumnDef, ...]:
        """The template's columns, then those the import reads besides them."""
        return self.columns + self.also_reads

    def type_for(self, value: str) -> RowType | None:
        """The row type named *value* (by key or any of its names), or ``None``."""
        wanted = normalise(value)
        for row_type in self.types:
            if wanted in {normalise(n) for n in (row_type.key, *row_type.names)}:
                return row_type
        return None

    def type_by_key(self, key: str) -> RowType:
        """The row type with *key*.

        :raises KeyError: if the sheet has no such type.
        """
        for row_type in self.types:
            if row_type.key == key:
                return row_type
        raise KeyError(key)


@dataclass(frozen=True)
class SpreadsheetFormat:
    """Every sheet and link type of the format."""

    sheets: tuple[SheetDef, ...]
    link_types: tuple[LinkType, ...]
    prefixes: dict[str, str]
    ignored: frozenset[str]
    illustrative_suffixes: tuple[str, ...]
    example_marker: str = ""
    readme: tuple[tuple[str, str], ...] = ()

    def sheet(self, key: str) -> SheetDef:
        """The sheet with *key*.

        :raises KeyError: if there is none.
        """
        for sheet in self.sheets:
            if sheet.key == key:
                return sheet
        raise KeyError(key)

    def is_ignored(self, name: str) -> bool:
        """Whether a sheet called *name* is for people only and never read."""
        return normalise(name) in self.ignored

    def is_example(self, cells: list[str]) -> bool:
        """Whether a row with *cells* is a template's example row, which is never read.

        >>> spreadsheet_format().is_example(["EXEMPEL-KF1", "KF-mål"])
        True
        >>> spreadsheet_format().is_example(["KF1", "EXEMPEL"])
        False
        """
        first = next((c for c in cells if c), "")
        marker = normalise(self.example_marker)
        return bool(marker) and normalise(first).startswith(marker)

    def sheet_for(self, name: str) -> tuple[SheetDef, bool] | None:
        """The sheet a sheet or file called *name* holds, and whether it is illustrative."""
        wanted = normalise(name)
        illustrative = False
        for suffix in self.illustrative_suffixes:
            stripped = re.sub(rf"[\s(]*{re.escape(suffix)}\)?$", "", wanted).strip()
            if stripped != wanted:
                wanted, illustrative = stripped, True
                break
        for sheet in self.sheets:
            if wanted in {
                normalise(n) for n in (sheet.key, sheet.title, sheet.title_en, *sheet.names)
            }:
                return sheet, illustrative
        return None

    def link_type_for(self, value: str) -> LinkType | None:
        """The link type named *value*, or ``None``."""
        wanted = normalise(value)
        for link in self.link_types:
            if wanted in {normalise(n) for n in (link.key, *link.names)}:
                return link
        return None

    def sheet_names(self) -> list[str]:
        """The Swedish titles of every sheet, for messages."""
        return [s.title for s in self.sheets]


def _curie(prefixes: dict[str, str], value: str) -> URIRef:
    prefix, _, local = value.partition(":")
    return URIRef(prefixes[prefix] + local)


def _column(prefixes: dict[str, str], raw: dict[str, Any]) -> ColumnDef:
    return ColumnDef(
        header=raw["header"],
        header_en=raw["header_en"],
        type=raw["type"],
        property=_curie(prefixes, raw["property"]) if "property" in raw else None,
        aliases=tuple(raw.get("aliases", ())),
        required=bool(raw.get("required", False)),
        multi=bool(raw.get("multi", False)),
        inverse=bool(raw.get("inverse", False)),
        kinds=tuple(raw.get("kinds", ())),
        scheme=raw.get("scheme"),
        restrict={k: tuple(v) for k, v in raw.get("restrict", {}).items()},
        help=raw.get("help", ""),
        help_en=raw.get("help_en", ""),
    )


def _sheet(prefixes: dict[str, str], raw: dict[str, Any]) -> SheetDef:
    types = tuple(
        RowType(
            key=key,
            cls=_curie(prefixes, spec["class"]),
            kind=spec.get("kind", raw.get("kind", "")),
            names=tuple(spec.get("names", ())),
        )
        for key, spec in raw.get("types", {}).items()
    )
    return SheetDef(
        key=raw["key"],
        title=raw["title"],
        title_en=raw["title_en"],
        names=tuple(raw.get("names", ())),
        columns=tuple(_column(prefixes, c) for c in raw["columns"]),
        kind=raw.get("kind"),
        cls=_curie(prefixes, raw["class"]) if "class" in raw else None,
        types=types,
        default_type=raw.get("default_type"),
        link_sheet=bool(raw.get("link_sheet", False)),
        help=raw.get("help", ""),
        also_reads=tuple(_column(prefixes, c) for c in raw.get("also_reads", ())),
        example={str(k): str(v) for k, v in (raw.get("example") or {}).items()},
    )


@cache
def spreadsheet_format(path: Path | None = None) -> SpreadsheetFormat:
    """The import format, read from the packaged ``spreadsheet/format.yaml`` (or *path*).

    :raises OSError: if the file cannot be read (a broken installation).
    """
    source = path or package_dir() / "spreadsheet" / "format.yaml"
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    prefixes: dict[str, str] = raw["prefixes"]
    links = tuple(
        LinkType(
            key=key,
            property=_curie(prefixes, spec["property"]),
            target=spec["target"],
            names=tuple(spec.get("names", ())),
            kinds=tuple(spec.get("kinds", ())),
            scheme=spec.get("scheme"),
        )
        for key, spec in raw["link_types"].items()
    )
    return SpreadsheetFormat(
        sheets=tuple(_sheet(prefixes, s) for s in raw["sheets"]),
        link_types=links,
        prefixes=prefixes,
        ignored=frozenset(normalise(n) for n in raw["ignored_sheets"]),
        illustrative_suffixes=tuple(normalise(s) for s in raw["illustrative_suffixes"]),
        example_marker=raw.get("example_marker", ""),
        readme=tuple((str(step), str(text)) for step, text in raw.get("readme", ())),
    )
