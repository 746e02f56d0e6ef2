"""Under engine="auto", pySHACL runs only the targeted shapes the fast engine declines."""

from __future__ import annotations

import logging
from pathlib import Path

import jsonschema
import pytest

from goalgraph import load
from goalgraph.contract import schema
from goalgraph.graph import GoalGraph
from goalgraph.validation import validate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SHAPE = "https://example.org/S"
PREFIXES = (
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "@prefix gg: <https://w3id.org/goalgraph/ontology#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)
# "1.50" is kept as "1.5" by the store: a pattern over it is declined by the fast engine
DECLINED = (
    f"<{SHAPE}> a sh:NodeShape ; sh:targetClass gg:Observation ;\n"
    '    sh:property [ sh:path gg:value ; sh:pattern "5$" ] .\n'
)


@pytest.fixture
def graph(tmp_path: Path) -> GoalGraph:
    """Vetlanda's example and one observation valued "1.50"^^xsd:decimal."""
    observation = tmp_path / "observation.ttl"
    observation.write_text(
        PREFIXES + '<https://example.org/o> a gg:Observation ; gg:value "1.50"^^xsd:decimal ;\n'
        '    gg:refYear "2023"^^xsd:gYear .\n',
        encoding="utf-8",
    )
    return load(EXAMPLES / "vetlanda" / "vetlanda.ttl", observation)


def _shapes(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


def test_a_declined_shape_is_run_by_pyshacl_and_the_others_by_the_fast_engine(
    graph: GoalGraph, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """With goalgraph's own shapes and one user shape the fast engine declines, auto names
    that shape as pySHACL's, warns once, and gives exactly pySHACL's report for all shapes."""
    extra = _shapes(tmp_path, DECLINED)
    with caplog.at_level(logging.WARNING, logger="goalgraph.validation"):
        report = validate(graph, extra_shapes=[extra], engine="auto", lang="en")
    reference = validate(graph, extra_shapes=[extra], engine="pyshacl", lang="en")
    assert (report.engine, report.pyshacl_shapes) == ("fast", (SHAPE,))
    assert sorted(r.id for r in report) == sorted(r.id for r in reference)
    assert any(str(r.source_shape) != SHAPE for r in report)  # the built-in shapes found some
    [warning] = [r.getMessage() for r in caplog.records if r.name == "goalgraph.validation"]
    assert f"<{SHAPE}>" in warning and "pySHACL" in warning
    document = report.to_dict()
    jsonschema.Draft202012Validator(schema("validation")).validate(document)
    assert document["pyshacl_shapes"] == [SHAPE]


def test_the_pattern_is_judged_as_written_by_the_shape_pyshacl_runs(
    graph: GoalGraph, tmp_path: Path
) -> None:
    """The declined shape's own results come from pySHACL on the literal as written: "1.50"
    fails "5$" (the stored "1.5" would meet it)."""
    report = validate(graph, extra_shapes=[_shapes(tmp_path, DECLINED)], engine="auto")
    values = {str(r.value) for r in report if "Pattern" in str(r.constraint_component)}
    assert values == {"1.50"}


def test_a_run_with_nothing_declined_names_no_pyshacl_shapes(graph: GoalGraph) -> None:
    """goalgraph's own shapes run on the fast engine alone."""
    report = validate(graph, engine="auto")
    assert (report.engine, report.pyshacl_shapes) == ("fast", ())
    assert report.to_dict()["pyshacl_shapes"] == []


@pytest.mark.parametrize(
    "body",
    [
        # a blank-node shape cannot be named to pySHACL
        DECLINED.replace(f"<{SHAPE}>", "[]"),
        # SHACL-AF rules change the data every shape sees
        DECLINED + f"<{SHAPE}> sh:rule [ a sh:TripleRule ; sh:subject sh:this ;\n"
        '    sh:predicate gg:note ; sh:object "x" ] .\n',
        # a targeted shape reached from a declined one would be validated by both engines
        DECLINED + f"<{SHAPE}> sh:node <https://example.org/Targeted> .\n"
        "<https://example.org/Targeted> a sh:NodeShape ; sh:targetClass gg:Observation ;\n"
        "    sh:property [ sh:path gg:indicator ; sh:minCount 1 ] .\n",
    ],
    ids=["blank-node-shape", "rules", "reaches-a-targeted-shape"],
)
def test_a_run_that_cannot_be_split_is_pyshacls_whole(
    graph: GoalGraph, tmp_path: Path, body: str
) -> None:
    """When the declined shapes cannot be run apart, pySHACL validates every shape, and the
    report says pySHACL ran."""
    extra = _shapes(tmp_path, body)
    report = validate(graph, extra_shapes=[extra], engine="auto")
    reference = validate(graph, extra_shapes=[extra], engine="pyshacl")
    assert (report.engine, report.pyshacl_shapes) == ("pyshacl", ())
    assert sorted(r.id for r in report) == sorted(r.id for r in reference)


def test_shapes_a_declined_shape_references_are_run_with_it(
    graph: GoalGraph, tmp_path: Path
) -> None:
    """A shape without targets that a declined shape references by IRI (sh:node) is given to
    pySHACL with it: its findings are there, as in pySHACL's own run."""
    body = DECLINED + (
        f"<{SHAPE}> sh:node <https://example.org/Inner> .\n"
        "<https://example.org/Inner> a sh:NodeShape ;\n"
        "    sh:property [ sh:path gg:indicator ; sh:minCount 1 ] .\n"
    )
    extra = _shapes(tmp_path, body)
    report = validate(graph, extra_shapes=[extra], engine="auto")
    reference = validate(graph, extra_shapes=[extra], engine="pyshacl")
    assert report.pyshacl_shapes == (SHAPE,)
    assert sorted(r.id for r in report) == sorted(r.id for r in reference)
    components = {str(r.constraint_component).rsplit("#")[-1] for r in report}
    assert "NodeConstraintComponent" in components


def test_a_store_keeps_which_shapes_pyshacl_ran(tmp_path: Path) -> None:
    """Results saved in a store after a split run are read back with the same shapes named."""
    from goalgraph.store.disk import load_sources, open_store

    observation = tmp_path / "observation.ttl"
    observation.write_text(
        PREFIXES + '<https://example.org/o> a gg:Observation ; gg:value "1.50"^^xsd:decimal .\n',
        encoding="utf-8",
    )
    folder = tmp_path / "store"
    load_sources(folder, EXAMPLES / "vetlanda" / "vetlanda.ttl", observation)
    extra = _shapes(tmp_path, DECLINED)
    cold = validate(open_store(folder), extra_shapes=[extra])
    warm = validate(open_store(folder), extra_shapes=[extra])
    assert cold.pyshacl_shapes == warm.pyshacl_shapes == (SHAPE,)
    assert [r.id for r in cold] == [r.id for r in warm]
