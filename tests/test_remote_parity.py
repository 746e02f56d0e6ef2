"""Read functions on a SPARQL server give the embedded store's answers, on two makes of server.

Each server holds the three examples in goalgraph's pushed layout (the
vocabulary graph, one named graph per source file); the embedded store loads
the same files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
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
#: Queries that find nothing in the examples a server holds (Vetlanda has no indicator values).
_EMPTY = {
    "oxigraph": ("goals-missing-links", "orphan-goals"),
    "rdflib": ("goals-missing-links", "orphan-goals", "indicator-latest-values"),
}
_PARAMS = {
    "goals-for-sdg-target": {"target": "11.7"},
    "sdg-coverage-compare": {"kommun_a": "0685", "kommun_b": "1962"},
}


#: What each server holds: rdflib's own SPARQL engine takes seconds per query over the
#: vocabulary, so it serves one example and answers the queries it runs in seconds.
_DATA = {"oxigraph": EXAMPLE_FILES, "rdflib": EXAMPLE_FILES[:1]}
_SLOW_ON_RDFLIB = {
    "goal-trace",
    "sdg-coverage",
    "sdg-coverage-compare",
    "substrategies-by-perspective",
}


#: A source beside the examples with a date April does not have: a server keeps it as written,
#: and only the ledger can tell the compiled ``sh:datatype`` check on the server that it fails.
_ILL_FORMED = """\
@prefix gg: <https://w3id.org/goalgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/goalgraph/id/0685/area/ATTRAKTIV> gg:decisionDate "2019-04-31"^^xsd:date .
"""


@dataclass
class Pair:
    """The same data on a server and in the embedded store."""

    make: str
    remote: RemoteGraph
    embedded: GoalGraph


@pytest.fixture(scope="module", params=MAKES)
def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pair]:
    """The examples on a running server of each make, beside the embedded store."""
    make: str = request.param
    folder: Path = tmp_path_factory.mktemp(make)
    ill_formed = folder / "ill-formed.ttl"
    ill_formed.write_text(_ILL_FORMED, encoding="utf-8")
    files = (*_DATA[make], ill_formed)
    with running(make, folder, dataset(files)) as server:
        graph = RemoteGraph(server.query_url, timeout=600)
        yield Pair(make, graph, gg.load(*files))
        graph.store.close()


def _unordered(value: Any) -> Any:
    """*value* with every list sorted: for answers whose row order is the store's own."""
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_unordered(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def test_every_named_query_gives_the_embedded_rows(pair: Pair) -> None:
    """Every query of the library returns the same rows on the server as on the embedded store."""
    embedded, remote = pair.embedded, pair.remote
    for query in queries():
        if pair.make == "rdflib" and query.name in _SLOW_ON_RDFLIB:
            continue
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
        assert len(rows) > 0 or query.name in _EMPTY[pair.make], query.name


def test_validate_runs_on_the_server_with_the_embedded_findings(pair: Pair) -> None:
    """validate() on the server finds the embedded findings, labels, kommuner and the
    ill-formed date on the server included."""
    embedded, remote = pair.embedded, pair.remote
    expected = gg.validate(embedded, lang="en")
    got = gg.validate(remote, lang="en")
    assert got.engine == "fast"
    assert len(expected) > 0
    assert json.loads(got.to_json()) == json.loads(expected.to_json())
    dates = [r for r in got.results if r.path == "gg:decisionDate"]
    assert [str(r.value) for r in dates] == ["2019-04-31"]


@pytest.mark.parametrize("pair", ["oxigraph"], indirect=True)
def test_analysis_functions_give_the_embedded_results(pair: Pair) -> None:
    """trace, coverage, grid, impact, orphans, cycles and hubs answer alike on the server."""
    embedded, remote = pair.embedded, pair.remote
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


@pytest.mark.parametrize("pair", ["oxigraph"], indirect=True)
def test_status_and_report_contents_give_the_embedded_results(pair: Pair) -> None:
    """Follow-up status and the report's gathered contents are the same on the server."""
    embedded, remote = pair.embedded, pair.remote
    expected = json.loads(gg.status(embedded).to_json())
    got = json.loads(gg.status(remote).to_json())
    assert _unordered(got) == _unordered(expected)
    assert expected["goals"]
    assert repr(gather(remote, kommun="0685")) == repr(gather(embedded, kommun="0685"))


def test_writing_functions_say_they_are_not_available_remotely(pair: Pair) -> None:
    """infer() and the pySHACL engine raise RemoteUnavailable naming the server, not a raw error."""
    remote = pair.remote
    with pytest.raises(RemoteUnavailable, match=re.escape(remote.url)):
        gg.infer(remote)
    with pytest.raises(RemoteUnavailable, match=re.escape(remote.url)):
        gg.validate(remote, engine="pyshacl")
    assert len(remote) == len(pair.embedded) > 0
