"""Read functions on a SPARQL server give the embedded store's answers, on two makes of server.

Each server holds the three examples in goalgraph's pushed layout (the
vocabulary graph, one named graph per source file); the embedded store loads
the same files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import goalgraph as gg
from goalgraph.errors import RemoteUnavailable
from goalgraph.gaps import substrategy_grid
from goalgraph.graph import GoalGraph
from goalgraph.query_library import queries, run_query
from goalgraph.report.contents import gather
from goalgraph.store.remote import RemoteGraph
from goalgraph.structure import cycles
from sparql_servers import EXAMPLE_FILES, MAKES, dataset, running

pytestmark = pytest.mark.slow

#: Values for the named queries' required parameters (optional ones are left free).
_PARAMS = {
    "goals-for-sdg-target": {"target": "11.7"},
    "sdg-coverage-compare": {"kommun_a": "0685", "kommun_b": "1962"},
}


@pytest.fixture(scope="module")
def embedded() -> GoalGraph:
    """The three examples in the embedded store."""
    return gg.load(*EXAMPLE_FILES)


@pytest.fixture(scope="module", params=MAKES)
def remote(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RemoteGraph]:
    """The three examples on a running server of each make."""
    folder: Path = tmp_path_factory.mktemp(request.param)
    with running(request.param, folder, dataset(EXAMPLE_FILES)) as server:
        graph = RemoteGraph(server.query_url, timeout=120)
        yield graph
        graph.store.close()


def _unordered(value: Any) -> Any:
    """*value* with every list sorted: for answers whose row order is the store's own."""
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_unordered(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def test_every_named_query_gives_the_embedded_rows(
    embedded: GoalGraph, remote: RemoteGraph
) -> None:
    """Every query of the library returns the same rows on the server as on the embedded store."""
    for query in queries():
        params = _PARAMS.get(query.name, {})
        expected = run_query(embedded, query, params)
        got = run_query(remote, query, params)
        assert list(got.columns) == list(expected.columns), query.name
        ordered = "ORDER BY" in query.text.upper()
        rows = [tuple(r) for r in got.itertuples(index=False)]
        wanted = [tuple(r) for r in expected.itertuples(index=False)]
        if not ordered:
            rows, wanted = sorted(rows, key=str), sorted(wanted, key=str)
        assert rows == wanted, query.name
        assert len(rows) > 0 or query.name in ("goals-missing-links", "orphan-goals"), query.name


def test_validate_runs_on_the_server_with_the_embedded_findings(
    embedded: GoalGraph, remote: RemoteGraph
) -> None:
    """validate() on the server finds the embedded findings, labels and kommuner included."""
    expected = gg.validate(embedded, lang="en")
    got = gg.validate(remote, lang="en")
    assert got.engine == "fast"
    assert len(expected) > 0
    assert json.loads(got.to_json()) == json.loads(expected.to_json())


def test_analysis_functions_give_the_embedded_results(
    embedded: GoalGraph, remote: RemoteGraph
) -> None:
    """trace, coverage, grid, impact, orphans, cycles and hubs answer alike on the server."""
    for graph_answer in (
        lambda g: gg.trace(g, "KFN-1", kommun="0685").to_frame().to_csv(),
        lambda g: substrategy_grid(g, kommun="0685").to_csv(),
        lambda g: gg.impact(g, "KFN-1", kommun="0685").to_csv(),
        lambda g: gg.orphans(g).to_csv(),
        lambda g: cycles(g).to_csv(),
        lambda g: gg.hubs(g).to_csv(),
    ):
        assert graph_answer(remote) == graph_answer(embedded)
    for dimension in ("sdg", "target", "rus", "perspective", "challenge", "riktning"):
        expected = json.loads(gg.coverage(embedded, dimension).to_json())
        assert json.loads(gg.coverage(remote, dimension).to_json()) == expected, dimension


def test_status_and_report_contents_give_the_embedded_results(
    embedded: GoalGraph, remote: RemoteGraph
) -> None:
    """Follow-up status and the report's gathered contents are the same on the server."""
    expected = json.loads(gg.status(embedded).to_json())
    got = json.loads(gg.status(remote).to_json())
    assert _unordered(got) == _unordered(expected)
    assert expected["goals"]
    assert repr(gather(remote, kommun="0685")) == repr(gather(embedded, kommun="0685"))


def test_writing_functions_say_they_are_not_available_remotely(remote: RemoteGraph) -> None:
    """infer() and the pySHACL engine raise RemoteUnavailable naming the server, not a raw error."""
    with pytest.raises(RemoteUnavailable, match=re.escape(remote.url)):
        gg.infer(remote)
    with pytest.raises(RemoteUnavailable, match=re.escape(remote.url)):
        gg.validate(remote, engine="pyshacl")
    assert len(remote) == len(gg.load(*EXAMPLE_FILES))
