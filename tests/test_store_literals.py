"""Literals as written in the store on disk: kept at load, given back by open without a scan."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import goalgraph as gg
from goalgraph.cli import app
from goalgraph.literals import XSD
from goalgraph.store.disk import load_sources, open_store
from goalgraph.store.kept_literals import data_ledger, recorded

EXAMPLES = Path(__file__).parent.parent / "examples"
_PREFIXES = (
    "@prefix ex: <https://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)
runner = CliRunner()


def _written(graph: gg.GoalGraph) -> list[str]:
    """The data graph's literal values as the serialiser would write them."""
    return sorted(
        t.object.value for t in graph.triples(as_written=True) if isinstance(t.object, ox.Literal)
    )


def _registry(store: Path) -> Path:
    marker = json.loads((store / "goalgraph-store.json").read_text(encoding="utf-8"))
    return store / marker["current"] / "sources.json"


def test_a_decimal_comes_back_as_written_through_load_store_and_open(tmp_path: Path) -> None:
    """A decimal "1.50" loaded by `goalgraph load --store` is serialised as "1.50" after open."""
    source = tmp_path / "amounts.ttl"
    source.write_text(_PREFIXES + 'ex:s ex:amount "1.50"^^xsd:decimal .\n', encoding="utf-8")
    store = tmp_path / "store"
    done = runner.invoke(app, ["load", "--store", str(store), str(source)])
    assert done.exit_code == 0, done.output
    graph = gg.open(store)
    assert [t.object.value for t in graph.triples()] == ["1.5"]  # the store's own form
    assert '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>' in graph.serialize(
        format="n-triples"
    )
    assert graph.serialize() == gg.load(source, vocabulary=False).serialize()


def test_a_literal_written_both_ways_by_two_sources_keeps_both(tmp_path: Path) -> None:
    """Sources writing "1.5" and "1.50" for one triple: open gives both, as load does."""
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text(_PREFIXES + 'ex:s ex:amount "1.5"^^xsd:decimal .\n', encoding="utf-8")
    second.write_text(_PREFIXES + 'ex:s ex:amount "1.50"^^xsd:decimal .\n', encoding="utf-8")
    load_sources(tmp_path / "store", first, second)
    stored = open_store(tmp_path / "store")
    assert _written(stored) == ["1.5", "1.50"] == _written(gg.load(first, second))


def test_a_stored_ill_formed_date_is_found_as_from_the_files(tmp_path: Path) -> None:
    """Vetlanda with "2019-04-31"^^xsd:date: validate on the opened store reports it as files do."""
    text = (EXAMPLES / "vetlanda" / "vetlanda.ttl").read_text(encoding="utf-8")
    source = tmp_path / "vetlanda.ttl"
    source.write_text(
        text.replace('"2030-12-31"^^xsd:date', '"2019-04-31"^^xsd:date', 1), encoding="utf-8"
    )
    load_sources(tmp_path / "store", source)
    stored = gg.validate(open_store(tmp_path / "store"), lang="en")
    assert [str(r.value) for r in stored.results if "2019-04-31" in str(r.value)] == ["2019-04-31"]
    assert stored.to_json() == gg.validate(gg.load(source), lang="en").to_json()


def test_a_store_without_kept_literals_is_scanned_for_ill_formed_ones(tmp_path: Path) -> None:
    """A registry without literal records (an older store) is scanned for ill-formed literals."""
    source = tmp_path / "dates.ttl"
    source.write_text(
        _PREFIXES + 'ex:s ex:on "2019-04-31"^^xsd:date ; ex:amount "1.50"^^xsd:decimal .\n',
        encoding="utf-8",
    )
    load_sources(tmp_path / "store", source)
    registry = _registry(tmp_path / "store")
    kept = json.loads(registry.read_text(encoding="utf-8"))
    assert data_ledger(ox.Store(), kept["sources"]) is not None
    for entry in kept["sources"]:
        del entry["literals"]
    assert data_ledger(ox.Store(), kept["sources"]) is None
    registry.write_text(json.dumps(kept), encoding="utf-8")
    graph = open_store(tmp_path / "store")
    date = ox.Literal("2019-04-31", datatype=ox.NamedNode(XSD + "date"))
    assert graph.literals.ill_formed([gg.graph.DATA_GRAPH]) >= {date}
    assert _written(graph) == ["1.5", "2019-04-31"]  # the scan cannot find the original "1.50"


@pytest.mark.parametrize("value", ["1.50", "01", "+1.0"])
def test_a_record_holds_each_rewritten_literal_as_written(value: str) -> None:
    """recorded() keeps the written form of a literal the store rewrites; a kept one is left out."""
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    written = ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    kept = ox.Literal("2.5", datatype=ox.NamedNode(XSD + "decimal"))
    record = recorded([ox.Triple(s, p, written), ox.Triple(s, p, kept)])
    assert [w.split('"')[1] for r in record["rewritten"] for w in r["written"]] == [value]
    assert record["ill_formed"] == []
