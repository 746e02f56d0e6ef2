"""The validation benchmark's comparison of result sets (benchmarks/run.py, engines.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent

FOCUS = "<https://w3id.org/goalgraph/id/0170/goal/N3-1>"
COMPONENT = "http://www.w3.org/ns/shacl#OrConstraintComponent"
SHAPE = "<https://w3id.org/goalgraph/shapes#CommitteeGoalPerspectiveShape>"
SEQUENCE = "(<https://w3id.org/goalgraph/ontology#a>/<https://w3id.org/goalgraph/ontology#b>)"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", ROOT / "benchmarks" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_equal_result_sets_compare_equal() -> None:
    """The same keys from another engine, in another order, count as equal."""
    keys = [[FOCUS, COMPONENT, SHAPE, FOCUS, ""], [FOCUS, COMPONENT, SHAPE, "", SEQUENCE]]
    same, text = _script("run").compare(keys, list(reversed(keys)), "pyshacl")
    assert same
    assert text == "2 (equal)"


def test_a_missing_or_duplicated_result_is_reported_as_differing() -> None:
    """A result only one engine reports, or reports twice, makes the sets differ, loudly."""
    compare = _script("run").compare
    key = [FOCUS, COMPONENT, SHAPE, FOCUS, ""]
    same, text = compare([key], [], "turbo")
    assert not same
    assert "DIFFERS" in text and "1 only in goalgraph" in text
    same, text = compare([key], [key, key], "pyshacl")
    assert not same
    assert "1 only in pySHACL" in text


def test_pyrudof_keys_compare_complex_paths_as_such() -> None:
    """pyrudof writes complex paths its own way: they match goalgraph's as complex paths only."""
    run, engines = _script("run"), _script("engines")
    ours = [[FOCUS, COMPONENT, SHAPE, "", SEQUENCE]]
    rudof_path = "(https://w3id.org/goalgraph/ontology#a / https://w3id.org/goalgraph/ontology#b)"
    theirs = [[FOCUS, COMPONENT, SHAPE, "", engines._rudof_path(rudof_path)]]
    assert run.compare(ours, theirs, "rudof")[0]
    other = [
        [FOCUS, COMPONENT, SHAPE, "", engines._rudof_path("https://w3id.org/goalgraph/ontology#a")]
    ]
    assert not run.compare(ours, other, "rudof")[0]


def test_pyrudof_terms_are_written_like_goalgraphs_keys() -> None:
    """pyrudof's text terms become N-Triples-like keys: IRIs bracketed, plain strings typed."""
    term = _script("engines")._rudof_term
    assert term("https://w3id.org/goalgraph/id/0170") == "<https://w3id.org/goalgraph/id/0170>"
    assert term('"1.5"') == '"1.5"^^<http://www.w3.org/2001/XMLSchema#string>'
    assert term('"x"@en') == '"x"@en'
    assert term("_:b0") == "_:"
    assert term(None) == ""
