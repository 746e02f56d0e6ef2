"""goalgraph's uniqueness component (``ggsh:uniqueWithin``): its SPARQL definition run in the
store, and the fast engine's answer from the load's tables, give pySHACL's results."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from goalgraph import load
from goalgraph.property_tables import builtin_shape_paths
from goalgraph.validation import validate
from goalgraph.validation._check import Check, TabledUnique, Unsupported
from goalgraph.validation._compile import compile_shapes
from goalgraph.validation._fast import results_per_check
from goalgraph.validation._unique import UNIQUE_WITHIN
from goalgraph.validation._validate import shapes_graph
from tabled_support import (
    EX,
    EXSH,
    TABLED,
    Answered,
    counting,
    found_pairs,
    same_as_pyshacl_and_store,
)

ROOT = Path(__file__).parent.parent
COMPONENTS = ROOT / "shapes" / "components.ttl"
SHAPES = TABLED / "unique-shapes.ttl"
DATA = (TABLED / "unique-data.ttl", TABLED / "unique-more.ttl")
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER = f"<{XSD}integer>"


_PREFIXES = (
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "@prefix ggsh: <https://w3id.org/goalgraph/shapes#> .\n"
    f"@prefix ex: <{EX}> .\n"
)


def _turtle(path: Path, *lines: str) -> Path:
    """*path*, written with *lines* of Turtle after the sh:, ggsh: and ex: prefixes."""
    path.write_text(_PREFIXES + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def _unique_checks(shapes: rdflib.Graph) -> list[Check]:
    return [c for c in compile_shapes(shapes) if c.component == UNIQUE_WITHIN]


def test_shared_codes_within_a_scope_and_type_are_found_as_pyshacl_finds_them(
    answered: Answered,
) -> None:
    """The same code in the same ex:in for nodes of a shared type: those nodes, and no one
    else (other scope or type, a code written twice by one node, "1" and "01", no scope
    or no type); ex:n's code in a second file; a blank node; a compared node that is not
    a focus node."""
    graph = load(*DATA, shapes=[SHAPES], vocabulary=False)
    shapes = shapes_graph([SHAPES, COMPONENTS])
    keys = same_as_pyshacl_and_store(graph, shapes)
    assert set(answered.shapes) == {f"{EXSH}code", f"{EXSH}tag"}
    codes = found_pairs(keys, "code")
    assert {focus for focus, _ in codes if focus.startswith("ex:")} == {
        "ex:a", "ex:b", "ex:c", "ex:e", "ex:f", "ex:g", "ex:h", "ex:n",
    }  # fmt: skip
    assert len([focus for focus, _ in codes if focus.startswith("_:")]) == 1
    assert {value for _, value in codes} == {f'"{v}"^^<{XSD}string>' for v in "XYZ"}
    assert found_pairs(keys, "tag") == {("ex:r", f'"U"^^<{XSD}string>')}
    assert {k[1] for k in keys} == {str(UNIQUE_WITHIN)}
    assert {k[4] for k in keys} == {f"<{EX}code>", f"<{EX}tag>"}


def test_without_shared_values_there_is_no_result(answered: Answered, tmp_path: Path) -> None:
    """Every code once per scope and type: nothing, from the tables and from the store."""
    data = _turtle(
        tmp_path / "data.ttl",
        "ex:a a ex:Thing ; ex:in ex:s1 ; ex:code 'X' .",
        "ex:b a ex:Thing ; ex:in ex:s2 ; ex:code 'X' .",
        "ex:c a ex:Other ; ex:in ex:s1 ; ex:code 'X' .",
    )
    graph = load(data, shapes=[SHAPES], vocabulary=False)
    assert not same_as_pyshacl_and_store(graph, shapes_graph([SHAPES, COMPONENTS]))
    assert f"{EXSH}code" in answered.shapes


def test_the_builtin_shape_is_answered_from_the_tables_on_real_examples(
    answered: Answered,
) -> None:
    """Vetlanda with a second delstrategi of the same id in the kommun: both found, from
    the tables, as pySHACL finds them; a different kommun's same id is not."""
    copy = ROOT / "tests" / "data" / "shapes" / "cons-unique.ttl"
    graph = load(ROOT / "examples" / "vetlanda", copy)
    report = validate(graph, engine="fast")
    unique = [r for r in report.results if str(r.source_shape).endswith("UniqueIdentifierShape")]
    assert len(unique) == 2
    assert {str(r.value) for r in unique} == {"A-LEVA-1"}
    assert all("Samma id" in r.message for r in unique)
    assert any(s.endswith("UniqueIdentifierShape") for s in answered.shapes)
    reference = validate(graph, engine="pyshacl")
    assert sorted(r.id for r in report.results) == sorted(r.id for r in reference.results)


def test_the_builtin_component_is_tabled_and_its_scope_gathered() -> None:
    """The built-in shape's check has its table form, and the load gathers gg:municipality."""
    (check,) = _unique_checks(shapes_graph())
    assert check.tabled == TabledUnique(
        check.tabled.targets,  # type: ignore[union-attr]
        "http://purl.org/dc/terms/identifier",
        "https://w3id.org/goalgraph/ontology#municipality",
    )
    assert "https://w3id.org/goalgraph/ontology#municipality" in builtin_shape_paths()
    assert not check.per_focus  # without tables it runs once, set-wise


def test_a_redefined_component_is_left_to_its_own_validator(
    answered: Answered, tmp_path: Path
) -> None:
    """A shapes graph that gives the component another validator is not answered by the
    built-in rule: its own query decides, in the store, as in pySHACL."""
    other = _turtle(
        tmp_path / "other.ttl",
        SHAPES.read_text(),
        "ggsh:UniqueWithinConstraintComponent a sh:ConstraintComponent ;",
        "    sh:parameter [ sh:path ggsh:uniqueWithin ] ;",
        "    sh:propertyValidator [ sh:select",
        '"SELECT $this ?value WHERE { $this $PATH ?value . FILTER(?value = \\"W\\") }" ] .',
    )
    shapes = shapes_graph([other])
    assert all(c.tabled is None for c in _unique_checks(shapes))
    data = _turtle(
        tmp_path / "data.ttl",
        "ex:a a ex:Thing ; ex:in ex:s1 ; ex:code 'X' .",
        "ex:b a ex:Thing ; ex:in ex:s1 ; ex:code 'X' .",
        "ex:i a ex:Thing ; ex:in ex:s1 ; ex:code 'W' .",
    )
    graph = load(data, shapes=[other], vocabulary=False)
    keys = same_as_pyshacl_and_store(graph, shapes, store_may_decline_all=True)
    assert not answered.shapes
    assert found_pairs(keys, "code") == {("ex:i", f'"W"^^<{XSD}string>')}


def test_a_path_beyond_one_property_is_left_to_the_store(
    answered: Answered, tmp_path: Path
) -> None:
    """An inverse path is not in the tables: the store answers, as pySHACL does."""
    shapes_file = _turtle(
        tmp_path / "inverse.ttl",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:Thing ;",
        "    sh:path [ sh:inversePath ex:owns ] ; ggsh:uniqueWithin ex:in .",
    )
    data = _turtle(
        tmp_path / "data.ttl",
        "ex:a a ex:Thing ; ex:in ex:s1 . ex:b a ex:Thing ; ex:in ex:s1 .",
        "ex:o ex:owns ex:a , ex:b .",
    )
    shapes = shapes_graph([shapes_file, COMPONENTS])
    assert all(c.tabled is None for c in _unique_checks(shapes))
    graph = load(data, shapes=[shapes_file], vocabulary=False)
    keys = same_as_pyshacl_and_store(graph, shapes)
    assert not answered.shapes
    # ex:a and ex:b, both ex:Thing in ex:s1, share the value ex:o of ^ex:owns
    assert sorted((k[0], k[3]) for k in keys if k[2] == f"<{EX}S>") == [
        (f"<{EX}a>", f"<{EX}o>"),
        (f"<{EX}b>", f"<{EX}o>"),
    ]


# --- random data --------------------------------------------------------------------

_NODES = ["ex:n0", "ex:n1", "ex:n2", "ex:n3", "_:b0"]
_TRIPLE = st.one_of(
    st.tuples(st.sampled_from(_NODES), st.just("a"), st.sampled_from(["ex:T0", "ex:T1"])),
    st.tuples(st.sampled_from(_NODES), st.just("ex:in"), st.sampled_from(["ex:s0", "ex:s1"])),
    st.tuples(
        st.sampled_from(_NODES),
        st.just("ex:code"),
        st.sampled_from(['"1"', '"2"', "1", "01", "ex:s0"]),
    ),
)


@settings(max_examples=25, deadline=None)
@given(
    triples=st.lists(_TRIPLE, max_size=14),
    target=st.sampled_from(["sh:targetSubjectsOf ex:code", "sh:targetClass ex:T0"]),
    files=st.integers(1, 2),
)
def test_random_data_agrees_with_pyshacl_and_the_store(
    tmp_path_factory: pytest.TempPathFactory,
    triples: list[tuple[str, str, str]],
    target: str,
    files: int,
) -> None:
    """Random types, scopes and codes (strings, integers written two ways, IRIs) on IRIs and
    a blank node, over one file or two: the tables give pySHACL's results and the store's."""
    folder = tmp_path_factory.mktemp("unique")
    shapes_file = _turtle(
        folder / "shapes.ttl",
        f"ex:S a sh:PropertyShape ; {target} ; sh:path ex:code ; ggsh:uniqueWithin ex:in .",
    )
    lines = [" ".join(t) + " ." for t in triples]
    data = [_turtle(folder / f"data-{n}.ttl", *lines[n::files]) for n in range(files)]
    graph = load(*data, shapes=[shapes_file], vocabulary=False)
    with counting() as answered:
        same_as_pyshacl_and_store(
            graph, shapes_graph([shapes_file, COMPONENTS]), store_may_decline_all=True
        )
    assert set(answered) == {f"{EX}S"}


def test_without_tables_a_rewritten_literal_declines_the_component(tmp_path: Path) -> None:
    """In the store "1" and "01" are one integer, so the validator would join them: without
    the tables the fast engine declines the check (it used to report both nodes), and
    ``auto`` answers through pySHACL with the literals as written."""
    data = _turtle(
        tmp_path / "data.ttl",
        "ex:j a ex:Thing ; ex:in ex:s1 ; ex:code 1 .",
        f'ex:k a ex:Thing ; ex:in ex:s1 ; ex:code "01"^^{INTEGER} .',
    )
    graph = load(data, shapes=[SHAPES], vocabulary=False)
    graph.tables = None
    shapes = shapes_graph([SHAPES, COMPONENTS])
    checks = compile_shapes(shapes)
    declined: dict[int, Unsupported] = {}
    results_per_check(graph, checks, declined=declined)
    assert [str(checks[i].shape) for i in declined] == [f"{EXSH}code"]
    assert "SPARQL" in str(declined[next(iter(declined))])
    assert validate(graph, shapes=[SHAPES, COMPONENTS], engine="auto").conforms


def test_the_component_file_read_twice_gives_the_same_results() -> None:
    """Built-in shapes plus components.ttl again as extra shapes declare the parameter twice
    (two blank nodes): one check per shape, as with the file read once, and pySHACL's ids.
    It used to be a query with ``VALUES (?uniqueWithin ?uniqueWithin)``, refused."""
    graph = load(*DATA, shapes=[SHAPES])
    once = validate(graph, extra_shapes=[SHAPES])
    twice = validate(graph, extra_shapes=[SHAPES, COMPONENTS])
    reference = validate(graph, extra_shapes=[SHAPES, COMPONENTS], engine="pyshacl")
    ids = sorted(r.id for r in once.results)
    assert ids == sorted(r.id for r in twice.results) == sorted(r.id for r in reference.results)
    assert len([r for r in twice.results if str(r.source_shape) == f"{EXSH}code"]) == 9
