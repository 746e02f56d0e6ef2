"""A client for the Kolada v3 API: metadata, search and values, paged, split and cached.

Ids go in the URL path, at most 25 per path segment; longer lists are split
into several requests and the answers merged. Every answer is followed
through its ``next_url`` (or ``next_page``) until there is none, with a
guard against a server that loops. Answers are kept in a
:class:`~goalgraph.kolada.cache.ResponseCache` when one is given, so a second
run works offline.

>>> client = KoladaClient(base_url="http://127.0.0.1:9/v3")
>>> client.data_paths(["N15428"], ["1962", "0685"], [2022, 2023])
['/data/kpi/N15428/municipality/1962,0685/year/2022,2023']
>>> client.close()
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urljoin

import httpx

from goalgraph.errors import KoladaError
from goalgraph.i18n import message
from goalgraph.kolada._http import Politeness, Requester
from goalgraph.kolada.cache import ResponseCache
from goalgraph.kolada.records import (
    KoladaValue,
    Kpi,
    Municipality,
    Page,
    kpi_from,
    municipality_from,
    parse_page,
    values_from,
)

__all__ = ["DEFAULT_BASE_URL", "MAX_IDS", "MAX_PER_PAGE", "URL_ENV", "KoladaClient"]

#: The Kolada v3 API.
DEFAULT_BASE_URL = "https://api.kolada.se/v3"
#: Environment variable that overrides :data:`DEFAULT_BASE_URL`.
URL_ENV = "GOALGRAPH_KOLADA_URL"
#: At most this many ids in one path segment.
MAX_IDS = 25
#: The largest page Kolada serves.
MAX_PER_PAGE = 5000

_KPI_ID = re.compile(r"^[A-Za-z0-9]+$")
_KOMMUN = re.compile(r"^\d{4}$")


def _agent() -> str:
    try:
        return f"goalgraph/{version('goalgraph')}"
    except PackageNotFoundError:  # a source tree that is not installed
        return "goalgraph"


class KoladaClient:
    """Ask Kolada v3 for nyckeltal metadata, kommuner and values.

    :param base_url: the API root; default ``$GOALGRAPH_KOLADA_URL`` or
        :data:`DEFAULT_BASE_URL`.
    :param cache: where to keep answers; ``None`` keeps none.
    :param refresh: fetch every answer again (once per client) and replace the cached one.
    :param per_page: items per page, at most :data:`MAX_PER_PAGE`.
    :param max_pages: the most pages one request may have before it counts as a loop.
    :param politeness: timeout, retries, backoff and rate limit (:class:`Politeness`).
    :param transport: an httpx transport, for tests or proxies.
    :raises KoladaError: if *base_url* is not an http(s) URL.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        cache: ResponseCache | None = None,
        refresh: bool = False,
        per_page: int = MAX_PER_PAGE,
        max_pages: int = 1000,
        politeness: Politeness | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        root = (base_url or os.environ.get(URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
        try:
            parsed = httpx.URL(root)
        except httpx.InvalidURL:
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
            raise KoladaError(message("kolada.bad_base_url", url=root), url=root)
        if not 1 <= per_page <= MAX_PER_PAGE or max_pages < 1:
            raise ValueError(f"per_page must be 1…{MAX_PER_PAGE} and max_pages at least 1")
        self.base_url = root
        self.cache = cache
        self.refresh = refresh
        self.per_page = per_page
        self.max_pages = max_pages
        self.politeness = politeness or Politeness()
        #: Every URL whose answer this client used, in order (fetched or from the cache).
        self.used_urls: list[str] = []
        self._refreshed: set[str] = set()
        self._http = httpx.Client(
            transport=transport,
            headers={"User-Agent": _agent(), "Accept": "application/json"},
            follow_redirects=True,
        )
        self._requester = Requester(self._http, self.politeness)

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    # --- metadata -----------------------------------------------------------

    def kpis(self, ids: Iterable[str]) -> list[Kpi]:
        """Metadata of the nyckeltal *ids*, in the order given.

        :raises KoladaError: if an id is malformed or Kolada knows none of that
            id (every such id is named), or on any failure to get an answer.
        """
        wanted = _unique(ids)
        for identifier in wanted:
            _check_kpi_id(identifier)
        found: dict[str, Kpi] = {}
        for chunk in _chunks(wanted):
            for page in self.pages(f"/kpi/{','.join(chunk)}"):
                for item in page.values:
                    kpi = kpi_from(item, url=page.url)
                    found[kpi.id] = kpi
        missing = [identifier for identifier in wanted if identifier not in found]
        if missing:
            raise KoladaError(message("kolada.unknown_kpis", ids=", ".join(missing)))
        return [found[identifier] for identifier in wanted]

    def search_kpis(self, title: str) -> list[Kpi]:
        """Nyckeltal whose title contains *title* (Kolada's own title search).

        :raises ValueError: if *title* is blank.
        :raises KoladaError: on any failure to get an answer.
        """
        if not title.strip():
            raise ValueError("give a text to search for")
        return [
            kpi_from(item, url=page.url)
            for page in self.pages("/kpi", {"title": title.strip()})
            for item in page.values
        ]

    def municipalities(self) -> list[Municipality]:
        """Every kommun (type ``K``) and region (type ``L``) Kolada has.

        :raises KoladaError: on any failure to get an answer.
        """
        return [
            municipality_from(item, url=page.url)
            for page in self.pages("/municipality")
            for item in page.values
        ]

    # --- values ---------------------------------------------------------------

    def data_paths(
        self,
        kpis: Sequence[str],
        municipalities: Sequence[str],
        years: Sequence[int] | None = None,
    ) -> list[str]:
        """The request paths that :meth:`values` uses, at most 25 ids per segment.

        :raises KoladaError: if a KPI id, kommun code or year is malformed.
        """
        kpi_ids, codes = _unique(kpis), _unique(municipalities)
        for identifier in kpi_ids:
            _check_kpi_id(identifier)
        for code in codes:
            if not _KOMMUN.match(code):
                raise KoladaError(message("kolada.bad_kommun", code=code))
        year_texts = _unique(str(year) for year in years) if years is not None else []
        for text in year_texts:
            if not re.fullmatch(r"\d{4}", text):
                raise KoladaError(message("kolada.bad_year", year=text))
        year_chunks: list[list[str] | None] = list(_chunks(year_texts)) if year_texts else [None]
        paths = []
        for kpi_chunk in _chunks(kpi_ids):
            for code_chunk in _chunks(codes):
                for year_chunk in year_chunks:
                    path = f"/data/kpi/{','.join(kpi_chunk)}/municipality/{','.join(code_chunk)}"
                    if year_chunk is not None:
                        path += f"/year/{','.join(year_chunk)}"
                    paths.append(path)
        return paths

    def values(
        self,
        kpis: Sequence[str],
        municipalities: Sequence[str],
        years: Sequence[int] | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[KoladaValue]:
        """Every value of *kpis* for *municipalities* in *years* (all years if ``None``).

        Deleted and missing (null) values are left out. The result is sorted by
        KPI, kommun, year and sex (T, K, M) and holds each of them once.
        *progress* is called with (requests done, requests planned) after each request.

        :raises KoladaError: on a malformed id, any failure to get an answer, a
            non-numeric value, or two different values for the same key.
        """
        paths = self.data_paths(kpis, municipalities, years)
        merged: dict[tuple[str, str, int, str], KoladaValue] = {}
        for done, path in enumerate(paths, start=1):
            for page in self.pages(path):
                for value in values_from(page):
                    key = (value.kpi, value.municipality, value.year, value.gender)
                    earlier = merged.setdefault(key, value)
                    if earlier.value != value.value:
                        raise KoladaError(
                            message(
                                "kolada.conflicting",
                                kpi=value.kpi,
                                kommun=value.municipality,
                                year=value.year,
                                gender=value.gender,
                                first=earlier.value,
                                second=value.value,
                                url=value.url,
                            ),
                            url=value.url,
                        )
            if progress is not None:
                progress(done, len(paths))
        order = {"T": 0, "K": 1, "M": 2}
        return sorted(
            merged.values(), key=lambda v: (v.kpi, v.municipality, v.year, order[v.gender])
        )

    # --- paging ---------------------------------------------------------------

    def url(self, path: str, params: Mapping[str, str] | None = None) -> str:
        """The full URL of *path* under the base URL, with ``per_page`` and *params*.

        >>> KoladaClient(base_url="https://api.kolada.se/v3").url("/kpi", {"title": "åk 9"})
        'https://api.kolada.se/v3/kpi?title=%C3%A5k+9&per_page=5000'
        """
        query = {**(params or {}), "per_page": str(self.per_page)}
        return str(httpx.URL(self.base_url + path, params=query))

    def pages(self, path: str, params: Mapping[str, str] | None = None) -> Iterator[Page]:
        """Every page of the answer to *path*, following ``next_url`` until there is none.

        :raises KoladaError: if a next URL repeats or there are more than
            ``max_pages`` pages, or on any failure to get an answer.
        """
        url: str | None = self.url(path, params)
        seen: set[str] = set()
        while url is not None:
            if url in seen:
                raise KoladaError(message("kolada.paging_loop", url=url), url=url)
            if len(seen) >= self.max_pages:
                raise KoladaError(
                    message("kolada.too_many_pages", url=url, limit=self.max_pages), url=url
                )
            seen.add(url)
            page = self._page(url)
            yield page
            url = urljoin(page.url, page.next_url) if page.next_url else None

    def _page(self, url: str) -> Page:
        self.used_urls.append(url)
        fresh = self.refresh and url not in self._refreshed
        cached = self.cache.get(url) if self.cache is not None and not fresh else None
        if cached is not None:
            return parse_page(cached.body, url=url, fetched_at=cached.fetched_at)
        body = self._requester.get(url)
        fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        page = parse_page(body, url=url, fetched_at=fetched_at)  # only a usable answer is kept
        if self.cache is not None:
            self.cache.put(url, body, fetched_at=fetched_at)
        self._refreshed.add(url)
        return page


def _check_kpi_id(identifier: str) -> None:
    if not _KPI_ID.match(identifier):
        raise KoladaError(message("kolada.bad_kpi_id", id=identifier))


def _unique(items: Iterable[Any]) -> list[str]:
    if isinstance(items, str):  # one id, not a sequence of one-letter ids
        items = [items]
    return list(dict.fromkeys(str(item) for item in items))


def _chunks(items: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), MAX_IDS):
        yield list(items[start : start + MAX_IDS])
