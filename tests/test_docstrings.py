"""The runnable examples in the docstrings of the core, vocabulary and analysis modules."""

from __future__ import annotations

import doctest
import importlib
import inspect
from types import ModuleType

import pytest

MODULES = [
    "goalgraph",
    "goalgraph.deadlines",
    "goalgraph.destinations",
    "goalgraph.errors",
    "goalgraph.federation",
    "goalgraph.graph",
    "goalgraph.i18n",
    "goalgraph.inputs",
    "goalgraph.ledger",
    "goalgraph.limits",
    "goalgraph.literals",
    "goalgraph.loading",
    "goalgraph.namespace",
    "goalgraph.positions",
    "goalgraph.resources",
    "goalgraph.sparql_text",
    "goalgraph.vocabulary",
]
ANALYSIS_MODULES = [
    "goalgraph.reasoning",
    "goalgraph.goal_chain",
    "goalgraph.item_names",
    "goalgraph.traceability",
    "goalgraph.gaps",
    "goalgraph.municipalities",
    "goalgraph.dependents",
    "goalgraph.structure",
    "goalgraph.query_library",
    "goalgraph.endpoint",
]


def _run(module: ModuleType) -> doctest.TestResults:
    return doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False, report=False)


@pytest.mark.parametrize("name", MODULES + ANALYSIS_MODULES)
def test_docstring_examples_pass(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every >>> example of the module runs and prints what its docstring says."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)
    results = _run(importlib.import_module(name))
    assert results.failed == 0


def test_a_wrong_example_is_reported() -> None:
    """A docstring whose example is wrong makes the doctest run report a failure."""
    module = ModuleType("broken_example", '"""\n>>> 1 + 1\n3\n"""')
    assert _run(module) == doctest.TestResults(failed=1, attempted=1)


@pytest.mark.parametrize(
    "name",
    [
        "goalgraph.vocabulary",
        "goalgraph.inputs",
        "goalgraph.limits",
        "goalgraph.loading",
        *ANALYSIS_MODULES,
    ],
)
def test_public_functions_have_an_example_and_say_what_they_raise(name: str) -> None:
    """Each public function of the module has a >>> example and a :raises: line."""
    module = importlib.import_module(name)
    for attribute in module.__all__:
        value = getattr(module, attribute)
        if inspect.isfunction(value):
            doc = inspect.getdoc(value) or ""
            assert ">>>" in doc and ":raises" in doc, f"{name}.{attribute}"
