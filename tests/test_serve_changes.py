"""Changes posted to goalgraph serve: deltas equal to a fresh validate, refusals that change
nothing, concurrent reads and writes, and a store that is never written (real socket)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pyoxigraph as ox
import pytest

from goalgraph import load, validate
from goalgraph.contract import schema
from goalgraph.graph import GoalGraph
from goalgraph.service import ServiceState
from service_server import GG, GOAL, VETLANDA, contract_client, running

# MBN-2 is anchored in no KF goal (a violation); KFN-1 is, in KF1.
ANCHOR_MBN_2 = f"<{GOAL}MBN-2> <{GG}contributesToGoal> <{GOAL}KF1> ."
KFN_1_LINK = f"<{GOAL}KFN-1> <{GG}contributesToGoal> <{GOAL}KF1> ."


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """A client of a service of its own on Vetlanda, which the test may change."""
    with (
        running(ServiceState.from_sources([VETLANDA], lang="sv", timeout=10)) as (url, _),
        contract_client(url, timeout=60) as http,
    ):
        yield http


def ids(report: dict[str, Any]) -> list[str]:
    """The result ids of a report's JSON, in order."""
    return [result["id"] for result in report["results"]]


def fresh(*changes: tuple[str, str]) -> dict[str, Any]:
    """The report JSON of Vetlanda loaded anew, each (added, removed) N-Triples change applied."""
    graph = load(VETLANDA)
    for added, removed in changes:
        _change(graph, added, removed)
    return json.loads(validate(graph, lang="sv").to_json())  # type: ignore[no-any-return]


def _change(graph: GoalGraph, added: str, removed: str) -> None:
    for quad in ox.parse(removed.encode(), format=ox.RdfFormat.N_TRIPLES):
        graph.store.remove(ox.Quad(*quad.triple, ox.NamedNode(_DATA)))
    graph.add(q.triple for q in ox.parse(added.encode(), format=ox.RdfFormat.N_TRIPLES))


_DATA = "https://w3id.org/goalgraph/graph/data"


def post(client: httpx.Client, added: str = "", removed: str = "", **extra: Any) -> httpx.Response:
    """POST a change in N-Triples to /validate/changes."""
    body = {"added": added, "removed": removed, "format": "n-triples", **extra}
    return client.post("/validate/changes", json=body)


def test_a_change_that_resolves_a_finding_reports_it_resolved(client: httpx.Client) -> None:
    """Anchoring MBN-2 in KF1 resolves its violation; the delta's report equals a fresh validate."""
    before = client.post("/validate").json()
    answer = post(client, added=ANCHOR_MBN_2)
    assert answer.status_code == 200
    delta = answer.json()
    expected = fresh((ANCHOR_MBN_2, ""))
    assert ids(delta["report"]) == ids(expected)
    assert delta["new"] == []
    gone = set(ids(before)) - set(ids(expected))
    assert {r["id"] for r in delta["resolved"]} == gone
    assert any(r["focus_node"] == f"{GOAL}MBN-2" for r in delta["resolved"])
    assert ids(client.post("/validate").json()) == ids(expected)


def test_a_change_that_introduces_a_finding_reports_it_new(client: httpx.Client) -> None:
    """Removing KFN-1's KF link gives a new violation on KFN-1, as a fresh validate finds."""
    before = client.post("/validate").json()
    delta = post(client, removed=KFN_1_LINK).json()
    expected = fresh(("", KFN_1_LINK))
    assert ids(delta["report"]) == ids(expected)
    assert {r["id"] for r in delta["new"]} == set(ids(expected)) - set(ids(before))
    assert any(
        r["focus_node"] == f"{GOAL}KFN-1" and r["severity"] == "violation" for r in delta["new"]
    )
    assert delta["resolved"] == []


def test_a_change_and_its_revert_give_the_first_report_back(client: httpx.Client) -> None:
    """Removing a link and adding it again: the second delta resolves what the first made."""
    before = client.post("/validate").json()
    first = post(client, removed=KFN_1_LINK).json()
    second = post(client, added=KFN_1_LINK).json()
    assert {r["id"] for r in second["resolved"]} == {r["id"] for r in first["new"]}
    assert ids(second["report"]) == ids(before)


def test_a_change_in_turtle_with_prefixes_is_applied(client: httpx.Client) -> None:
    """A Turtle change (the default format) with its own prefixes works like N-Triples."""
    turtle = (
        f"@prefix gg: <{GG}> .\n@prefix goal: <{GOAL}> .\n"
        "goal:MBN-2 gg:contributesToGoal goal:KF1 ."
    )
    answer = client.post("/validate/changes", json={"added": turtle})
    assert answer.status_code == 200
    assert ids(answer.json()["report"]) == ids(fresh((ANCHOR_MBN_2, "")))


def unchanged(client: httpx.Client, before: dict[str, Any], triples: int) -> None:
    """Assert that the service's report and data are still *before* and *triples*."""
    assert client.post("/validate").json() == before
    assert client.get("/health").json()["triples"] == triples


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"added": f'<{GOAL}X> <{GG}p> "open string .'}, 400, "bad_change"),
        ({"added": ANCHOR_MBN_2, "format": "rdf-xml"}, 422, "invalid_request"),
        ({"added": ANCHOR_MBN_2, "colour": "blue"}, 422, "invalid_request"),
        ({"added": 42}, 422, "invalid_request"),
        ({}, 400, "empty_change"),
        ({"removed": f"_:b <{GG}p> <{GOAL}KF1> ."}, 400, "bad_change"),
        (
            {"removed": f"<{GOAL}NO-SUCH> <{GG}contributesToGoal> <{GOAL}KF1> ."},
            409,
            "not_in_graph",
        ),
        ({"added": "<relative> <p> <o> ."}, 400, "bad_change"),
    ],
    ids=[
        "malformed",
        "unknown format",
        "unknown field",
        "not text",
        "empty",
        "blank node removed",
        "absent triple",
        "relative IRI",
    ],
)
def test_a_bad_change_is_refused_by_name_and_changes_nothing(
    client: httpx.Client, body: dict[str, Any], status: int, code: str
) -> None:
    """Each kind of bad change gets its 4xx and code, and report and data stay as they were."""
    before, triples = client.post("/validate").json(), client.get("/health").json()["triples"]
    # a good triple beside the bad one must not be applied either
    if "removed" in body and code == "not_in_graph":
        body = {**body, "added": ANCHOR_MBN_2}
    answer = client.post("/validate/changes", json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["code"] == code
    unchanged(client, before, triples)


def test_a_malformed_change_names_its_field_and_line(client: httpx.Client) -> None:
    """Bad Turtle on line 2 of 'added': the error says 'added' and "rad 2, kolumn …" in Swedish."""
    text = f"{ANCHOR_MBN_2}\n<{GOAL}X> <{GG}p> ."
    error = post(client, added=text, format="turtle").json()["error"]
    assert (error["field"], error["line"]) == ("added", 2)
    assert error["message"].startswith("Fältet 'added', rad 2, kolumn ")
    assert "line" not in error["message"] and "Parser error" not in error["message"]


def test_removing_an_absent_triple_names_the_triple(client: httpx.Client) -> None:
    """The 409 for a triple not in the graph names that triple."""
    absent = f"<{GOAL}NO-SUCH> <{GG}contributesToGoal> <{GOAL}KF1> ."
    error = post(client, removed=absent).json()["error"]
    assert "NO-SUCH" in error["triple"] and "NO-SUCH" in error["message"]


def test_malformed_json_is_refused_with_400(client: httpx.Client) -> None:
    """A body that is not JSON gets 400 malformed_json naming the place in Swedish words."""
    answer = client.post(
        "/validate/changes", content=b"{\n not json", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "malformed_json"
    assert "(rad 2, kolumn 2: Expecting property name" in answer.json()["error"]["message"]


def test_an_oversized_body_is_refused_with_413_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over GOALGRAPH_MAX_REQUEST_SIZE: 413 naming the limit, whether declared or sent in chunks."""
    monkeypatch.setenv("GOALGRAPH_MAX_REQUEST_SIZE", "2KB")
    padding = " " * 4096
    with (
        running(ServiceState.from_sources([VETLANDA], timeout=10)) as (url, _),
        contract_client(url, timeout=60) as client,
    ):
        before, triples = client.post("/validate").json(), client.get("/health").json()["triples"]
        declared = client.post("/validate/changes", json={"added": ANCHOR_MBN_2 + padding})
        assert declared.status_code == 413
        assert declared.json()["error"]["limit"] == 2048
        assert "GOALGRAPH_MAX_REQUEST_SIZE" in declared.json()["error"]["message"]

        def chunks() -> Iterator[bytes]:
            yield json.dumps({"added": ANCHOR_MBN_2 + padding}).encode()

        chunked = client.post(
            "/validate/changes", content=chunks(), headers={"content-type": "application/json"}
        )
        assert chunked.status_code == 413
        small = post(client, added=ANCHOR_MBN_2)  # a body within the limit still goes through
        assert small.status_code == 200
        assert client.get("/health").json()["triples"] == triples + 1
        assert before != client.post("/validate").json()


def test_concurrent_reads_during_writes_end_in_the_report_of_a_fresh_validate(
    client: httpx.Client,
) -> None:
    """Readers fire queries and reports while changes go in; all answer, and the end state
    equals a fresh validate of the final graph."""
    goals = ["BUN-3", "KFN-2", "SN-2", "SN-3", "MBN-2"]
    changes = [(f"<{GOAL}{g}> <{GG}contributesToGoal> <{GOAL}KF1> .", "") for g in goals]
    changes.append(("", KFN_1_LINK))
    failures: list[str] = []
    done = threading.Event()

    def read() -> None:
        with contract_client(str(client.base_url), timeout=60) as reader:
            while not done.is_set():
                for answer in (
                    reader.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}),
                    reader.post("/validate"),
                    reader.get("/trace", params={"goal": "KFN-1"}),
                ):
                    if answer.status_code != 200:
                        failures.append(answer.text)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for added, removed in changes:
            answer = post(client, added=added, removed=removed)
            assert answer.status_code == 200, answer.text
    finally:
        done.set()
        for thread in readers:
            thread.join(60)
    assert failures == []
    expected = fresh(*changes)
    assert ids(client.post("/validate").json()) == ids(expected)


def test_a_store_is_served_from_memory_and_never_written(tmp_path: Path) -> None:
    """With a store, changes reach the service's copy and not the store on disk."""
    from goalgraph import open as open_store
    from goalgraph.store.disk import load_sources

    folder = tmp_path / "store"
    load_sources(folder, VETLANDA)
    on_disk = len(open_store(folder))
    state = ServiceState.from_sources([], store=folder, timeout=10)
    with running(state) as (url, _), contract_client(url, timeout=60) as client:
        assert client.get("/health").json()["store"] == str(folder)
        assert client.post("/validate").json() == fresh()
        assert post(client, added=ANCHOR_MBN_2).status_code == 200
        assert client.get("/health").json()["triples"] == on_disk + 1
    assert len(open_store(folder)) == on_disk


def test_sources_and_a_store_together_are_refused() -> None:
    """ServiceState takes files or a store, not both."""
    with pytest.raises(ValueError, match="not both"):
        ServiceState.from_sources([VETLANDA], store="somewhere")


def test_a_delta_without_its_report_is_the_delta_with_the_report_left_out(
    client: httpx.Client,
) -> None:
    """?report=false gives every field of the delta but the report."""
    small = post_with(client, {"removed": KFN_1_LINK}, report="false")
    full = post_with(client, {"added": KFN_1_LINK}, report="true")
    assert "report" not in small and "report" in full
    assert set(small) - {"$schema"} == set(full) - {"report", "$schema"}
    checker = jsonschema.Draft202012Validator(schema("delta"))
    assert [error.message for error in checker.iter_errors(small)] == []
    assert {r["id"] for r in small["new"]} == {r["id"] for r in full["resolved"]}
    assert small["new"]


def post_with(client: httpx.Client, change: dict[str, str], **params: str) -> dict[str, Any]:
    """The JSON answer to an N-Triples *change* posted with the query *params*."""
    answer = client.post("/validate/changes", json={**change, "format": "n-triples"}, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]
