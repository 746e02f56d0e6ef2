"""The remote store's own behaviour: datasets written into queries, row caps, errors naming the URL.

A local pytest-httpserver plays the SPARQL server, replaying canned answers.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from pytest_httpserver import HTTPServer

from goalgraph.endpoint import Endpoint
from goalgraph.errors import EndpointError, QueryError, RemoteUnavailable, ResultsCut
from goalgraph.graph import DATA_GRAPH, VOCABULARY_GRAPH, GoalGraph
from goalgraph.store.datasets import with_data_graphs, with_dataset
from goalgraph.store.remote import (
    MAX_ROWS_HEADER,
    RemoteGraph,
    as_graph,
)
from support import serve_answers, sparql_answer

_SOURCE = "https://w3id.org/goalgraph/graph/source/a"


def _graphs(*names: str) -> dict[str, Any]:
    return sparql_answer(["g"], [{"g": g} for g in names])


def _count(n: int) -> dict[str, Any]:
    value = {"type": "literal", "value": str(n)}
    return {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": value}]}}


def test_a_dataset_goes_before_where_as_from_clauses() -> None:
    """FROM and FROM NAMED clauses are placed before the WHERE keyword, or the group without it."""
    text = with_dataset("SELECT ?s WHERE { ?s ?p ?o }", ["http://g/1"], ["http://g/2"])
    assert text == "SELECT ?s \nFROM <http://g/1>\nFROM NAMED <http://g/2>\nWHERE { ?s ?p ?o }"
    bare = with_dataset("ASK { ?s ?p ?o }", ["http://g/1"])
    assert bare == "ASK \nFROM <http://g/1>\n{ ?s ?p ?o }"
    parsed = ox.Store().query(bare)
    assert isinstance(parsed, ox.QueryBoolean)


def test_a_construct_query_cannot_run_remotely() -> None:
    """A CONSTRUCT query raises QueryError instead of being sent with a wrong dataset."""
    with pytest.raises(QueryError):
        with_dataset("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://g/1"])


def test_the_data_graph_pattern_reads_every_source_graph() -> None:
    """GRAPH <…/graph/data> { P } becomes a GRAPH over the server's source graphs, braces intact."""
    query = f'SELECT ?x WHERE {{ GRAPH {DATA_GRAPH} {{ ?x ?p "}}" }} ?x <http://q> ?y }}'
    text = with_data_graphs(query, ["http://g/1", "http://g/2"])
    assert DATA_GRAPH.value not in text
    assert "VALUES ?goalgraph_data_1 { <http://g/1> <http://g/2> }" in text
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("http://x"),
            ox.NamedNode("http://p"),
            ox.Literal("}"),
            ox.NamedNode("http://g/2"),
        )
    )
    store.add(
        ox.Quad(
            ox.NamedNode("http://x"),
            ox.NamedNode("http://q"),
            ox.Literal("y"),
            ox.NamedNode("http://g/1"),
        )
    )
    rows = list(store.query(text, use_default_graph_as_union=True))  # type: ignore[arg-type]
    assert [row["x"] for row in rows] == [ox.NamedNode("http://x")]
    assert (
        with_data_graphs("SELECT * WHERE { ?s ?p ?o }", ["http://g/1"])
        == "SELECT * WHERE { ?s ?p ?o }"
    )


def test_an_answer_at_the_announced_row_cap_is_an_error(httpserver: HTTPServer) -> None:
    """A server announcing X-SPARQL-MaxRows and answering that many rows raises ResultsCut."""
    rows = sparql_answer(["s"], [{"s": "http://x/1"}, {"s": "http://x/2"}])
    serve_answers(
        httpserver,
        [
            (_graphs(VOCABULARY_GRAPH.value, _SOURCE), {}),
            (_count(5), {}),
            (_count(5), {}),
            (rows, {MAX_ROWS_HEADER: "2"}),
        ],
    )
    graph = RemoteGraph(httpserver.url_for("/query"), timeout=5)
    with pytest.raises(ResultsCut, match="2"):
        graph.select("SELECT ?s WHERE { ?s ?p ?o }")


def test_an_answer_below_the_announced_row_cap_is_used(httpserver: HTTPServer) -> None:
    """Fewer rows than the announced cap is a complete answer."""
    rows = sparql_answer(["s"], [{"s": "http://x/1"}])
    serve_answers(
        httpserver,
        [
            (_graphs(VOCABULARY_GRAPH.value, _SOURCE), {}),
            (_count(5), {}),
            (_count(5), {}),
            (rows, {MAX_ROWS_HEADER: "2"}),
        ],
    )
    graph = RemoteGraph(httpserver.url_for("/query"), timeout=5)
    assert graph.select("SELECT ?s WHERE { ?s ?p ?o }") == [{"s": ox.NamedNode("http://x/1")}]


@pytest.mark.parametrize(("cap", "cut"), [(3, True), (4, False)])
def test_an_answer_of_the_known_row_cap_is_an_error(
    httpserver: HTTPServer, cap: int, cut: bool
) -> None:
    """With row_cap given, an answer of exactly that many rows raises ResultsCut; fewer are used."""
    three = sparql_answer(["s"], [{"s": f"http://x/{i}"} for i in range(3)])
    serve_answers(
        httpserver,
        [(_graphs(VOCABULARY_GRAPH.value), {}), (_count(1), {}), (_count(1), {}), (three, {})],
    )
    graph = RemoteGraph(httpserver.url_for("/query"), row_cap=cap)
    if cut:
        with pytest.raises(ResultsCut, match=str(cap)):
            graph.select("SELECT ?s WHERE { ?s ?p ?o }")
    else:
        assert len(graph.select("SELECT ?s WHERE { ?s ?p ?o }")) == 3


def test_queries_name_exactly_the_graphs_the_embedded_store_reads(httpserver: HTTPServer) -> None:
    """Where the default graph is not the union, a query lists the data and vocabulary graphs."""
    received = serve_answers(
        httpserver,
        [
            (
                _graphs(
                    VOCABULARY_GRAPH.value, _SOURCE, "https://w3id.org/goalgraph/graph/followup"
                ),
                {},
            ),
            (_count(7), {}),
            (_count(0), {}),
            (sparql_answer(["s"], []), {}),
        ],
    )
    RemoteGraph(httpserver.url_for("/query")).select("SELECT ?s WHERE { ?s a gg:Goal }")
    sent = received[-1]["query"]
    assert f"FROM <{_SOURCE}>" in sent and f"FROM <{VOCABULARY_GRAPH.value}>" in sent
    assert "followup" not in sent
    assert "PREFIX gg: <https://w3id.org/goalgraph/ontology#>" in sent


def test_a_server_without_the_vocabulary_is_named_in_the_error(httpserver: HTTPServer) -> None:
    """A server holding no goalgraph vocabulary graph gives an EndpointError naming its URL."""
    serve_answers(httpserver, [(_graphs(_SOURCE), {})])
    url = httpserver.url_for("/query")
    with pytest.raises(EndpointError, match=url):
        RemoteGraph(url).select("SELECT ?s WHERE { ?s ?p ?o }")


def test_the_servers_own_error_text_is_shown(httpserver: HTTPServer) -> None:
    """An HTTP error answer raises EndpointError carrying the server's text and the URL."""
    httpserver.expect_request("/query").respond_with_data("Query engine exploded", status=500)
    url = httpserver.url_for("/query")
    with pytest.raises(EndpointError, match="Query engine exploded"):
        RemoteGraph(url).count()


def test_an_unreachable_server_is_an_endpoint_error() -> None:
    """Nothing listening on the port gives an EndpointError naming the URL, not a raw exception."""
    with pytest.raises(EndpointError, match=r"127\.0\.0\.1:9"):
        RemoteGraph("http://127.0.0.1:9/query", timeout=2).count()


def test_writes_are_refused_with_a_clear_error() -> None:
    """add, clear, SPARQL UPDATE and to_rdflib raise RemoteUnavailable; nothing is sent."""
    graph = RemoteGraph("http://127.0.0.1:9/query")
    for attempt in (
        lambda: graph.add([]),
        lambda: graph.clear("inferred"),
        lambda: graph.store.update("DROP ALL"),
        lambda: graph.to_rdflib(),
    ):
        with pytest.raises(RemoteUnavailable, match=r"127\.0\.0\.1:9"):
            attempt()


def test_an_endpoint_becomes_a_remote_graph() -> None:
    """as_graph makes an Endpoint a RemoteGraph (graphs and timeout kept), keeps a GoalGraph."""
    endpoint = Endpoint(
        "http://127.0.0.1:9/query", timeout=3, default_graphs=[_SOURCE, VOCABULARY_GRAPH.value]
    )
    graph = as_graph(endpoint)
    assert isinstance(graph, RemoteGraph)
    assert graph.store.timeout == 3
    assert graph.store._data == [_SOURCE]
    local = GoalGraph()
    assert as_graph(local) is local


def test_every_read_function_takes_an_endpoint() -> None:
    """Given an Endpoint, each read function asks the server (an EndpointError naming the URL)."""
    import goalgraph as gg
    from goalgraph.gaps import substrategy_grid
    from goalgraph.structure import cycles

    endpoint = Endpoint("http://127.0.0.1:9/query", timeout=2)
    for function in (
        lambda: gg.validate(endpoint),
        lambda: gg.trace(endpoint, "KFN-1"),
        lambda: gg.coverage(endpoint, "sdg"),
        lambda: substrategy_grid(endpoint),
        lambda: gg.impact(endpoint, "KFN-1"),
        lambda: gg.orphans(endpoint),
        lambda: cycles(endpoint),
        lambda: gg.hubs(endpoint),
        lambda: gg.status(endpoint),
        lambda: gg.infer(endpoint),
    ):
        with pytest.raises(EndpointError, match=r"127\.0\.0\.1:9"):
            function()


def _literals(*values: tuple[str, str]) -> dict[str, Any]:
    bindings = [{"literal": {"type": "literal", "value": v, "datatype": d}} for v, d in values]
    return {"head": {"vars": ["literal"]}, "results": {"bindings": bindings}}


def test_a_remote_ledger_keeps_the_ill_formed_literals_the_server_holds(
    httpserver: HTTPServer,
) -> None:
    """The ledger asks the server for one datatype's literals and keeps the ill-formed ones."""
    date = "http://www.w3.org/2001/XMLSchema#date"
    received = serve_answers(
        httpserver,
        [
            (_graphs(VOCABULARY_GRAPH.value, _SOURCE), {}),
            (_count(5), {}),
            (_count(4), {}),
            (_literals(("2019-04-30", date), ("2019-04-31", date)), {}),
        ],
    )
    ledger = RemoteGraph(httpserver.url_for("/query"), timeout=5).literals
    found = ledger.ill_formed([DATA_GRAPH, VOCABULARY_GRAPH], datatypes=[date])
    assert found == {ox.Literal("2019-04-31", datatype=ox.NamedNode(date))}
    assert f"<{date}>" in received[-1]["query"]
    assert f"FROM <{_SOURCE}>" in received[-1]["query"]


def test_a_remote_ledger_refuses_to_judge_every_literal() -> None:
    """Without datatypes, the remote ledger raises instead of downloading every literal."""
    ledger = RemoteGraph("http://127.0.0.1:1/query", timeout=1).literals
    with pytest.raises(RemoteUnavailable, match=r"127\.0\.0\.1:1"):
        ledger.ill_formed([DATA_GRAPH])


def test_a_remote_graph_gives_its_triples_as_the_server_holds_them() -> None:
    """triples(as_written=True) is accepted on a remote graph (the server holds no originals)."""
    graph = RemoteGraph("http://127.0.0.1:1/query", timeout=1)
    with pytest.raises(EndpointError, match=r"127\.0\.0\.1:1"):
        list(graph.triples(("data",), as_written=True))


def test_a_consistency_check_on_a_remote_store_is_refused_before_any_download() -> None:
    """check_consistency() on a server raises RemoteUnavailable naming it, asking it nothing."""
    from goalgraph.reasoning import check_consistency

    with pytest.raises(RemoteUnavailable, match=r"127\.0\.0\.1:1"):
        check_consistency(RemoteGraph("http://127.0.0.1:1/query", timeout=1))
