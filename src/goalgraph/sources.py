"""Where imported data came from: the file, sheet and row of each spreadsheet item.

The spreadsheet import records a :class:`SourceRow` per item in
:attr:`goalgraph.GoalGraph.sources`, beside the data rather than in it, so
that validation can point a municipal official back to the cell to fix
while the RDF stays exactly what the import produces. RDF input has none.

>>> perspective = "https://w3id.org/goalgraph/ontology#hasPerspective"
>>> row = SourceRow("mal.xlsx", "Nämndmål", 7, {perspective: "Perspektiv"})
>>> row.column_for(perspective)
'Perspektiv'
>>> row.where("sv", column="Perspektiv")
'Nämndmål, rad 7, kolumn Perspektiv'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["SourceRow"]


@dataclass(frozen=True)
class SourceRow:
    """One spreadsheet row an item was imported from.

    ``columns`` maps each property the sheet can hold to its column header,
    as written in the file where the file has the column.
    """

    file: str
    sheet: str
    row: int
    columns: Mapping[str, str] = field(default_factory=dict)

    def column_for(self, prop: str) -> str | None:
        """The header of the column that holds *prop* (an IRI) in this sheet, or ``None``."""
        return self.columns.get(prop)

    def where(self, lang: str | None = None, *, column: str | None = None) -> str:
        """ "Sheet, row N[, column X]" in *lang*, as people see it in their spreadsheet program.

        >>> SourceRow("a.csv", "namndmal", 3).where("en")
        'namndmal, row 3'
        """
        from goalgraph.i18n import message

        parts = [self.sheet, message("errors.row", lang, row=self.row)]
        if column:
            parts.append(message("errors.column", lang, column=column))
        return ", ".join(parts)
