"""What Kolada v3 answers, as typed records, and the checks that its JSON has that shape.

Every answer of the v3 API is an envelope ``{"count": n, "values": [...],
"next_url": ..., "previous_url": ...}`` (``next_page`` in older answers);
the items of ``values`` are KPI metadata, municipalities or data rows. A body
that is not JSON, is cut off, or has another shape raises
:class:`~goalgraph.errors.KoladaError` naming the URL, never a half-read
result.

>>> page = parse_page(b'{"count": 1, "values": [{"id": "1962", "title": "Norberg", '
...                   b'"type": "K"}], "next_url": null}', url="https://api.kolada.se/v3/municipality")
>>> [municipality_from(item, url=page.url) for item in page.values]
[Municipality(id='1962', title='Norberg', type='K')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from goalgraph.errors import KoladaError
from goalgraph.i18n import message

__all__ = [
    "GENDERS",
    "Gender",
    "KoladaValue",
    "Kpi",
    "Municipality",
    "Page",
    "kpi_from",
    "municipality_from",
    "parse_page",
    "values_from",
]

Gender = Literal["T", "K", "M"]
#: Kolada's sex codes: T total, K kvinnor (women), M män (men).
GENDERS: tuple[Gender, ...] = ("T", "K", "M")

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Page:
    """One page of a Kolada answer: its items and where the next page is, if anywhere.

    ``fetched_at`` is when the page was fetched from Kolada (an ISO 8601 UTC
    time), also when it is read back from the cache later.
    """

    url: str
    values: tuple[dict[str, Any], ...]
    next_url: str | None
    count: int | None = None
    fetched_at: str = ""


@dataclass(frozen=True)
class Kpi:
    """A Kolada nyckeltal (key performance indicator) and its metadata."""

    id: str
    title: str
    description: str = ""
    operating_area: str = ""
    is_divided_by_gender: bool = False
    municipality_type: str = ""
    publication_date: str | None = None


@dataclass(frozen=True)
class Municipality:
    """A kommun (type ``K``) or region (type ``L``) as Kolada lists it."""

    id: str
    title: str
    type: str


@dataclass(frozen=True)
class KoladaValue:
    """One value of a nyckeltal for one kommun, year and sex, and the request it came from.

    ``value`` is the number's text exactly as Kolada wrote it (in plain decimal
    notation if Kolada used an exponent), so no precision is lost.
    """

    kpi: str
    municipality: str
    year: int
    gender: Gender
    value: str
    url: str
    fetched_at: str


def parse_page(body: bytes, *, url: str, fetched_at: str = "") -> Page:
    """Parse one Kolada v3 answer into a :class:`Page`.

    :raises KoladaError: if *body* is not UTF-8 JSON, is cut off, or is not an
        envelope with a ``values`` list; the message names *url*.

    >>> parse_page(b'{"values": [], "count": 0}', url="u").next_url is None
    True
    >>> parse_page(b'{"values": [', url="https://x/kpi")
    Traceback (most recent call last):
    ...
    goalgraph.errors.KoladaError: Svaret från https://x/kpi slutar mitt i JSON-texten...
    """
    document = _json(body, url)
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise _shape(url, message("kolada.shape_envelope"))
    next_url = document.get("next_url")
    if next_url is None:  # the name older answers used
        next_url = document.get("next_page")
    if next_url is not None and (not isinstance(next_url, str) or isinstance(next_url, _Number)):
        raise _shape(url, message("kolada.shape_next", value=_short(next_url)))
    items = document["values"]
    if not all(isinstance(item, dict) for item in items):
        raise _shape(url, message("kolada.shape_items"))
    count = document.get("count")
    return Page(
        url=url,
        values=tuple(items),
        next_url=next_url.strip() or None if next_url is not None else None,
        count=int(count) if isinstance(count, _Number) and count.isdigit() else None,
        fetched_at=fetched_at,
    )


def kpi_from(item: dict[str, Any], *, url: str) -> Kpi:
    """A :class:`Kpi` from one item of a ``/kpi`` answer.

    :raises KoladaError: if the item has no string ``id`` and ``title``.

    >>> kpi = kpi_from({"id": "N15428", "title": "Elever i åk 9 …", "is_divided_by_gender": True},
    ...                url="https://api.kolada.se/v3/kpi/N15428")
    >>> kpi.id, kpi.is_divided_by_gender
    ('N15428', True)
    """
    identifier, title = item.get("id"), item.get("title")
    if not isinstance(identifier, str) or not isinstance(title, str):
        raise _shape(url, message("kolada.shape_kpi", item=_short(item)))
    publication = item.get("publication_date")
    return Kpi(
        id=identifier,
        title=title,
        description=_text(item.get("description")),
        operating_area=_text(item.get("operating_area")),
        is_divided_by_gender=_flag(item.get("is_divided_by_gender")),
        municipality_type=_text(item.get("municipality_type")),
        publication_date=publication if isinstance(publication, str) else None,
    )


def municipality_from(item: dict[str, Any], *, url: str) -> Municipality:
    """A :class:`Municipality` from one item of a ``/municipality`` answer.

    :raises KoladaError: if ``id``, ``title`` or ``type`` is missing or not a string.

    >>> municipality_from({"id": "0685", "title": "Vetlanda", "type": "K"}, url="u").title
    'Vetlanda'
    """
    identifier, title, kind = item.get("id"), item.get("title"), item.get("type")
    if not (isinstance(identifier, str) and isinstance(title, str) and isinstance(kind, str)):
        raise _shape(url, message("kolada.shape_municipality", item=_short(item)))
    return Municipality(identifier, title, kind)


def values_from(page: Page) -> Iterator[KoladaValue]:
    """The values of one page of a ``/data`` answer, without deleted and missing ones.

    Each data row holds up to three values, one per sex (``T``, ``K``, ``M``,
    in any order). A value marked ``isdeleted`` is dropped; a null value means
    *missing* and gives nothing (never 0).

    :raises KoladaError: if a row or value has another shape, a sex code is
        unknown, or a value is not a number (naming KPI, kommun and year).

    >>> page = parse_page(b'''{"count": 1, "values": [
    ...     {"kpi": "N15428", "municipality": "1962", "period": 2023, "values": [
    ...         {"gender": "K", "count": 1, "status": "", "value": null, "isdeleted": false},
    ...         {"gender": "T", "count": 1, "status": "", "value": 71.20, "isdeleted": false}
    ...     ]}]}''',
    ...     url="https://api.kolada.se/v3/data/kpi/N15428/municipality/1962")
    >>> [(v.gender, v.value) for v in values_from(page)]
    [('T', '71.20')]
    """
    for row in page.values:
        kpi, municipality, period = row.get("kpi"), row.get("municipality"), row.get("period")
        year = _year(period)
        if not isinstance(kpi, str) or not isinstance(municipality, str) or year is None:
            raise _shape(page.url, message("kolada.shape_row", item=_short(row)))
        entries = row.get("values")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise _shape(page.url, message("kolada.shape_row", item=_short(row)))
        for entry in entries:
            gender, deleted, raw = (
                entry.get("gender"),
                entry.get("isdeleted", False),
                entry.get("value"),
            )
            if gender not in GENDERS or not isinstance(deleted, bool):
                raise _shape(page.url, message("kolada.shape_value", item=_short(entry), kpi=kpi))
            if deleted or raw is None:
                continue
            yield KoladaValue(
                kpi=kpi,
                municipality=municipality,
                year=year,
                gender=gender,
                value=_number(raw, kpi=kpi, municipality=municipality, year=year, url=page.url),
                url=page.url,
                fetched_at=page.fetched_at,
            )


def _json(body: bytes, url: str) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KoladaError(
            message("kolada.malformed_json", url=url, reason=exc.reason, position=exc.start),
            url=url,
        ) from exc
    try:
        # numbers stay text, so the value's lexical form (71.20) survives unchanged
        return json.loads(text, parse_float=_Number, parse_int=_Number)
    except json.JSONDecodeError as exc:
        # running out of text mid-value is a cut-off body, not a malformed one
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise KoladaError(message("kolada.truncated_json", url=url), url=url) from exc
        raise KoladaError(
            message("kolada.malformed_json", url=url, reason=exc.msg, position=exc.pos), url=url
        ) from exc


class _Number(str):
    """A JSON number kept as the text Kolada wrote."""

    __slots__ = ()


def _year(period: Any) -> int | None:
    text = str(period) if isinstance(period, _Number | str) else ""
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def _number(raw: Any, *, kpi: str, municipality: str, year: int, url: str) -> str:
    if isinstance(raw, _Number) and _DECIMAL.match(raw):
        if "e" not in raw.lower():
            return str(raw)
        try:
            return format(Decimal(raw), "f")
        except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
            pass
    raise KoladaError(
        message(
            "kolada.non_numeric",
            value=_short(raw),
            kpi=kpi,
            kommun=municipality,
            year=year,
            url=url,
        ),
        url=url,
    )


def _flag(value: Any) -> bool:
    # v3 answers true/false, older answers 1/0
    if isinstance(value, _Number):
        return value not in ("0", "0.0")
    return value is True


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _short(value: Any) -> str:
    text = json.dumps(_plain(value), ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def _plain(value: Any) -> Any:
    """*value* with JSON numbers back as numbers, for showing it in a message."""
    if isinstance(value, _Number):
        return float(value) if "." in value or "e" in value.lower() else int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _shape(url: str, detail: str) -> KoladaError:
    return KoladaError(message("kolada.unexpected_shape", url=url, detail=detail), url=url)
