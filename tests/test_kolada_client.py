"""The Kolada v3 client against a real HTTP server on 127.0.0.1 serving recorded-shape answers."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import kolada_server as ks
from goalgraph.errors import EndpointError, KoladaError
from goalgraph.kolada import KoladaClient, Politeness, ResponseCache


def _paths(server: HTTPServer) -> list[str]:
    return [request.full_path for request, _ in server.log]


# --- paging ----------------------------------------------------------------------


def test_values_follow_next_url_across_pages(server: HTTPServer) -> None:
    """Both pages of a paged answer are read by following next_url, and merged."""
    ks.serve_norberg(server)
    with ks.client(server) as client:
        values = client.values(["N15428"], ["1962"], range(2015, 2024))
    assert {v.year for v in values} == set(range(2015, 2024))
    assert len(_paths(server)) == 2
    assert "page=2" in _paths(server)[1]


def test_older_next_page_key_is_followed_too(server: HTTPServer) -> None:
    """An answer naming its next page in next_page (not next_url) is paged the same way."""
    second = f"{ks.base(server)}/municipality?page=2&per_page=5000"
    ks.serve_json(
        server,
        "/municipality",
        {
            "count": 1,
            "values": [{"id": "1962", "title": "Norberg", "type": "K"}],
            "next_page": second,
        },
    )
    ks.serve_json(
        server,
        "/municipality",
        {"count": 1, "values": [{"id": "0685", "title": "Vetlanda", "type": "K"}]},
        {"page": "2", "per_page": "5000"},
    )
    with ks.client(server) as client:
        assert [m.id for m in client.municipalities()] == ["1962", "0685"]


def test_a_relative_next_url_is_resolved_against_the_page(server: HTTPServer) -> None:
    """A next_url without scheme and host is taken relative to the page that named it."""
    ks.serve_json(server, "/kpi/N15428", ks.envelope([], "/v3/kpi/N15428?page=2&per_page=5000"))
    ks.serve(server, "/kpi/N15428", "kpi-N15428.json", {"page": "2", "per_page": "5000"})
    with ks.client(server) as client:
        assert client.kpis(["N15428"])[0].operating_area == "Grundskola"


def test_a_server_that_points_back_to_the_same_page_is_stopped(server: HTTPServer) -> None:
    """A next_url equal to a page already read raises KoladaError instead of looping."""
    url = f"{ks.base(server)}/municipality?per_page=5000"
    ks.serve_json(server, "/municipality", ks.envelope([], url))
    with ks.client(server) as client, pytest.raises(KoladaError, match="redan hämtats"):
        client.municipalities()
    assert len(server.log) == 1


def test_more_pages_than_the_limit_raise(server: HTTPServer) -> None:
    """A chain of distinct pages longer than max_pages raises KoladaError naming the limit."""
    for page in range(1, 5):
        query = {"per_page": "5000"} if page == 1 else {"page": str(page), "per_page": "5000"}
        following = f"{ks.base(server)}/municipality?page={page + 1}&per_page=5000"
        ks.serve_json(server, "/municipality", ks.envelope([], following), query)
    with ks.client(server, max_pages=3) as client, pytest.raises(KoladaError, match="3 sidor"):
        client.municipalities()
    assert len(server.log) == 3


# --- ids in the path, split by 25 -------------------------------------------------


def test_thirty_kpi_ids_take_two_requests_and_are_merged(server: HTTPServer) -> None:
    """30 KPI ids are asked for as 25 + 5 in the path, and all 30 come back as one list."""
    ids = [f"N{n:05d}" for n in range(1, 31)]
    for chunk in (ids[:25], ids[25:]):
        rows = [ks.data_row(kpi, "1962", 2023, ("T", 1, False)) for kpi in chunk]
        ks.serve_json(server, f"/data/kpi/{','.join(chunk)}/municipality/1962", ks.envelope(rows))
    with ks.client(server) as client:
        values = client.values(ids, ["1962"])
    assert [v.kpi for v in values] == ids
    assert len(server.log) == 2
    assert all(path.count(",") <= 24 for path in _paths(server))


def test_kommun_and_year_segments_are_split_as_well() -> None:
    """Kommun codes and years over 25 are split into more paths, each segment at most 25."""
    with KoladaClient(base_url="http://127.0.0.1:9/v3") as client:
        paths = client.data_paths(
            ["N15428"], [f"{n:04d}" for n in range(100, 130)], range(1990, 2020)
        )
    assert len(paths) == 4
    for path in paths:
        segments = path.split("/")
        assert all(len(segment.split(",")) <= 25 for segment in segments)


def test_a_single_id_string_is_one_id() -> None:
    """Passing one id as a string asks for that id, not for each of its letters."""
    with KoladaClient(base_url="http://127.0.0.1:9/v3") as client:
        assert client.data_paths("N15428", "1962") == ["/data/kpi/N15428/municipality/1962"]


@pytest.mark.parametrize(
    ("kpis", "kommuner", "years"),
    [(["N1542/8"], ["1962"], None), (["N15428"], ["196"], None), (["N15428"], ["1962"], [99])],
    ids=["kpi-with-slash", "short-kommun", "short-year"],
)
def test_malformed_ids_are_refused_before_any_request(
    kpis: list[str], kommuner: list[str], years: list[int] | None
) -> None:
    """An id that cannot be a KPI id, kommun code or year raises KoladaError without a request."""
    with KoladaClient(base_url="http://127.0.0.1:9/v3") as client, pytest.raises(KoladaError):
        client.data_paths(kpis, kommuner, years)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), st.integers(0, 60))
def test_every_combination_is_asked_for_once_in_segments_of_at_most_25(
    n_kpis: int, n_kommuner: int, n_years: int
) -> None:
    """However many ids, the paths cover each (KPI, kommun, year) exactly once, 25 ids a segment."""
    kpis = [f"N{n:05d}" for n in range(n_kpis)]
    kommuner = [f"{n:04d}" for n in range(n_kommuner)]
    years = list(range(1990, 1990 + n_years)) if n_years else None
    with KoladaClient(base_url="http://127.0.0.1:9/v3") as client:
        paths = client.data_paths(kpis, kommuner, years)
    asked: list[tuple[str, str, str]] = []
    for path in paths:
        parts = path.split("/")
        segments = [
            parts[3].split(","),
            parts[5].split(","),
            parts[7].split(",") if years else [""],
        ]
        assert all(len(segment) <= 25 for segment in segments)
        asked += [(k, m, y) for k in segments[0] for m in segments[1] for y in segments[2]]
    expected = {
        (k, m, str(y) if years else "") for k in kpis for m in kommuner for y in years or [""]
    }
    assert len(asked) == len(expected) and set(asked) == expected


# --- values ----------------------------------------------------------------------


def test_sexes_in_any_order_are_kept_and_sorted(server: HTTPServer) -> None:
    """T, K and M arrive in varying order; each is kept, sorted T, K, M within a year."""
    ks.serve_norberg(server)
    with ks.client(server) as client:
        values = client.values(["N15428"], ["1962"], range(2015, 2024))
    by_year = {year: [v.gender for v in values if v.year == year] for year in (2015, 2018, 2022)}
    assert by_year == {2015: ["T", "K", "M"], 2018: ["T", "K", "M"], 2022: ["T", "K", "M"]}
    assert {(v.year, v.gender): v.value for v in values}[(2018, "M")] == "80.2"


def test_deleted_values_are_dropped_and_null_is_missing_not_zero(server: HTTPServer) -> None:
    """An isdeleted value and a null value give no value at all; nothing becomes 0."""
    ks.serve_norberg(server)
    with ks.client(server) as client:
        values = client.values(["N15428"], ["1962"], range(2015, 2024))
    keys = {(v.year, v.gender) for v in values}
    assert (2016, "K") not in keys and (2016, "T") in keys
    assert (2017, "M") not in keys and (2017, "K") in keys
    assert len(values) == 25
    assert all(v.value not in ("0", "0.0") for v in values)


def test_values_keep_the_lexical_form_kolada_wrote(server: HTTPServer) -> None:
    """79.50 stays 79.50 and 80 stays 80: the number's text is not re-formatted."""
    ks.serve_norberg(server)
    with ks.client(server) as client:
        values = {
            (v.year, v.gender): v.value
            for v in client.values(["N15428"], ["1962"], range(2015, 2024))
        }
    assert values[(2017, "T")] == "79.50"
    assert values[(2019, "T")] == "80"


def test_an_exponent_is_written_out_as_a_plain_decimal(server: HTTPServer) -> None:
    """A value like 1.5e-3 becomes 0.0015, the form xsd:decimal allows."""
    rows = [ks.data_row("N15428", "1962", 2023, ("T", 0.0015, False))]
    server.expect_request("/v3/data/kpi/N15428/municipality/1962").respond_with_data(
        '{"values": ['
        + str(rows[0]).replace("'", '"').replace("False", "false").replace("0.0015", "1.5e-3")
        + "]}",
        content_type="application/json",
    )
    with ks.client(server) as client:
        assert client.values(["N15428"], ["1962"])[0].value == "0.0015"


@pytest.mark.parametrize("bad", ["12,5", True, "..", "NaN"], ids=["comma", "bool", "dots", "nan"])
def test_a_non_numeric_value_names_kpi_kommun_and_year(server: HTTPServer, bad: object) -> None:
    """A value that is not a JSON number raises KoladaError naming the KPI, kommun and year."""
    rows = [ks.data_row("N15428", "1962", 2021, ("T", bad, False))]
    ks.serve_json(server, "/data/kpi/N15428/municipality/1962", ks.envelope(rows))
    with ks.client(server) as client, pytest.raises(KoladaError) as caught:
        client.values(["N15428"], ["1962"])
    assert all(part in str(caught.value) for part in ("N15428", "1962", "2021"))


def test_two_different_values_for_one_key_raise(server: HTTPServer) -> None:
    """The same KPI, kommun, year and sex with two different values is an error, not a guess."""
    rows = [
        ks.data_row("N15428", "1962", 2021, ("T", 74.9, False)),
        ks.data_row("N15428", "1962", 2021, ("T", 75.0, False)),
    ]
    ks.serve_json(server, "/data/kpi/N15428/municipality/1962", ks.envelope(rows))
    with ks.client(server) as client, pytest.raises(KoladaError, match=r"74\.9 och 75\.0"):
        client.values(["N15428"], ["1962"])


@pytest.mark.parametrize(
    "document",
    [
        [1, 2],
        {"count": 1},
        {"values": [1]},
        {"values": [{"kpi": "N15428", "municipality": "1962", "period": "last", "values": []}]},
        {
            "values": [
                {
                    "kpi": "N15428",
                    "municipality": "1962",
                    "period": 2023,
                    "values": [{"gender": "X", "value": 1}],
                }
            ]
        },
        {
            "values": [
                {
                    "kpi": "N15428",
                    "municipality": "1962",
                    "period": 2023,
                    "values": [{"gender": "T", "value": 1, "isdeleted": "no"}],
                }
            ]
        },
        {"values": [], "next_url": 7},
    ],
    ids=[
        "list",
        "no-values",
        "item-not-object",
        "bad-period",
        "bad-sex",
        "bad-isdeleted",
        "bad-next",
    ],
)
def test_an_answer_of_another_shape_raises(server: HTTPServer, document: object) -> None:
    """An answer that is JSON but not shaped like a v3 answer raises KoladaError naming the URL."""
    ks.serve_json(server, "/data/kpi/N15428/municipality/1962", document)
    with ks.client(server) as client, pytest.raises(KoladaError, match="form Kolada v3") as caught:
        client.values(["N15428"], ["1962"])
    assert "/data/kpi/N15428/municipality/1962" in str(caught.value)


# --- metadata and search ---------------------------------------------------------


def test_kpi_metadata_has_title_area_sex_split_and_publication(server: HTTPServer) -> None:
    """kpis() returns the title, operating area, sex split, kommun type and publication date."""
    ks.serve(server, "/kpi/N15428", "kpi-N15428.json")
    with ks.client(server) as client:
        (kpi,) = client.kpis(["N15428"])
    assert kpi.title.startswith("Elever i åk 9 som är behöriga till yrkesprogram")
    assert (kpi.operating_area, kpi.is_divided_by_gender) == ("Grundskola", True)
    assert (kpi.municipality_type, kpi.publication_date) == ("K", "2025-09-30")


def test_ids_kolada_does_not_know_are_named(server: HTTPServer) -> None:
    """Ids that return nothing raise KoladaError naming each of them."""
    ks.serve(server, "/kpi/N15428,N99998,N99999", "kpi-N15428.json")
    with ks.client(server) as client, pytest.raises(KoladaError) as caught:
        client.kpis(["N15428", "N99998", "N99999"])
    assert "N99998, N99999" in str(caught.value) and "N15428" not in str(caught.value)


@pytest.mark.parametrize(
    ("path", "item"),
    [
        ("/kpi/N15428", {"id": "N15428", "description": "no title"}),
        ("/municipality", {"id": "1962", "title": "Norberg"}),
    ],
    ids=["kpi-without-title", "municipality-without-type"],
)
def test_metadata_of_another_shape_raises(
    server: HTTPServer, path: str, item: dict[str, str]
) -> None:
    """A KPI without a title or a municipality without a type raises KoladaError naming it."""
    ks.serve_json(server, path, ks.envelope([item]))
    with ks.client(server) as client, pytest.raises(KoladaError, match="form Kolada v3"):
        client.kpis(["N15428"]) if path.startswith("/kpi") else client.municipalities()


def test_municipalities_are_listed_with_their_type(server: HTTPServer) -> None:
    """municipalities() lists kommuner (K) and regions (L) with their titles."""
    ks.serve(server, "/municipality", "municipality.json")
    with ks.client(server) as client:
        found = {m.id: (m.title, m.type) for m in client.municipalities()}
    assert found["1962"] == ("Norberg", "K") and found["0000"] == ("Riket", "L")


def test_search_sends_the_title_as_a_query_parameter(server: HTTPServer) -> None:
    """search_kpis() asks /kpi?title=… (URL-encoded) and returns the KPIs found."""
    ks.serve(
        server,
        "/kpi",
        "kpi-search-yrkesprogram.json",
        {"title": "yrkesprogram", "per_page": "5000"},
    )
    with ks.client(server) as client:
        found = client.search_kpis("yrkesprogram")
    assert [k.id for k in found] == ["N90001", "N15428", "N90002"]


def test_a_blank_search_is_refused() -> None:
    """search_kpis('  ') raises ValueError without a request."""
    with KoladaClient(base_url="http://127.0.0.1:9/v3") as client, pytest.raises(ValueError):
        client.search_kpis("  ")


# --- politeness: retries, timeouts, broken answers -----------------------------------


def test_a_429_with_retry_after_is_waited_out_then_retried(server: HTTPServer) -> None:
    """After a 429 with Retry-After the client waits that long, then succeeds on the retry."""
    server.expect_ordered_request("/v3/municipality").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0.3"}
    )
    ks.serve(server, "/municipality", "municipality.json")
    politeness = Politeness(timeout=3, max_retries=2, backoff=0, max_retry_after=5, rate=1000)
    start = time.monotonic()
    with ks.client(server, politeness=politeness) as client:
        assert len(client.municipalities()) == 10
    assert time.monotonic() - start >= 0.3
    assert len(server.log) == 2


def test_retry_after_is_capped() -> None:
    """A Retry-After over max_retry_after waits max_retry_after; an HTTP date is understood."""
    from goalgraph.kolada._http import Requester, _retry_after_seconds

    requester = Requester(None, Politeness(max_retry_after=2.0, backoff=0.5))  # type: ignore[arg-type]
    assert requester._delay(0, "3600") == 2.0
    assert requester._delay(2, None) == 2.0  # 0.5 * 2**2
    assert requester._delay(0, "nan") == 0.5  # not a usable number: back off instead
    assert _retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") is not None
    assert _retry_after_seconds("soon") is None


def test_a_500_then_success_is_retried(server: HTTPServer) -> None:
    """A 500 answer is retried and the following success is used."""
    server.expect_ordered_request("/v3/municipality").respond_with_data("oops", status=500)
    ks.serve(server, "/municipality", "municipality.json")
    with ks.client(server) as client:
        assert len(client.municipalities()) == 10
    assert len(server.log) == 2


def test_a_500_forever_gives_up_after_the_retries(server: HTTPServer) -> None:
    """A server answering 503 every time is asked max_retries + 1 times, then KoladaError."""
    server.expect_request("/v3/municipality").respond_with_data("down", status=503)
    with ks.client(server) as client, pytest.raises(KoladaError, match="3 försök") as caught:
        client.municipalities()
    assert len(server.log) == ks.FAST.max_retries + 1
    assert "/v3/municipality" in str(caught.value)


def test_a_404_is_not_retried(server: HTTPServer) -> None:
    """A 4xx answer other than 429 raises at once, naming the status and URL."""
    server.expect_request("/v3/municipality").respond_with_data("no", status=404)
    with ks.client(server) as client, pytest.raises(KoladaError, match="404"):
        client.municipalities()
    assert len(server.log) == 1


def test_a_server_that_never_answers_times_out_on_time(server: HTTPServer) -> None:
    """A handler slower than the client's total timeout raises KoladaError close to the deadline."""

    def sleepy(request: Request) -> Response:
        time.sleep(1.5)
        return Response("{}", content_type="application/json")

    server.expect_request("/v3/municipality").respond_with_handler(sleepy)
    politeness = Politeness(timeout=0.5, max_retries=0, rate=1000)
    start = time.monotonic()
    with (
        ks.client(server, politeness=politeness) as client,
        pytest.raises(KoladaError, match=r"0\.5 s"),
    ):
        client.municipalities()
    assert time.monotonic() - start < 1.2


def test_a_server_dripping_one_byte_at_a_time_cannot_hold_the_run(server: HTTPServer) -> None:
    """A body sent a byte every 0.1 s stops at the total deadline, not after the whole body."""

    def drip(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            for byte in b'{"values": [' + b" " * 40 + b"]}":
                time.sleep(0.1)
                yield bytes([byte])

        return Response(body(), content_type="application/json")

    server.expect_request("/v3/municipality").respond_with_handler(drip)
    politeness = Politeness(timeout=0.5, max_retries=0, rate=1000)
    start = time.monotonic()
    with ks.client(server, politeness=politeness) as client, pytest.raises(KoladaError):
        client.municipalities()
    assert time.monotonic() - start < 1.2


def test_a_body_shorter_than_its_content_length_is_an_error(server: HTTPServer) -> None:
    """A body cut off before Content-Length bytes raises KoladaError, never a half answer."""
    body = ks.answer("municipality.json", server)

    def cut(request: Request) -> Response:
        response = Response(body[:100], content_type="application/json")
        response.headers["Content-Length"] = str(len(body))
        return response

    server.expect_request("/v3/municipality").respond_with_handler(cut)
    with ks.client(server) as client, pytest.raises(KoladaError, match="/v3/municipality"):
        client.municipalities()


def test_json_cut_off_without_a_content_length_is_called_truncated(server: HTTPServer) -> None:
    """A chunked body that ends mid-JSON raises KoladaError saying the answer is cut off."""
    body = ks.answer("municipality.json", server)

    def chunked(request: Request) -> Response:
        return Response(iter([body[:80], body[80:150]]), content_type="application/json")

    server.expect_request("/v3/municipality").respond_with_handler(chunked)
    with ks.client(server) as client, pytest.raises(KoladaError, match="avkortat"):
        client.municipalities()


def test_malformed_json_is_an_error_naming_the_url(server: HTTPServer) -> None:
    """A body that is not JSON raises KoladaError naming the URL and the position."""
    server.expect_request("/v3/municipality").respond_with_data("<html>Service Unavailable</html>")
    with (
        ks.client(server) as client,
        pytest.raises(KoladaError, match="inte giltig JSON") as caught,
    ):
        client.municipalities()
    assert "/v3/municipality" in str(caught.value)


def test_a_closed_port_is_reported_as_unreachable_with_its_url() -> None:
    """Connection refused raises KoladaError (an EndpointError) naming the URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v3"
    with (
        KoladaClient(base_url=url, politeness=ks.FAST) as client,
        pytest.raises(EndpointError, match=rf"127\.0\.0\.1:{port}/v3/municipality"),
    ):
        client.municipalities()


def test_requests_are_spaced_by_the_rate_limit(server: HTTPServer) -> None:
    """At rate 10 per second, four requests take at least 0.3 s."""
    ks.serve(server, "/municipality", "municipality.json")
    politeness = Politeness(timeout=3, max_retries=0, rate=10)
    start = time.monotonic()
    with ks.client(server, politeness=politeness) as client:
        for _ in range(4):
            client.municipalities()
    assert time.monotonic() - start >= 0.3


@pytest.mark.parametrize("url", ["ftp://example.org/v3", "not a url", "http:///v3"])
def test_a_base_url_that_is_not_http_is_refused(url: str) -> None:
    """A base URL that is not http(s) with a host raises KoladaError naming it."""
    with pytest.raises(KoladaError):
        KoladaClient(base_url=url)


def test_the_base_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without base_url, $GOALGRAPH_KOLADA_URL is used, else the public v3 API."""
    monkeypatch.setenv("GOALGRAPH_KOLADA_URL", "http://127.0.0.1:9/mirror/")
    with KoladaClient() as client:
        assert client.base_url == "http://127.0.0.1:9/mirror"
    monkeypatch.delenv("GOALGRAPH_KOLADA_URL")
    with KoladaClient() as client:
        assert client.base_url == "https://api.kolada.se/v3"


# --- cache -------------------------------------------------------------------------


def test_a_second_run_works_offline_from_the_cache(tmp_path: Path) -> None:
    """With the server stopped, a second client with the same cache gets the same values."""
    server = ks.start()
    ks.serve_norberg(server)
    with ks.client(server, tmp_path) as client:
        first = client.values(["N15428"], ["1962"], range(2015, 2024))
    url = ks.base(server)
    server.stop()
    with KoladaClient(base_url=url, cache=ResponseCache(tmp_path), politeness=ks.FAST) as client:
        assert client.values(["N15428"], ["1962"], range(2015, 2024)) == first
    with (
        KoladaClient(
            base_url=url, cache=ResponseCache(tmp_path), refresh=True, politeness=ks.FAST
        ) as client,
        pytest.raises(KoladaError, match="kunde inte nås"),
    ):
        client.values(["N15428"], ["1962"], range(2015, 2024))


def test_refresh_fetches_again_once_per_client(server: HTTPServer, tmp_path: Path) -> None:
    """refresh=True asks the server again (once per URL and client) and replaces the entry."""
    ks.serve(server, "/municipality", "municipality.json")
    with ks.client(server, tmp_path) as client:
        client.municipalities()
        client.municipalities()
    assert len(server.log) == 1
    with ks.client(server, tmp_path, refresh=True) as client:
        client.municipalities()
        client.municipalities()
    assert len(server.log) == 2


def test_a_broken_answer_is_never_cached(server: HTTPServer, tmp_path: Path) -> None:
    """An answer that failed to parse leaves no cache entry, so the next run asks again."""
    server.expect_ordered_request("/v3/municipality").respond_with_data("{broken")
    ks.serve(server, "/municipality", "municipality.json")
    with ks.client(server, tmp_path) as client, pytest.raises(KoladaError):
        client.municipalities()
    assert not list(tmp_path.glob("*.json"))
    with ks.client(server, tmp_path) as client:
        assert len(client.municipalities()) == 10


def test_cache_entries_are_keyed_by_url_and_keep_the_fetch_time(tmp_path: Path) -> None:
    """An entry is found only for its own URL, and remembers when it was fetched."""
    cache = ResponseCache(tmp_path / "new")
    cache.put("https://a/v3/kpi", b'{"values": []}', fetched_at="2025-01-31T08:00:00Z")
    assert cache.get("https://a/v3/kpi?x=1") is None
    entry = cache.get("https://a/v3/kpi")
    assert entry is not None and entry.fetched_at == "2025-01-31T08:00:00Z"
    assert not list((tmp_path / "new").glob("*.tmp"))


def test_an_unreadable_cache_entry_counts_as_missing(tmp_path: Path) -> None:
    """A damaged cache file is ignored (and later replaced) rather than trusted."""
    cache = ResponseCache(tmp_path)
    cache.put("https://a/v3/kpi", b'{"values": []}', fetched_at="2025-01-31T08:00:00Z")
    (entry,) = tmp_path.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert cache.get("https://a/v3/kpi") is None


def test_an_unwritable_cache_folder_is_a_clear_error(tmp_path: Path) -> None:
    """A cache folder that cannot be created raises KoladaError naming the folder."""
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(KoladaError, match=str(blocker)):
        ResponseCache(blocker / "cache").put("u", b"{}", fetched_at="2025-01-31T08:00:00Z")


def test_the_default_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without $GOALGRAPH_KOLADA_CACHE the cache is $XDG_CACHE_HOME/goalgraph/kolada."""
    from goalgraph.kolada import default_cache_dir

    monkeypatch.delenv("GOALGRAPH_KOLADA_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/tmp/xdg")
    assert default_cache_dir() == Path("/tmp/xdg/goalgraph/kolada")
    monkeypatch.setenv("GOALGRAPH_KOLADA_CACHE", "/tmp/elsewhere")
    assert default_cache_dir() == Path("/tmp/elsewhere")
