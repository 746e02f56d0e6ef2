"""``compare()``: several kommuner's indicator values and statuses side by side.

Indicators are matched across kommuner by their Kolada id (``gg:koladaId``:
the same KPI, whichever kommun's nyckeltal it is), else by the indicator
itself (one indicator observed in several kommuner). The optional ranking is
relative to the compared kommuner only: among those whose latest value is of
the most recent year any of them has, best first in the desired direction
(ties share a rank); a kommun with an older value, or an indicator without a
direction (or with different directions in different kommuner), is not
ranked. Values derived from Kolada are marked "egen bearbetning av data från
Kolada", as Kolada's terms require.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from goalgraph.errors import UnknownTermError
from goalgraph.followup._names import kolada_note
from goalgraph.followup._report import records
from goalgraph.followup._status import resolve_kommun, status
from goalgraph.followup._text import number
from goalgraph.i18n import message

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.graph import GoalGraph

__all__ = ["COMPARISON_COLUMNS", "Comparison", "compare"]

COMPARISON_COLUMNS = [
    "key",
    "kolada_id",
    "indicator",
    "indicator_id",
    "indicator_label",
    "unit",
    "direction",
    "kommun",
    "kommun_label",
    "year",
    "value",
    "status",
    "status_label",
    "reason",
    "reason_label",
    "rank",
    "ranked",
    "from_kolada",
]


@dataclass
class Comparison:
    """Indicator values and statuses of several kommuner, one row per indicator and kommun.

    :ivar values: the long table (see :data:`COMPARISON_COLUMNS`); ``key`` is
        the Kolada id or the indicator IRI that matches rows across kommuner,
        ``rank`` the relative rank (1 best) and ``ranked`` how many were ranked.
    :ivar kommuner: the compared kommun codes, in the order asked for.
    """

    values: pd.DataFrame
    kommuner: list[str]
    year: int | None
    ranked: bool
    lang: str | None

    @property
    def from_kolada(self) -> bool:
        """True when any compared value is derived from Kolada."""
        return bool(self.values["from_kolada"].any())

    def note(self, lang: str | None = None) -> str | None:
        """The credit Kolada requires, if any value comes from Kolada."""
        return kolada_note(lang or self.lang) if self.from_kolada else None

    def wide(self, lang: str | None = None) -> pd.DataFrame:
        """One row per indicator, one column per kommun: "value (year) status [rank]"."""
        import pandas as pd

        lang = lang or self.lang
        cells: dict[tuple[str, str], str] = {}
        names: dict[str, str] = {}
        for row in self.values.to_dict(orient="records"):
            text = message(
                "followup.compare_cell",
                lang,
                value=number(row["value"], lang),
                year=row["year"] if row["year"] is not None and row["year"] == row["year"] else "–",
                status=row["status_label"],
            )
            if row["reason_label"]:
                text += f" ({row['reason_label']})"
            if self.ranked and row["rank"] == row["rank"] and row["rank"] is not None:
                text += f" [{int(row['rank'])}/{int(row['ranked'])}]"
            cells[(row["key"], row["kommun"])] = text
            names.setdefault(row["key"], _name(row))
        frame = pd.DataFrame(
            [[cells.get((key, k), "–") for k in self.kommuner] for key in names],
            index=pd.Index(list(names.values()), name=message("followup.compare_indicator", lang)),
            columns=self.kommuner,
        )
        return frame

    def to_json(self) -> str:
        """The comparison as JSON (``comparison.schema.json``): kommuner, year, Kolada note and
        the long table."""
        from goalgraph.contract import stamped

        return json.dumps(
            stamped(
                "comparison",
                {
                    "kommuner": self.kommuner,
                    "year": self.year,
                    "note": self.note(),
                    "values": records(self.values),
                },
            ),
            ensure_ascii=False,
            indent=2,
        )

    def to_text(self, lang: str | None = None) -> str:
        """The wide table as text, with the Kolada credit when it applies."""
        lang = lang or self.lang
        if self.values.empty:
            return message("followup.compare_nothing", lang)
        text = str(self.wide(lang).to_string())
        note = self.note(lang)
        if note:
            text += "\n\n" + note[0].upper() + note[1:] + "."
        return text


def _name(row: dict[str, Any]) -> str:
    name = row["indicator_label"] or row["indicator_id"] or row["indicator"]
    return f"{row['kolada_id']} {name}" if row["kolada_id"] else name


def _rank(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    frame = frame.copy()
    frame["rank"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    frame["ranked"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    for _, rows in frame.groupby("key", sort=False):
        directions = set(rows["direction"])
        usable = rows[rows["value"].notna()]
        if len(directions) != 1 or directions & {"", "neutral"} or usable.empty:
            continue
        newest = usable[usable["year"] == usable["year"].max()]
        ascending = directions == {"decrease"}
        ranks = newest["value"].rank(method="min", ascending=ascending).astype("Int64")
        frame.loc[newest.index, "rank"] = ranks
        frame.loc[newest.index, "ranked"] = len(newest)
    return frame


def compare(
    graph: GoalGraph,
    kommuner: list[str],
    *,
    year: int | None = None,
    rank: bool = False,
    base_year: int | None = None,
    lang: str | None = None,
) -> Comparison:
    """The indicator values and statuses of *kommuner* (codes) side by side.

    Each kommun's latest value up to *year* and its progress status (as
    :func:`~goalgraph.followup.status` judges it) per indicator, matched by
    Kolada id across kommuner; with *rank*, each kommun's rank among the
    compared ones in the desired direction.

    :raises UnknownTermError: if a kommun code is unknown or none is given.

    >>> from goalgraph import load
    >>> compare(load(), ["0685", "1962"]).values.empty
    True
    """
    import pandas as pd

    if not kommuner:
        raise UnknownTermError(message("followup.compare_no_kommun", lang), term="")
    codes = list(dict.fromkeys(code.strip() for code in kommuner))
    report = status(graph, year=year, base_year=base_year, lang=lang)
    known = set(report.model.names.codes.values())
    for code in codes:
        if code not in known:
            resolve_kommun(code, report.model.names.codes, lang)  # raises, naming the code
    rows = report.indicators[report.indicators["kommun"].isin(codes)].copy()
    rows["key"] = rows["kolada_id"].where(rows["kolada_id"] != "", rows["indicator"])
    # one row per key and kommun: the indicator with the most recent value, then by IRI
    rows = rows.sort_values(
        ["key", "kommun", "latest_year", "indicator"], ascending=[True, True, False, True]
    ).drop_duplicates(["key", "kommun"])
    rows = rows.rename(columns={"latest_year": "year", "latest_value": "value"})
    order = {code: i for i, code in enumerate(codes)}
    rows["_order"] = rows["kommun"].map(order)
    first = rows.sort_values("_order").drop_duplicates("key").set_index("key")["indicator_id"]
    rows["_name"] = rows["key"].map(first)
    rows = rows.sort_values(["_name", "key", "_order"], ignore_index=True)
    rows["rank"] = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    rows["ranked"] = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    if rank:
        rows = _rank(rows)
    return Comparison(
        values=rows[COMPARISON_COLUMNS].reset_index(drop=True),
        kommuner=codes,
        year=year,
        ranked=rank,
        lang=lang,
    )
