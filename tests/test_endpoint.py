"""Tests of goalgraph.endpoint against a real oxigraph server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from goalgraph import EndpointError, QueryError, load
from goalgraph.endpoint import Endpoint, with_values
from goalgraph.graph import GoalGraph
from goalgraph.query_library import queries, run_query
from support import HOSTILE_VALUES, QUERY_PARAMS

DATA = Path(__file__).parent / "data" / "analysis"
EXAMPLES = Path(__file__).parent.parent / "examples"

pytestmark = pytest.mark.skipif(
    shutil.which("oxigraph") is None, reason="oxigraph server not installed"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def example_dirs() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*") if p.is_dir() and any(p.rglob("*.ttl")))


def everything() -> GoalGraph:
    """Every shipped example in one graph (the fixture until they exist; it reuses their IRIs)."""
    return load(*example_dirs()) if example_dirs() else load(DATA / "mini.ttl")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh oxigraph server on a free local port; its base URL."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [
            "oxigraph",
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def graph() -> GoalGraph:
    return everything()


@pytest.fixture(scope="session")
def endpoint(server: str, graph: GoalGraph) -> Endpoint:
    """The server loaded with the same data and vocabulary as *graph*."""
    remote = Endpoint(
        f"{server}/query", update_url=f"{server}/update", store_url=f"{server}/store", timeout=20
    )
    assert remote.upload(graph) == len(graph) + graph.count("vocabulary")
    return remote


@pytest.mark.parametrize("query", queries(), ids=lambda q: q.name)
def test_every_query_gives_the_same_answer_embedded_and_on_the_server(
    graph: GoalGraph, endpoint: Endpoint, query
) -> None:
    """Each library query, unchanged, answers the same on pyoxigraph and on a SPARQL endpoint."""
    embedded = run_query(graph, query, QUERY_PARAMS.get(query.name))
    remote = run_query(endpoint, query, QUERY_PARAMS.get(query.name))
    assert not embedded.empty
    assert embedded.equals(remote)


@pytest.mark.parametrize("example", example_dirs(), ids=lambda p: p.name)
def test_every_query_gives_the_same_answer_per_example_kommun(
    graph: GoalGraph, endpoint: Endpoint, example: Path
) -> None:
    """With the example's kommun as parameter every query agrees between store and server."""
    codes = {
        r["c"].value
        for r in load(example).select(
            "SELECT ?c WHERE { GRAPH <https://w3id.org/goalgraph/graph/data> "
            "{ ?x gg:municipality ?k } "
            "?k gg:municipalityCode ?c }"
        )
    }
    assert codes
    for code in codes:
        for query in queries():
            params = dict(QUERY_PARAMS.get(query.name, {}))
            if any(p.name == "kommun" for p in query.params):
                params["kommun"] = code
            if query.name == "sdg-coverage-compare":
                params["kommun_a"] = code
            assert run_query(graph, query, params).equals(run_query(endpoint, query, params)), (
                query.name
            )


@pytest.mark.parametrize("hostile", HOSTILE_VALUES)
def test_a_hostile_parameter_cannot_change_the_remote_query(
    endpoint: Endpoint, hostile: str
) -> None:
    """Injection attempts bound through VALUES match nothing and leave the server's data intact."""
    before = run_query(endpoint, "goals-per-kommun")
    assert run_query(endpoint, "goals-per-kommun", {"kommun": hostile}).empty
    assert run_query(endpoint, "goals-for-sdg-target", {"target": hostile}).empty
    assert run_query(endpoint, "goals-per-kommun").equals(before)


def test_select_returns_rdf_terms(endpoint: Endpoint) -> None:
    """select() gives variables and rows of pyoxigraph terms, bindings included."""
    variables, rows = endpoint.select(
        "SELECT ?code ?k WHERE { ?k <https://w3id.org/goalgraph/ontology#municipalityCode> ?code }",
        bindings={"code": ox.Literal("0685")},
    )
    assert variables == ["code", "k"]
    assert rows == [
        {
            "code": ox.Literal("0685"),
            "k": ox.NamedNode("https://w3id.org/goalgraph/ref/kommun/0685"),
        }
    ]


def test_upload_by_sparql_update_without_a_store_url(server: str) -> None:
    """Without a Graph Store URL, upload() falls back to INSERT DATA."""
    graph = GoalGraph()
    graph.add(
        [
            ox.Triple(
                ox.NamedNode("urn:goalgraph:test"),
                ox.NamedNode("urn:goalgraph:p"),
                ox.Literal('a "quoted" value'),
            )
        ]
    )
    remote = Endpoint(f"{server}/query", update_url=f"{server}/update")
    assert remote.upload(graph, graphs=("data",)) == 1
    _, rows = remote.select("SELECT ?o WHERE { <urn:goalgraph:test> <urn:goalgraph:p> ?o }")
    assert rows == [{"o": ox.Literal('a "quoted" value')}]


def test_an_unreachable_endpoint_names_the_url() -> None:
    """A closed port gives EndpointError naming the URL, not a traceback from urllib."""
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError, match=url.replace(".", r"\.")):
        Endpoint(url, timeout=2).select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_a_query_the_server_refuses_is_a_query_error_naming_the_url(endpoint: Endpoint) -> None:
    """A query the server rejects (HTTP 400) is a QueryError naming the URL and the reason."""
    with pytest.raises(QueryError, match="400") as caught:
        endpoint.select("SELECT * WHERE { ?s ?p }")
    assert endpoint.url in str(caught.value)


def test_update_without_an_update_url_is_refused() -> None:
    """update() needs an update URL."""
    with pytest.raises(EndpointError, match="update"):
        Endpoint("http://127.0.0.1:9/query").update("CLEAR ALL")


def test_values_block_goes_into_the_outermost_group() -> None:
    """with_values skips braces in comments, strings and IRIs and escapes the values."""
    query = '# { not here\nPREFIX x: <http://e/x#>\nSELECT ?a (STR("{") AS ?b) WHERE { ?s ?p "}" }'
    bound = with_values(query, {"a": ox.Literal('v"} DROP ALL')})
    assert bound.split("\n")[3] == '  VALUES (?a) { ("v\\"} DROP ALL") }'
    assert bound.endswith(' ?s ?p "}" }')


def test_values_refuses_bad_variable_names() -> None:
    """A variable name that is not a SPARQL name raises QueryError."""
    with pytest.raises(QueryError):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"o) } DROP ALL {(": ox.Literal("x")})


def test_a_silent_endpoint_times_out_with_an_endpoint_error() -> None:
    """A server that accepts the connection but never answers gives EndpointError in time."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        started = time.monotonic()
        with pytest.raises(EndpointError, match=r"127\.0\.0\.1"):
            Endpoint(url, timeout=1).select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        assert time.monotonic() - started < 10


def test_the_query_command_runs_on_the_endpoint(graph: GoalGraph, endpoint: Endpoint) -> None:
    """goalgraph query --endpoint prints the same rows as the embedded run."""
    import json

    from typer.testing import CliRunner

    from goalgraph.cli import app
    from goalgraph.gaps import records

    result = CliRunner().invoke(
        app, ["query", "goals-per-kommun", "--endpoint", endpoint.url, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"] == records(run_query(graph, "goals-per-kommun"))
    vocabulary_only = CliRunner().invoke(
        app,
        [
            "query",
            "goals-per-kommun",
            "--endpoint",
            endpoint.url,
            "-f",
            "json",
            "--default-graph",
            "https://w3id.org/goalgraph/graph/vocabulary",
        ],
    )
    assert json.loads(vocabulary_only.output)["rows"] == []


def test_default_graphs_choose_what_the_query_reads(endpoint: Endpoint) -> None:
    """With only the vocabulary graph as default graph, no goal is found; with data too, all are."""
    data = "https://w3id.org/goalgraph/graph/data"
    vocabulary = "https://w3id.org/goalgraph/graph/vocabulary"
    only_vocabulary = Endpoint(endpoint.url, default_graphs=[vocabulary])
    assert run_query(only_vocabulary, "goals-per-kommun").empty
    both = Endpoint(endpoint.url, default_graphs=[data, vocabulary])
    assert run_query(both, "goals-per-kommun").equals(run_query(endpoint, "goals-per-kommun"))


def test_chosen_default_graphs_on_a_real_server_get_the_known_row_cap_check(
    endpoint: Endpoint,
) -> None:
    """On Oxigraph, default graphs and a known row cap: as many rows as the cap is ResultsCut."""
    from goalgraph.errors import ResultsCut
    from goalgraph.store.remote import RemoteGraph

    chosen = [
        "https://w3id.org/goalgraph/graph/data",
        "https://w3id.org/goalgraph/graph/vocabulary",
    ]
    full = run_query(Endpoint(endpoint.url, default_graphs=chosen), "goals")
    assert len(full) > 1

    def capped(cap: int) -> RemoteGraph:
        return RemoteGraph(endpoint.url, as_is=True, default_graphs=chosen, row_cap=cap)

    with pytest.raises(ResultsCut, match=str(len(full))):
        run_query(capped(len(full)), "goals")
    assert run_query(capped(len(full) + 1), "goals").equals(full)
    with pytest.raises(ValueError, match="as_is"):
        RemoteGraph(endpoint.url, default_graphs=chosen)
