"""A hostile SPARQL server behind a remote store: a deadline on each whole answer, a size limit."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import httpx
import pytest

from goalgraph import EndpointError
from goalgraph.store.answers import posted
from goalgraph.store.remote import RemoteGraph

if TYPE_CHECKING:
    from bad_servers import BadServer

pytest_plugins = ["bad_servers"]


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_a_dripping_server_is_cut_off_at_the_remote_store_timeout(
    bad_http: BadServer, path: str
) -> None:
    """A server dripping one byte a second is given up after the timeout for the whole answer."""
    url = f"{bad_http.url}{path}"
    graph = RemoteGraph(url, timeout=1.5)
    started = time.monotonic()
    with pytest.raises(EndpointError, match=url) as caught:
        graph.count()
    elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 4, elapsed
    assert "1.5 s" in str(caught.value)


def test_a_remote_answer_over_the_input_limit_is_refused(
    bad_http: BadServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer over GOALGRAPH_MAX_INPUT_SIZE is an EndpointError naming the limit, not read on."""
    monkeypatch.setenv("GOALGRAPH_MAX_INPUT_SIZE", "20")
    graph = RemoteGraph(f"{bad_http.url}/ok", timeout=5)
    with pytest.raises(EndpointError, match="GOALGRAPH_MAX_INPUT_SIZE"):
        graph.count()


def test_a_whole_answer_within_the_limits_is_read(bad_http: BadServer) -> None:
    """A well-formed answer under the deadline and the size limit comes back whole."""
    with httpx.Client() as client:
        answer = posted(client, f"{bad_http.url}/ok", {"query": "ASK {}"}, timeout=5)
    assert answer.status == 200
    assert '"http://example.org/a"' in answer.text


@pytest.mark.parametrize("url", ["localhost:7878/query", "file:///etc/passwd", "ftp://x/q"])
def test_a_remote_store_url_that_is_not_http_is_refused(url: str) -> None:
    """A URL without http(s) is refused when the remote graph is made, naming the URL."""
    with pytest.raises(EndpointError, match="http"):
        RemoteGraph(url)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/malformed", "JSON"),
        ("/no-head", "head.vars"),
        ("/bad-iri", "not an iri"),
        ("/html", "text/html"),
    ],
)
def test_a_broken_answer_to_a_remote_store_names_what_is_wrong(
    bad_http: BadServer, path: str, words: str
) -> None:
    """A remote store checks each answer as Endpoint does: the error names the URL and the fault."""
    url = f"{bad_http.url}{path}"
    with pytest.raises(EndpointError, match=url) as caught:
        RemoteGraph(url, timeout=5).count()
    assert words in str(caught.value)
