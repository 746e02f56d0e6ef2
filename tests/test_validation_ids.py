"""Stable result ids: the same finding has the same id across runs, load orders and blank nodes."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import goalgraph as gg
from goalgraph.validation._ids import finding_id

ROOT = Path(__file__).parent.parent
VETLANDA = ROOT / "examples" / "vetlanda"
VAGGERYD = ROOT / "examples" / "vaggeryd"
SHAPES_DATA = Path(__file__).parent / "data" / "shapes"
ID = re.compile(r"^gg-[0-9a-f]{20}$")

SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] ;
    sh:property [ sh:path ex:size ; sh:datatype xsd:integer ] .
ex:BoxShape a sh:NodeShape ;
    sh:targetClass ex:Box ;
    sh:property [ sh:path ex:part ; sh:nodeKind sh:IRI ] .
"""
# Blank-node focus nodes (the things) and value nodes (the parts), written two ways.
DATA = """\
@prefix ex: <https://example.org/> .
ex:box a ex:Box ;
    ex:holds [ a ex:Thing ; ex:size "big" ] , [ a ex:Thing ; ex:name "n" ; ex:size "small" ] ;
    ex:part [ ex:x 1 ] , [ ex:x 2 ] .
"""
DATA_REWRITTEN = """\
@prefix ex: <https://example.org/> .
_:p2 ex:x 2 .
_:t2 ex:size "small" ; a ex:Thing ; ex:name "n" .
ex:box ex:part _:p2 , _:p1 ; ex:holds _:t2 , _:t1 ; a ex:Box .
_:p1 ex:x 1 .
_:t1 ex:size "big" ; a ex:Thing .
"""


def _ids(*sources: Path | str, **options: object) -> dict[str, tuple[str, ...]]:
    """Each result's id with what it is about (blank nodes shown without their label)."""
    report = gg.validate(gg.load(*sources), **options)  # type: ignore[arg-type]
    found = {}
    for result in report.results:
        about = tuple(
            "_:" if text.startswith("_:") else text for text in (*result.key(), result.message)
        )
        found[result.id] = about
    assert len(found) == len(report.results), "ids must be unique within a report"
    return found


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ids_are_equal_whatever_the_order_the_files_are_loaded_in() -> None:
    """Loading Vetlanda then Vaggeryd, or Vaggeryd then Vetlanda, gives the same ids."""
    first = _ids(VETLANDA, VAGGERYD)
    assert first == _ids(VAGGERYD, VETLANDA)
    assert all(ID.match(found) for found in first)


def test_ids_do_not_depend_on_the_language_or_the_input_format() -> None:
    """The same findings from the CSV folder in English and the Turtle file in Swedish."""
    from_turtle = gg.validate(gg.load(VETLANDA / "vetlanda.ttl"), lang="sv")
    from_csv = gg.validate(gg.load(VETLANDA / "csv"), lang="en")
    assert [r.id for r in from_turtle.results]
    assert {r.id: r.key() for r in from_turtle.results} == {r.id: r.key() for r in from_csv.results}


def test_different_findings_have_different_ids() -> None:
    """Over all three examples, no two distinct findings share an id."""
    report = gg.validate(gg.load(ROOT / "examples"))
    keys = {r.key() for r in report.results}
    assert len({r.id for r in report.results}) == len(keys) == len(report.results)


def test_both_engines_give_the_same_ids(tmp_path: Path) -> None:
    """pySHACL and the fast engine name the same findings with the same ids, blank-node shapes
    and blank-node focus and value nodes included."""
    shapes = _write(tmp_path, "shapes.ttl", SHAPES)
    sources = [SHAPES_DATA / "valid.ttl", SHAPES_DATA / "ks-forecast.ttl"]
    sources.append(_write(tmp_path, "things.ttl", DATA))
    graph = gg.load(*sources)
    fast = gg.validate(graph, engine="fast", extra_shapes=[shapes])
    reference = gg.validate(graph, engine="pyshacl", extra_shapes=[shapes])
    assert len(fast.results) == 2 + 5
    assert sorted(r.id for r in fast.results) == sorted(r.id for r in reference.results)


def test_blank_node_findings_keep_their_ids_when_the_file_is_rewritten(tmp_path: Path) -> None:
    """Blank-node focus and value nodes, and blank-node shapes, are named by their content."""
    shapes = _write(tmp_path, "shapes.ttl", SHAPES)
    one = _ids(_write(tmp_path, "one.ttl", DATA), extra_shapes=[shapes])
    other = _ids(_write(tmp_path, "other.ttl", DATA_REWRITTEN), extra_shapes=[shapes])
    assert one == other
    # two things and two parts: missing name, two wrong sizes, two parts that are no IRI
    assert len(one) == 5


def test_blank_nodes_nothing_tells_apart_give_findings_with_one_id(tmp_path: Path) -> None:
    """Two parts with the same triples in and out give two findings that share their id."""
    shapes = _write(tmp_path, "shapes.ttl", SHAPES)
    twins = (
        "@prefix ex: <https://example.org/> .\nex:box a ex:Box ; ex:part [ ex:x 1 ] , [ ex:x 1 ] ."
    )
    report = gg.validate(gg.load(_write(tmp_path, "twins.ttl", twins)), extra_shapes=[shapes])
    found = [r for r in report.results if "NodeKind" in str(r.constraint_component)]
    assert len(found) == 2 and found[0].value != found[1].value
    assert found[0].id == found[1].id
    other = twins.replace("ex:x 1 ] .", "ex:x 2 ] .")
    report = gg.validate(gg.load(_write(tmp_path, "pair.ttl", other)), extra_shapes=[shapes])
    assert len({r.id for r in report.results}) == len(report.results) == 2


def test_ids_do_not_depend_on_which_results_are_described_together() -> None:
    """Describing results one at a time (as incremental validation does) gives the same ids."""
    from goalgraph.validation._ids import ResultIds
    from goalgraph.validation._validate import run_engine, shapes_graph

    graph = gg.load(VETLANDA)
    shapes = shapes_graph()
    raw, _, _ = run_engine(graph, shapes, "fast")
    together = ResultIds(graph.store, shapes)
    alone = [ResultIds(graph.store, shapes).of(item) for item in raw]
    assert [together.of(item) for item in raw] == alone
    assert sorted(alone) == sorted(r.id for r in gg.validate(graph).results)


def test_equal_blank_nodes_held_by_different_items_have_different_ids(tmp_path: Path) -> None:
    """A nameless thing under ex:a and an equal one under ex:b are two findings, two ids."""
    shapes = _write(tmp_path, "shapes.ttl", SHAPES)
    data = _write(
        tmp_path,
        "held.ttl",
        "@prefix ex: <https://example.org/> .\n"
        "ex:a ex:holds [ a ex:Thing ] .\nex:b ex:holds [ a ex:Thing ] .",
    )
    assert len(_ids(data, extra_shapes=[shapes])) == 2


def test_an_id_changes_when_the_shape_iri_changes(tmp_path: Path) -> None:
    """Renaming the shape that found something gives its findings new ids (as documented)."""
    data = _write(tmp_path, "data.ttl", DATA)
    before = _ids(data, extra_shapes=[_write(tmp_path, "a.ttl", SHAPES)])
    renamed = SHAPES.replace("ex:BoxShape", "ex:CrateShape")
    after = _ids(data, extra_shapes=[_write(tmp_path, "b.ttl", renamed)])
    box = {found for found, about in before.items() if "NodeKind" in about[1]}
    assert len(box) == 2 and not box & set(after)  # the renamed shape's findings: new ids
    assert set(before) - box <= set(after) and len(after) == len(before)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(12)), prefix=st.sampled_from(["a", "node", "x9", "b"]))
def test_ids_survive_any_order_and_labelling_of_the_triples(order: list[int], prefix: str) -> None:
    """Shuffled N-Triples with renamed blank nodes give the same ids as the Turtle file."""
    import rdflib

    graph = rdflib.Graph().parse(data=DATA, format="turtle")
    lines = sorted(graph.serialize(format="nt").strip().splitlines())
    assert len(lines) == 12
    relabelled = [
        re.sub(r"_:(\w+)", lambda m: f"_:{prefix}{m.group(1)[::-1]}", lines[i]) for i in order
    ]
    with tempfile.TemporaryDirectory() as folder:
        shapes = _write(Path(folder), "shapes.ttl", SHAPES)
        expected = _ids(_write(Path(folder), "data.ttl", DATA), extra_shapes=[shapes])
        shuffled = _write(Path(folder), "data.nt", "\n".join(relabelled) + "\n")
        assert _ids(shuffled, extra_shapes=[shapes]) == expected


@given(parts=st.lists(st.lists(st.text(max_size=8), min_size=1, max_size=6), min_size=2))
def test_finding_id_is_a_function_of_its_parts_and_tells_them_apart(
    parts: list[list[str]],
) -> None:
    """Equal parts give equal ids, different parts (as joined) different ids."""
    ids = {tuple(p): finding_id(p) for p in parts}
    assert all(finding_id(list(p)) == found for p, found in ids.items())
    assert len(set(ids.values())) == len(ids)


@pytest.mark.parametrize("wrong", ["", "gg-xyz", "gg-" + "0" * 19])
def test_the_id_pattern_rejects_what_is_not_an_id(wrong: str) -> None:
    """The documented id form is strict: gg- and 20 lower-case hex digits."""
    assert not ID.match(wrong)
    assert ID.match(finding_id(["x"]))
