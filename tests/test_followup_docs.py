"""The follow-up package documents itself: runnable examples, :raises: lines, docs/followup.md."""

from __future__ import annotations

import doctest
import importlib
import inspect
from pathlib import Path

import pytest

MODULES = [
    "goalgraph.followup",
    "goalgraph.followup.progress",
    "goalgraph.followup._text",
    "goalgraph.followup._status",
    "goalgraph.followup._compare",
]
DOC = Path(__file__).parent.parent / "docs" / "followup.md"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every >>> example of the follow-up modules runs and prints what it says."""
    monkeypatch.delenv("GOALGRAPH_LANG", raising=False)
    module = importlib.import_module(name)
    results = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False, report=False)
    assert results.attempted > 0 and results.failed == 0


def test_public_functions_have_an_example_and_say_what_they_raise() -> None:
    """status, compare and the functions of progress have a >>> example and a :raises: line."""
    from goalgraph import followup
    from goalgraph.followup import progress

    functions = [getattr(followup, n) for n in ("status", "compare")]
    functions += [getattr(progress, n) for n in progress.__all__]
    for function in functions:
        if inspect.isfunction(function):
            doc = inspect.getdoc(function) or ""
            assert ">>>" in doc and ":raises" in doc, function.__name__


def test_method_doc_states_the_thresholds_of_method_toml() -> None:
    """docs/followup.md gives the thresholds method.toml holds, so the two cannot drift apart."""
    from goalgraph.followup.progress import default_method

    text = DOC.read_text(encoding="utf-8")
    method = default_method()
    for bound in (*method.without_target_thresholds[:2], *method.with_target_thresholds[:2]):
        assert f"{bound * 100:g} %" in text, bound
    assert f"{method.zero_replacement:g}" in text
    assert "open-sdg" in text and "progress-methodology.md" in text
