"""Helpers shared by several test modules; fixtures live in conftest.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response
from werkzeug.datastructures import MultiDict

from goalgraph import GoalGraph, load

ANALYSIS_DATA = Path(__file__).parent / "data" / "analysis"

#: Parameters the named queries need to give rows on the examples.
QUERY_PARAMS = {
    "sdg-coverage-compare": {"kommun_a": "0685", "kommun_b": "1962"},
    "goals-for-sdg-target": {"target": "11.7"},
}

#: Parameter values crafted to break out of a query if they were pasted into its text.
HOSTILE_VALUES = [
    '0685" } } DROP ALL #',
    "0685' . ?goal ?p ?o } #",
    '0685"^^<http://www.w3.org/2001/XMLSchema#string> } UNION { ?s ?p ?o',
    "0685\n} INSERT DATA { <urn:x> <urn:y> <urn:z> }",
    "0685\n} ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> }",
]


def mini_graph(*extra: Path) -> GoalGraph:
    """The small analysis fixture (a Vetlanda and a Norberg chain), plus any *extra* sources."""
    return load(ANALYSIS_DATA / "mini.ttl", *extra)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m goalgraph`` as a user would, so main()'s error handling is exercised."""
    return subprocess.run(
        [sys.executable, "-m", "goalgraph", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def sparql_answer(names: list[str], rows: list[dict[str, str]]) -> dict[str, Any]:
    """A SPARQL JSON answer with *names* as variables and *rows* of IRIs."""
    bindings = [{k: {"type": "uri", "value": v} for k, v in row.items()} for row in rows]
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def serve_answers(
    server: HTTPServer, answers: list[tuple[dict[str, Any], dict[str, str]]]
) -> list[MultiDict[str, str]]:
    """Answer each query POSTed to ``/query`` on *server* with the next of *answers* (body,
    headers; the last one again once they are used up); return the forms received."""
    received: list[MultiDict[str, str]] = []

    def handler(request: Request) -> Response:
        received.append(request.form.copy())
        body, headers = answers[min(len(received), len(answers)) - 1]
        return Response(
            json.dumps(body), headers=headers, content_type="application/sparql-results+json"
        )

    server.expect_request("/query", method="POST").respond_with_handler(handler)
    return received
