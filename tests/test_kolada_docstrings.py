"""The runnable examples and the docstring conventions of the goalgraph.kolada modules."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = [
    "goalgraph.kolada",
    "goalgraph.kolada.cache",
    "goalgraph.kolada.client",
    "goalgraph.kolada.observations",
    "goalgraph.kolada.proposals",
    "goalgraph.kolada.records",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every >>> example of the module runs and prints what its docstring says."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)
    monkeypatch.delenv("GOALGRAPH_KOLADA_URL", raising=False)
    results = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False, report=False
    )
    assert results.attempted > 0 and results.failed == 0


@pytest.mark.parametrize("name", MODULES[1:])
def test_public_functions_have_an_example(name: str) -> None:
    """Each public function has a >>> example, and says what it raises when its body raises."""
    module = importlib.import_module(name)
    for attribute in module.__all__:
        value = getattr(module, attribute)
        if inspect.isfunction(value):
            doc = inspect.getdoc(value) or ""
            assert ">>>" in doc, f"{name}.{attribute}"
            if "raise " in inspect.getsource(value):
                assert ":raises" in doc, f"{name}.{attribute}"


def test_a_wrong_example_would_be_reported() -> None:
    """A docstring with a wrong result fails the doctest run, so the check above can fail."""
    module = type(inspect)("broken", '"""\n>>> 1 + 1\n3\n"""')
    assert doctest.testmod(module, report=False).failed == 1
