"""Kolada, the Swedish municipal statistics database: a v3 API client and observations.

:class:`KoladaClient` asks the API (ids in the path, at most 25 per segment,
``next_url`` paging, retries, a rate limit, a deadline on each request, an
on-disk cache); :func:`fetch_observations` turns the values of the data's
indicators that have a ``gg:koladaId`` into ``gg:Observation`` s with
provenance; :func:`propose_kpis` proposes ids for a nyckeltal title and never
applies them. Details: ``docs/kolada.md``.

>>> from goalgraph.kolada import KoladaClient, ResponseCache
>>> KoladaClient(base_url="ftp://example.org")
Traceback (most recent call last):
...
goalgraph.errors.KoladaError: ftp://example.org är ingen http- eller https-adress. ...
"""

from __future__ import annotations

from goalgraph.kolada._http import Politeness
from goalgraph.kolada.cache import CACHE_ENV, ResponseCache, default_cache_dir
from goalgraph.kolada.client import DEFAULT_BASE_URL, MAX_IDS, URL_ENV, KoladaClient
from goalgraph.kolada.observations import (
    KoladaIndicator,
    Observations,
    fetch_observations,
    kolada_indicators,
    parse_years,
)
from goalgraph.kolada.proposals import Proposal, propose_kpis, titles_of
from goalgraph.kolada.records import GENDERS, KoladaValue, Kpi, Municipality, Page

__all__ = [
    "CACHE_ENV",
    "DEFAULT_BASE_URL",
    "GENDERS",
    "MAX_IDS",
    "URL_ENV",
    "KoladaClient",
    "KoladaIndicator",
    "KoladaValue",
    "Kpi",
    "Municipality",
    "Observations",
    "Page",
    "Politeness",
    "Proposal",
    "ResponseCache",
    "default_cache_dir",
    "fetch_observations",
    "kolada_indicators",
    "parse_years",
    "propose_kpis",
    "titles_of",
]
