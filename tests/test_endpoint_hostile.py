"""A hostile or broken SPARQL endpoint gives an EndpointError naming its URL, in time.

The servers are real, on 127.0.0.1 (tests/bad_servers.py); nothing is mocked.
"""

from __future__ import annotations

import json
import socket
import time
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from goalgraph import EndpointError
from goalgraph.cli import app
from goalgraph.endpoint import Endpoint, _solutions, with_values

if TYPE_CHECKING:
    from bad_servers import BadServer

pytest_plugins = ["bad_servers"]

QUERY = "SELECT ?x WHERE { ?x ?p ?o }"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_well_formed_answer_gives_its_rows(bad_http: BadServer) -> None:
    """The stand-in's well-formed answer is read as variables and RDF terms."""
    variables, rows = Endpoint(f"{bad_http.url}/ok", timeout=5).select(QUERY)
    assert variables == ["x"]
    assert [row["x"].value for row in rows] == ["http://example.org/a"]


@pytest.mark.parametrize("path", ["/drip", "/drip-headers", "/silent"])
def test_the_timeout_bounds_the_whole_request(bad_http: BadServer, path: str) -> None:
    """A server dripping one byte a second (body or headers) is cut off at the timeout."""
    url = f"{bad_http.url}{path}"
    started = time.monotonic()
    with pytest.raises(EndpointError, match=url) as caught:
        Endpoint(url, timeout=1.5).select(QUERY)
    elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 4, elapsed
    assert "1.5 s" in str(caught.value)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/malformed", "JSON"),
        ("/html", "text/html"),
        ("/xml-bomb", "sparql-results+xml"),
        ("/no-head", "head.vars"),
        ("/wrong-shape", "head.vars"),
        ("/no-bindings", "results.bindings"),
        ("/bad-iri", "not an iri <at all>"),
        ("/bad-lang", "?x = hej"),
        ("/bad-type", "quantum"),
        ("/cut-off", "1000"),
        ("/unauthorized", "GOALGRAPH_ENDPOINT_USER"),
        ("/error", "500"),
        ("/no-such-path", "404"),
    ],
)
def test_a_broken_answer_is_an_endpoint_error_naming_the_url(
    bad_http: BadServer, path: str, words: str
) -> None:
    """Malformed JSON, missing fields, invalid terms, a short body or an HTTP error all say so."""
    url = f"{bad_http.url}{path}"
    with pytest.raises(EndpointError) as caught:
        Endpoint(url, timeout=5).select(QUERY)
    text = str(caught.value)
    assert url in text
    assert words in text, text


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.invalid/sparql", "localhost:7878/query", "http://"],
)
def test_a_url_that_is_not_http_is_refused(url: str) -> None:
    """file:, ftp:, a missing scheme or host: refused before anything is opened."""
    with pytest.raises(EndpointError, match="http"):
        Endpoint(url)
    with pytest.raises(EndpointError, match="http"):
        Endpoint("http://127.0.0.1:9/query", update_url=url)
    with pytest.raises(EndpointError, match="http"):
        Endpoint("http://127.0.0.1:9/query", store_url=url)


def test_an_http_url_is_accepted() -> None:
    """http and https URLs with a host make an endpoint (nothing is sent yet)."""
    assert Endpoint("HTTPS://example.invalid/sparql").url == "HTTPS://example.invalid/sparql"


def test_a_closed_port_is_an_endpoint_error() -> None:
    """Nobody listening: EndpointError naming the URL, at once."""
    url = f"http://127.0.0.1:{closed_port()}/sparql"
    with pytest.raises(EndpointError, match=url):
        Endpoint(url, timeout=5).select(QUERY)


def test_an_update_to_a_dripping_server_is_cut_off_too(bad_http: BadServer) -> None:
    """update() keeps the same deadline as select()."""
    endpoint = Endpoint(f"{bad_http.url}/ok", update_url=f"{bad_http.url}/drip", timeout=1)
    started = time.monotonic()
    with pytest.raises(EndpointError, match="/drip"):
        endpoint.update("CLEAR ALL")
    assert time.monotonic() - started < 4


def test_the_query_command_stops_a_dripping_endpoint(bad_http: BadServer) -> None:
    """goalgraph query --endpoint … --timeout 1 ends with exit 2 and one paragraph."""
    url = f"{bad_http.url}/drip"
    started = time.monotonic()
    result = CliRunner().invoke(
        app, ["--lang", "en", "query", "goals", "--endpoint", url, "--timeout", "1"]
    )
    assert result.exit_code == 2, result.output
    assert url in result.output and "1 s" in result.output
    assert "Traceback" not in result.output
    assert time.monotonic() - started < 5


def test_the_query_command_refuses_a_file_url() -> None:
    """--endpoint file:///etc/passwd is refused with exit 2, nothing read."""
    result = CliRunner().invoke(
        app, ["--lang", "en", "query", "goals", "--endpoint", "file:///etc/passwd"]
    )
    assert result.exit_code == 2
    assert "file:///etc/passwd" in result.output and "root:" not in result.output


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["head", "vars", "results", "bindings", "type", "value", "x", "xml:lang"]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(document=_JSON)
def test_any_json_answer_gives_rows_or_an_endpoint_error(document: object) -> None:
    """Whatever JSON an endpoint sends, reading it raises nothing but EndpointError."""
    body = json.dumps(document).encode()
    try:
        variables, rows = _solutions("http://example.invalid/q", body, "application/json")
    except EndpointError as exc:
        assert "http://example.invalid/q" in str(exc)
    else:
        assert all(isinstance(v, str) for v in variables)
        assert all(isinstance(row, dict) for row in rows)


def test_an_answer_over_the_input_limit_is_refused(
    bad_http: BadServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An endpoint's answer is an input: over GOALGRAPH_MAX_INPUT_SIZE it is an EndpointError."""
    monkeypatch.setenv("GOALGRAPH_MAX_INPUT_SIZE", "20")
    url = f"{bad_http.url}/ok"
    with pytest.raises(EndpointError, match="GOALGRAPH_MAX_INPUT_SIZE") as caught:
        Endpoint(url, timeout=5).select(QUERY)
    assert url in str(caught.value) and "20 B" in str(caught.value)
    monkeypatch.setenv("GOALGRAPH_MAX_INPUT_SIZE", "1KB")
    assert Endpoint(url, timeout=5).select(QUERY)[0] == ["x"]


@pytest.mark.parametrize(
    ("query", "tail"),
    [
        ("# a note\rSELECT ?k WHERE { ?s ?p ?k }", " ?s ?p ?k }"),
        ('SELECT ?k WHERE { ?s ?p "{ not here" ; ?q ?k }', ' ?s ?p "{ not here" ; ?q ?k }'),
        ("PREFIX e: <http://e/x#> SELECT ?k WHERE { ?s e:p ?k }", " ?s e:p ?k }"),
    ],
)
def test_values_go_into_the_first_group_of_code(query: str, tail: str) -> None:
    """The VALUES block follows the first brace of code: not in a \\r-ended comment, a string
    or an IRI."""
    bound = with_values(query, {"k": ox.Literal("v")})
    assert bound.endswith('\n  VALUES (?k) { ("v") }\n' + tail), bound
