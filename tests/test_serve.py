"""goalgraph serve's read endpoints, against the real service on a socket (Vetlanda)."""

from __future__ import annotations

import csv
import io
import json
import socket
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from goalgraph import coverage, load, status, trace, validate
from goalgraph.service import ServiceState
from service_server import VETLANDA, contract_client, running

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def service() -> Iterator[tuple[str, socket.socket]]:
    """One service on Vetlanda for every read test of this module (none of them changes it)."""
    with running(ServiceState.from_sources([VETLANDA], lang="sv", timeout=10)) as started:
        yield started


@pytest.fixture(scope="module")
def url(service: tuple[str, socket.socket]) -> str:
    """The base URL of the module's service."""
    return service[0]


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[httpx.Client]:
    """An HTTP client of the module's service."""
    with contract_client(url, timeout=30) as http:
        yield http


def count(client: httpx.Client) -> int:
    """The number of triples the service's SPARQL endpoint sees."""
    answer = client.get("/sparql", params={"query": COUNT})
    assert answer.status_code == 200
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_the_service_listens_on_127_0_0_1_only(service: tuple[str, socket.socket]) -> None:
    """The service's socket is bound to the loopback address."""
    assert service[1].getsockname()[0] == "127.0.0.1"


def test_health_says_ok_and_counts_the_data(client: httpx.Client) -> None:
    """/health answers ok with the number of triples of user data loaded."""
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert answer.json()["triples"] == len(load(VETLANDA))


def test_the_openapi_description_lists_every_endpoint(client: httpx.Client) -> None:
    """/openapi.json describes each endpoint with its methods."""
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {
        "/health",
        "/sparql",
        "/validate",
        "/validate/changes",
        "/trace",
        "/coverage",
        "/status",
    }
    assert {"get", "post"} <= set(paths["/sparql"])
    assert "requestBody" in paths["/validate/changes"]["post"]


def test_sparql_get_answers_select_in_sparql_json(client: httpx.Client) -> None:
    """A GET query is answered in SPARQL JSON with the count the library sees."""
    graph = load(VETLANDA)
    expected = int(graph.select(COUNT)[0]["n"].value)
    assert count(client) == expected


def test_sparql_post_as_query_body_and_as_form_give_the_same_answer(client: httpx.Client) -> None:
    """POST with application/sparql-query and with a form give the GET answer."""
    query = "SELECT ?g WHERE { ?g a gg:CommitteeGoal } ORDER BY ?g"
    get = client.get("/sparql", params={"query": query})
    body = client.post(
        "/sparql", content=query, headers={"content-type": "application/sparql-query"}
    )
    form = client.post("/sparql", data={"query": query})
    assert get.status_code == body.status_code == form.status_code == 200
    assert get.json() == body.json() == form.json()
    assert len(get.json()["results"]["bindings"]) > 5


@pytest.mark.parametrize(
    ("accept", "media", "results_format"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", "XML"),
        ("text/csv", "text/csv", "CSV"),
        ("text/tab-separated-values", "text/tab-separated-values", "TSV"),
        (
            "text/html;q=0.9, application/sparql-results+json",
            "application/sparql-results+json",
            "JSON",
        ),
    ],
)
def test_sparql_answers_in_the_format_accept_asks_for(
    client: httpx.Client, accept: str, media: str, results_format: str
) -> None:
    """Each results format named in Accept is given, and parses as that format."""
    answer = client.get("/sparql", params={"query": COUNT}, headers={"accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    if results_format == "CSV":  # lossy: pyoxigraph does not read it back
        rows = list(csv.reader(io.StringIO(answer.text)))
        assert rows[0] == ["n"] and rows[1][0].isdigit() and len(rows) == 2
        return
    parsed = ox.parse_query_results(
        answer.content, format=getattr(ox.QueryResultsFormat, results_format)
    )
    assert isinstance(parsed, ox.QuerySolutions)
    assert len(list(parsed)) == 1


def test_sparql_construct_is_answered_in_turtle_or_n_triples(client: httpx.Client) -> None:
    """A CONSTRUCT query gives Turtle by default and N-Triples when asked, the same triples."""
    query = "CONSTRUCT { ?g a gg:CommitteeGoal } WHERE { ?g a gg:CommitteeGoal }"
    turtle = client.get("/sparql", params={"query": query})
    triples = client.get(
        "/sparql", params={"query": query}, headers={"accept": "application/n-triples"}
    )
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert triples.headers["content-type"].startswith("application/n-triples")
    from_turtle = set(map(str, ox.parse(turtle.content, format=ox.RdfFormat.TURTLE)))
    from_nt = set(map(str, ox.parse(triples.content, format=ox.RdfFormat.N_TRIPLES)))
    assert from_turtle == from_nt
    assert len(from_turtle) > 5


def test_sparql_ask_is_answered(client: httpx.Client) -> None:
    """An ASK query gives a SPARQL boolean."""
    answer = client.get("/sparql", params={"query": "ASK { ?g a gg:CommitteeGoal }"})
    assert answer.json()["boolean"] is True


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post(
            "/sparql",
            content="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            headers={"content-type": "application/sparql-update"},
        ),
        lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
        lambda c: c.post("/sparql", data={"query": "DELETE WHERE { ?s ?p ?o }"}),
        lambda c: c.get("/sparql", params={"query": "DROP ALL"}),
        lambda c: c.get("/sparql", params={"update": "CLEAR ALL"}),
    ],
    ids=["sparql-update body", "update field", "update in query", "update in GET", "GET update"],
)
def test_a_sparql_update_is_refused_and_changes_nothing(client: httpx.Client, send: object) -> None:
    """Every way of sending an update gets 400 update_refused, and the data stays as it was."""
    before = count(client)
    answer = send(client)  # type: ignore[operator]
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "update_refused"
    assert count(client) == before


def test_malformed_sparql_is_refused_with_the_parsers_message(client: httpx.Client) -> None:
    """A query that does not parse gets 400 with the parser's position and expectation."""
    answer = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "bad_query"
    assert "rad 1, kolumn 25: expected" in error["message"]


def test_a_service_clause_is_refused(client: httpx.Client) -> None:
    """SERVICE would reach the network: refused with 400 naming the service, no request made."""
    query = "SELECT * WHERE { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }"
    answer = client.get("/sparql", params={"query": query})
    assert answer.status_code == 400
    assert "http://192.0.2.1/sparql" in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    ("params", "headers", "status", "code"),
    [
        ({}, {}, 400, "no_query"),
        ({"query": COUNT, "default-graph-uri": "urn:g"}, {}, 400, "dataset_refused"),
        ({"query": COUNT}, {"accept": "image/png"}, 406, "not_acceptable"),
    ],
)
def test_sparql_requests_it_cannot_answer_are_refused_by_name(
    client: httpx.Client, params: dict[str, str], headers: dict[str, str], status: int, code: str
) -> None:
    """No query, a dataset in the request, or an unanswerable Accept: each its status and code."""
    answer = client.get("/sparql", params=params, headers=headers)
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code


def test_a_sparql_body_of_another_type_is_refused(client: httpx.Client) -> None:
    """A POST body that is neither a query nor a form gets 415."""
    answer = client.post("/sparql", content="{}", headers={"content-type": "application/json"})
    assert answer.status_code == 415


def test_validate_gives_the_report_of_validate_format_json(client: httpx.Client) -> None:
    """POST /validate gives the JSON `goalgraph validate --format json` gives, ids and all."""
    answer = client.post("/validate")
    assert answer.status_code == 200
    expected = json.loads(validate(load(VETLANDA), lang="sv").to_json())
    assert answer.json() == expected


def test_validate_speaks_english_when_asked(client: httpx.Client) -> None:
    """?lang=en gives the report in English."""
    answer = client.post("/validate", params={"lang": "en"})
    assert answer.json() == json.loads(validate(load(VETLANDA), lang="en").to_json())


def test_validate_with_focus_gives_the_full_report_filtered_to_those_items(
    client: httpx.Client,
) -> None:
    """POST /validate?focus=MBN-2&focus=<IRI> gives the full report's findings about them."""
    mbn_2, kfn_2 = (f"https://w3id.org/goalgraph/id/0685/goal/{g}" for g in ("MBN-2", "KFN-2"))
    full = client.post("/validate").json()
    answer = client.post("/validate", params={"focus": ["MBN-2", kfn_2]})
    assert answer.status_code == 200
    expected = [r for r in full["results"] if r["focus_node"] in (mbn_2, kfn_2)]
    assert len(expected) == 4
    assert answer.json()["results"] == expected
    assert answer.json()["$schema"] == full["$schema"]


@pytest.mark.parametrize("name", ["NO-SUCH-GOAL", "https://example.org/no-such-goal"])
def test_validate_with_an_unknown_focus_is_a_json_404(client: httpx.Client, name: str) -> None:
    """A focus that names nothing in the data gets 404 unknown_term naming it."""
    answer = client.post("/validate", params={"focus": ["KFN-1", name]})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "unknown_term"
    assert answer.json()["error"]["term"] == name


def test_trace_gives_the_json_of_trace_format_json(client: httpx.Client) -> None:
    """GET /trace?goal=KFN-1 gives the library's trace JSON."""
    answer = client.get("/trace", params={"goal": "KFN-1"})
    assert answer.status_code == 200
    assert answer.json() == json.loads(trace(load(VETLANDA), "KFN-1").to_json("sv"))
    assert answer.json()["paths"]


def test_trace_of_an_unknown_goal_is_404(client: httpx.Client) -> None:
    """An id that matches no goal gets 404 naming the id."""
    answer = client.get("/trace", params={"goal": "NO-SUCH-GOAL"})
    assert answer.status_code == 404
    assert answer.json()["error"]["term"] == "NO-SUCH-GOAL"
    assert "NO-SUCH-GOAL" in answer.json()["error"]["message"]


def test_coverage_gives_the_json_of_coverage_format_json(client: httpx.Client) -> None:
    """GET /coverage?by=perspective gives the library's coverage JSON."""
    answer = client.get("/coverage", params={"by": "perspective"})
    assert answer.status_code == 200
    expected = coverage(load(VETLANDA), "perspective", lang="sv").to_json()
    assert answer.json() == json.loads(expected)


def test_coverage_of_an_unknown_dimension_is_refused(client: httpx.Client) -> None:
    """by=colour gets 422 naming the parameter."""
    answer = client.get("/coverage", params={"by": "colour"})
    assert answer.status_code == 422
    assert answer.json()["error"]["problems"][0]["where"] == "query.by"


def test_status_gives_the_json_of_status_format_json(client: httpx.Client) -> None:
    """GET /status?year=2023 gives the library's status JSON."""
    answer = client.get("/status", params={"year": 2023})
    assert answer.status_code == 200
    assert answer.json() == json.loads(status(load(VETLANDA), year=2023, lang="sv").to_json())


def test_status_of_an_unknown_kommun_is_404(client: httpx.Client) -> None:
    """A kommun code the data knows nothing about gets 404."""
    answer = client.get("/status", params={"kommun": "9999"})
    assert answer.status_code == 404


def test_an_unknown_path_is_a_json_404(client: httpx.Client) -> None:
    """A path the service does not have gets its JSON error, not an HTML page."""
    answer = client.get("/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_a_method_the_path_does_not_take_is_a_json_405(client: httpx.Client) -> None:
    """GET /validate (it takes POST) gets 405 naming the method and path."""
    answer = client.get("/validate")
    assert answer.status_code == 405
    error = answer.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert "GET" in error["message"] and "/validate" in error["message"]


def test_a_fault_of_goalgraph_is_a_json_500_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unexpected exception inside an endpoint gives 500 naming its kind, no traceback."""
    state = ServiceState.from_sources([VETLANDA], timeout=10)

    def broken() -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(state, "triples", broken)
    with running(state) as (url, _):
        answer = httpx.get(f"{url}/health", timeout=30)
    assert answer.status_code == 500
    error = answer.json()["error"]
    assert error["code"] == "internal_error" and "ZeroDivisionError" in error["message"]
    assert "Traceback" not in answer.text and "a bug" not in answer.text
