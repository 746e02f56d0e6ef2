"""Push through the Graph Store Protocol: to a real Oxigraph server, and refusals on 127.0.0.1."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import goalgraph as gg
from goalgraph.errors import LoadError, PushError
from goalgraph.graph import VOCABULARY_GRAPH
from goalgraph.store.push import push
from goalgraph.store.source_graphs import source_graph
from sparql_servers import SparqlServer, running
from support import run_cli

EXAMPLES = Path(__file__).parent.parent / "examples"
VETLANDA = EXAMPLES / "vetlanda" / "vetlanda.ttl"
NORBERG = EXAMPLES / "norberg" / "csv"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """An empty Oxigraph server on 127.0.0.1 for this module."""
    with running("oxigraph", tmp_path_factory.mktemp("push"), b"") as server:
        yield server


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials from the caller's environment or ~/.netrc leak into a test."""
    monkeypatch.delenv("GOALGRAPH_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("GOALGRAPH_ENDPOINT_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def _count(server: SparqlServer, graph: str) -> int:
    answer = httpx.post(
        server.query_url,
        data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_push_writes_each_source_and_the_vocabulary_to_graphs_of_their_own(
    oxigraph: SparqlServer,
) -> None:
    """Each source lands in its source graph, the vocabulary in its own graph, all complete."""
    assert oxigraph.store_url is not None
    written = push(VETLANDA, NORBERG, endpoint=oxigraph.store_url, replace=True)
    graphs = [w.graph for w in written]
    assert graphs == [
        VOCABULARY_GRAPH.value,
        source_graph(VETLANDA).value,
        source_graph(NORBERG).value,
    ]
    assert _count(oxigraph, graphs[1]) == len(gg.load(VETLANDA))
    assert _count(oxigraph, graphs[2]) == len(gg.load(NORBERG))
    assert _count(oxigraph, graphs[0]) == gg.load().count("vocabulary")


def test_a_second_push_leaves_the_same_triples_blank_nodes_included(
    oxigraph: SparqlServer,
) -> None:
    """Pushing data with blank nodes twice (POST) adds nothing the second time."""
    assert oxigraph.store_url is not None
    graph = "https://example.org/graph/twice"
    first = push(VETLANDA, endpoint=oxigraph.store_url, graph=graph, vocabulary=False)
    assert first[0].method == "POST"
    count = _count(oxigraph, graph)
    push(VETLANDA, endpoint=oxigraph.store_url, graph=graph, vocabulary=False)
    assert _count(oxigraph, graph) == count == len(gg.load(VETLANDA))


def test_replace_makes_the_graph_exactly_the_new_content(
    oxigraph: SparqlServer, tmp_path: Path
) -> None:
    """With replace, a graph that held other triples afterwards holds only the new ones."""
    assert oxigraph.store_url is not None
    graph = "https://example.org/graph/replaced"
    other = tmp_path / "other.nt"
    other.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    push(VETLANDA, endpoint=oxigraph.store_url, graph=graph, vocabulary=False)
    push(other, endpoint=oxigraph.store_url, graph=graph, replace=True, vocabulary=False)
    assert _count(oxigraph, graph) == 1


def test_the_push_command_prints_what_it_wrote(oxigraph: SparqlServer) -> None:
    """`goalgraph push` names each graph written and exits 0."""
    assert oxigraph.store_url is not None
    done = run_cli(
        "--lang", "en", "push", str(VETLANDA), "--endpoint", oxigraph.store_url, "--replace"
    )
    assert done.returncode == 0, done.stderr
    assert f"Wrote {source_graph(VETLANDA).value}" in done.stderr


def test_a_bad_source_sends_nothing(httpserver: HTTPServer, tmp_path: Path) -> None:
    """A malformed file stops the push before any request reaches the server."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .", encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad\.ttl"):
        push(VETLANDA, bad, endpoint=httpserver.url_for("/store"))
    assert len(httpserver.log) == 0


@pytest.mark.parametrize("status", [403, 405])
def test_a_server_that_refuses_writes_is_quoted(httpserver: HTTPServer, status: int) -> None:
    """A 403 or 405 names the URL and graph and quotes the server's own text; nothing written."""
    httpserver.expect_request("/store").respond_with_data(
        "writes are disabled on this dataset", status=status
    )
    url = httpserver.url_for("/store")
    with pytest.raises(PushError) as caught:
        push(VETLANDA, endpoint=url, vocabulary=False)
    text = str(caught.value)
    assert url in text
    assert "writes are disabled on this dataset" in text
    assert f"HTTP {status}" in text
    assert source_graph(VETLANDA).value in text


def test_missing_credentials_say_where_to_put_them(httpserver: HTTPServer) -> None:
    """A 401 asks for GOALGRAPH_ENDPOINT_USER/PASSWORD or ~/.netrc, never a command-line option."""
    httpserver.expect_request("/store").respond_with_data("login required", status=401)
    with pytest.raises(PushError, match="GOALGRAPH_ENDPOINT_USER") as caught:
        push(VETLANDA, endpoint=httpserver.url_for("/store"), vocabulary=False)
    assert "login required" in str(caught.value)


def test_credentials_come_from_the_environment(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With GOALGRAPH_ENDPOINT_USER/PASSWORD set, every request carries them as Basic auth."""
    monkeypatch.setenv("GOALGRAPH_ENDPOINT_USER", "kommun")
    monkeypatch.setenv("GOALGRAPH_ENDPOINT_PASSWORD", "hemligt")
    expected = httpx.BasicAuth("kommun", "hemligt")._auth_header
    httpserver.expect_request("/store", headers={"Authorization": expected}).respond_with_data(
        "", status=204
    )
    assert len(push(VETLANDA, endpoint=httpserver.url_for("/store"))) == 2
    assert len(httpserver.log) == 2


def test_a_failure_after_some_graphs_says_which_were_written(httpserver: HTTPServer) -> None:
    """When the second graph fails, the error lists the graph already written and those not."""

    def answer(request: Request) -> Response:
        if request.args["graph"] == VOCABULARY_GRAPH.value:
            return Response("", status=204)
        return Response("disk full", status=500)

    httpserver.expect_request("/store").respond_with_handler(answer)
    with pytest.raises(PushError) as caught:
        push(VETLANDA, NORBERG, endpoint=httpserver.url_for("/store"))
    text = str(caught.value)
    assert "disk full" in text
    assert f"Redan skrivna: {VOCABULARY_GRAPH.value}" in text
    assert f"Inte skrivna: {source_graph(NORBERG).value}" in text


def test_a_server_that_never_answers_times_out_for_the_whole_request() -> None:
    """A server that accepts but never answers gives a timeout error within the deadline."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []

    def accept() -> None:
        connection, _ = listener.accept()
        accepted.append(connection)  # held open, never answered

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/store"
    start = time.monotonic()
    try:
        with pytest.raises(PushError, match=r"1\.0 s") as caught:
            push(VETLANDA, endpoint=url, vocabulary=False, timeout=1.0)
        assert time.monotonic() - start < 5
        assert url in str(caught.value)
    finally:
        for connection in accepted:
            connection.close()
        listener.close()


def test_an_unreachable_server_is_named(tmp_path: Path) -> None:
    """Nothing listening at the URL gives an error naming it, from the CLI without a traceback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/store"
    done = run_cli("--lang", "en", "push", str(VETLANDA), "--endpoint", url, "--timeout", "5")
    assert done.returncode == 2
    assert url in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("endpoint", "graph"),
    [("ftp://example.org/store", None), ("http://127.0.0.1:1/store", "relative/graph")],
)
def test_a_wrong_url_or_graph_is_refused_before_reading(endpoint: str, graph: str | None) -> None:
    """A non-HTTP endpoint or a relative graph IRI is an error before anything is parsed or sent."""
    with pytest.raises(PushError, match=re.escape(graph or endpoint)):
        push(EXAMPLES / "missing.ttl", endpoint=endpoint, graph=graph)
