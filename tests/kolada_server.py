"""A local stand-in for the Kolada v3 API, serving the answers in tests/data/kolada.

The answers are written with Kolada's own base URL in their ``next_url``;
:func:`answer` swaps it for the test server's, so paging stays on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from goalgraph.kolada import KoladaClient, Politeness, ResponseCache

FIXTURES = Path(__file__).parent / "data" / "kolada"
KOLADA = "https://api.kolada.se/v3"
NORBERG_YEARS = "2015,2016,2017,2018,2019,2020,2021,2022,2023"
NORBERG_DATA = f"/data/kpi/N15428/municipality/1962/year/{NORBERG_YEARS}"

#: Patient enough for a local server, quick enough for a test suite.
FAST = Politeness(
    timeout=3.0, max_retries=2, backoff=0.01, max_backoff=0.02, max_retry_after=0.5, rate=1000.0
)


def start() -> HTTPServer:
    """A threaded HTTP server on 127.0.0.1 (a slow handler must not block the others)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    return server


def running() -> Iterator[HTTPServer]:
    """Start a server, hand it over, stop it afterwards (the body of a module-scoped fixture).

    Stopping takes up to half a second (the server's poll interval), so tests
    share one server and :func:`fresh` clears it between them.
    """
    server = start()
    try:
        yield server
    finally:
        if server.is_running():
            server.stop()


def fresh(server: HTTPServer) -> Iterator[HTTPServer]:
    """*server* without the handlers and log of earlier tests (the body of a test fixture)."""
    server.clear()
    yield server
    server.clear()


def base(server: HTTPServer) -> str:
    """The base URL of the stand-in API on *server*."""
    return server.url_for("/v3")


def answer(name: str, server: HTTPServer) -> bytes:
    """The fixture *name* with Kolada's base URL replaced by *server*'s."""
    return (FIXTURES / name).read_text(encoding="utf-8").replace(KOLADA, base(server)).encode()


def serve(server: HTTPServer, path: str, name: str, query: dict[str, str] | None = None) -> None:
    """Answer GET /v3{path} (with ``per_page=5000`` unless *query* says otherwise) by *name*."""
    server.expect_request(
        f"/v3{path}", method="GET", query_string=query or {"per_page": "5000"}
    ).respond_with_data(answer(name, server), content_type="application/json")


def serve_json(
    server: HTTPServer, path: str, document: Any, query: dict[str, str] | None = None
) -> None:
    """Answer GET /v3{path} with *document* as JSON."""
    server.expect_request(
        f"/v3{path}", method="GET", query_string=query or {"per_page": "5000"}
    ).respond_with_data(json.dumps(document), content_type="application/json")


def serve_norberg(server: HTTPServer) -> None:
    """The answers a fetch of N15428 for Norberg 2015–2023 needs: kommuner, metadata, two pages."""
    serve(server, "/municipality", "municipality.json")
    serve(server, "/kpi/N15428", "kpi-N15428.json")
    serve(server, NORBERG_DATA, "data-N15428-1962-page1.json")
    serve(server, NORBERG_DATA, "data-N15428-1962-page2.json", {"page": "2", "per_page": "5000"})


def client(server: HTTPServer, cache_dir: Path | None = None, **options: Any) -> KoladaClient:
    """A client of the stand-in API with fast politeness and, if given, a cache in *cache_dir*."""
    options.setdefault("politeness", FAST)
    cache = ResponseCache(cache_dir) if cache_dir is not None else None
    return KoladaClient(base_url=base(server), cache=cache, **options)


def data_row(kpi: str, kommun: str, year: int, *values: tuple[str, Any, bool]) -> dict[str, Any]:
    """One data row of a /data answer, with (gender, value, isdeleted) per value."""
    return {
        "kpi": kpi,
        "municipality": kommun,
        "period": year,
        "values": [
            {"count": 1, "gender": g, "isdeleted": d, "status": "", "value": v}
            for g, v, d in values
        ],
    }


def envelope(values: list[dict[str, Any]], next_url: str | None = None) -> dict[str, Any]:
    """A v3 answer holding *values*."""
    return {"count": len(values), "values": values, "next_url": next_url, "previous_url": None}


@pytest.fixture(scope="module")
def shared_server() -> Iterator[HTTPServer]:
    """A stand-in Kolada API on 127.0.0.1 for one test module, stopped at its end."""
    yield from running()


@pytest.fixture
def server(shared_server: HTTPServer) -> Iterator[HTTPServer]:
    """The stand-in API with no handlers or log left from earlier tests."""
    yield from fresh(shared_server)
