"""`query --endpoint` on any SPARQL server: goalgraph's layout if there, else the server as it is.

A user's own server (Wikidata-like) holds its triples in its default graph,
without goalgraph's vocabulary graph; ``goalgraph query --endpoint`` must work
there without ``--default-graph``, and say that it read the default dataset.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from goalgraph import load
from goalgraph.cli import app
from goalgraph.endpoint import Endpoint
from goalgraph.errors import ResultsCut
from goalgraph.query_library import run_query
from goalgraph.store.remote import MAX_ROWS_HEADER, RemoteGraph
from sparql_servers import EXAMPLE_FILES, SparqlServer, dataset, start
from support import serve_answers, sparql_answer

VETLANDA = EXAMPLE_FILES[0]
runner = CliRunner()
#: an answer of two rows, for a server that announces a cap of two
_CUT = sparql_answer(["x"], [{"x": f"http://x/{i}"} for i in range(2)])


def _plain(path: Path) -> bytes:
    """N-Quads with every triple of *path* and the vocabulary in the default graph only."""
    graph = load(path)
    triples = [*graph.triples(("data",)), *graph.triples(("vocabulary",))]
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """An Oxigraph server holding Vetlanda and the vocabulary in its default graph, no layout."""
    server = start("oxigraph", tmp_path_factory.mktemp("plain"), _plain(VETLANDA), memory=True)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def layout_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """An Oxigraph server holding Vetlanda in goalgraph's layout (as push writes it)."""
    folder = tmp_path_factory.mktemp("layout")
    server = start("oxigraph", folder, dataset([VETLANDA]), memory=True)
    try:
        yield server
    finally:
        server.stop()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _embedded_rows() -> list[dict[str, str]]:
    frame = run_query(load(VETLANDA), "goals", {})
    return _rows(frame.to_csv(index=False))


def test_a_server_without_the_layout_is_told_apart(
    plain_server: SparqlServer, layout_server: SparqlServer
) -> None:
    """has_layout is false for a server without goalgraph's vocabulary graph, true with it."""
    assert not RemoteGraph(plain_server.query_url, timeout=10).store.has_layout()
    assert RemoteGraph(layout_server.query_url, timeout=10).store.has_layout()


def test_query_on_a_server_without_the_layout_reads_its_default_dataset(
    plain_server: SparqlServer,
) -> None:
    """Without --default-graph, a plain server's default graph answers, and a note says so."""
    result = runner.invoke(
        app,
        ["--lang", "en", "query", "goals", "--endpoint", plain_server.query_url, "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert "default dataset" in result.stderr
    rows = _rows(result.stdout)
    assert rows and sorted(map(str, rows)) == sorted(map(str, _embedded_rows()))


def test_query_on_a_server_with_the_layout_reads_the_layout_without_a_note(
    layout_server: SparqlServer,
) -> None:
    """A server holding goalgraph's layout is read as the embedded store, with no note."""
    result = runner.invoke(
        app,
        [
            "--lang",
            "en",
            "query",
            "goals",
            "--endpoint",
            layout_server.query_url,
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "default dataset" not in result.stderr
    assert sorted(map(str, _rows(result.stdout))) == sorted(map(str, _embedded_rows()))


def test_validate_on_a_server_without_the_layout_names_the_missing_vocabulary(
    plain_server: SparqlServer,
) -> None:
    """Commands that need goalgraph's layout still say the vocabulary graph is missing."""
    result = runner.invoke(app, ["--lang", "en", "validate", "--endpoint", plain_server.query_url])
    assert result.exit_code == 2
    assert "no goalgraph vocabulary graph" in result.output


def test_a_row_cap_on_a_server_without_the_layout_is_reported(httpserver: HTTPServer) -> None:
    """A plain server announcing X-SPARQL-MaxRows and answering that many rows is an error."""
    empty = sparql_answer(["s"], [])
    received = serve_answers(httpserver, [(empty, {}), (_CUT, {MAX_ROWS_HEADER: "2"})])
    url = httpserver.url_for("/query")
    result = runner.invoke(app, ["--lang", "en", "query", "goals", "--endpoint", url])
    assert result.exit_code == 2, result.output
    assert "2 rows" in result.output and url in result.output
    assert "FROM" not in received[1]["query"]  # the query ran on the server's default dataset


def test_a_row_cap_is_reported_with_default_graphs_too(httpserver: HTTPServer) -> None:
    """query --endpoint --default-graph and Endpoint.select check the row cap like any query."""
    graph = "https://example.org/graph/mine"
    received = serve_answers(httpserver, [(_CUT, {MAX_ROWS_HEADER: "2"})])
    url = httpserver.url_for("/query")
    result = runner.invoke(
        app, ["--lang", "en", "query", "goals", "--endpoint", url, "--default-graph", graph]
    )
    assert result.exit_code == 2, result.output
    assert "cut its answer at 2 rows" in result.output and url in result.output
    with pytest.raises(ResultsCut, match="2 rader"):
        Endpoint(url, default_graphs=[graph], timeout=5).select("SELECT ?x WHERE { ?x ?p ?o }")
    # the chosen graphs went with every request
    assert [form.getlist("default-graph-uri") for form in received] == [[graph], [graph]]


def test_a_service_clause_sent_to_an_endpoint_needs_allow_service(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """query --endpoint refuses a SERVICE query before any request, and sends it with the flag."""
    received = serve_answers(httpserver, [(sparql_answer(["s"], []), {})])
    url = httpserver.url_for("/query")
    query = tmp_path / "remote.rq"
    query.write_text(
        "# Things a federated service knows.\n"
        "SELECT ?s WHERE { SERVICE <http://example.invalid/sparql> { ?s ?p ?o } }\n",
        encoding="utf-8",
    )
    base = ["--lang", "en", "query", str(query), "--endpoint", url, "--default-graph", "urn:g"]
    refused = runner.invoke(app, base)
    assert refused.exit_code == 2 and "SERVICE" in refused.output
    assert received == []
    allowed = runner.invoke(app, [*base, "--allow-service"])
    assert allowed.exit_code == 0, allowed.output
    assert len(received) == 1 and "SERVICE <http://example.invalid/sparql>" in received[0]["query"]
