"""Tests of goalgraph.municipalities: a --kommun code names a kommun of the data, or is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalgraph import UnknownTermError, load
from goalgraph.followup import status
from goalgraph.gaps import coverage, substrategy_grid
from goalgraph.municipalities import data_kommuner, require_kommun
from goalgraph.traceability import trace

EXAMPLES = Path(__file__).parent.parent / "examples"
VETLANDA = "https://w3id.org/goalgraph/ref/kommun/0685"


@pytest.fixture(scope="module")
def vetlanda():
    """Vetlanda's example data."""
    return load(EXAMPLES / "vetlanda" / "vetlanda.ttl")


def test_data_kommuner_are_the_kommuner_the_data_is_about(vetlanda) -> None:
    """Vetlanda's data is about Vetlanda only; reference data alone is about no kommun."""
    assert data_kommuner(vetlanda) == {"0685": VETLANDA}
    assert data_kommuner(load()) == {}


def test_a_kommun_of_the_data_is_its_iri(vetlanda) -> None:
    """0685 (with stray spaces) is Vetlanda's IRI."""
    assert require_kommun(vetlanda, " 0685 ") == VETLANDA


def test_a_code_of_no_kommun_is_named_as_unknown(vetlanda) -> None:
    """9999 is no kommun: the error names it and lists what the data holds."""
    with pytest.raises(UnknownTermError, match="9999") as caught:
        require_kommun(vetlanda, "9999", lang="en")
    assert "No kommun has the code" in str(caught.value)
    assert "0685 Vetlanda" in str(caught.value)


def test_a_real_kommun_without_data_says_no_data(vetlanda) -> None:
    """Stockholm (0180) is a kommun, but the data holds nothing about it: said so by name."""
    with pytest.raises(UnknownTermError, match="0180 Stockholm") as caught:
        require_kommun(vetlanda, "0180", lang="en")
    assert "holds nothing about" in str(caught.value)
    assert caught.value.term == "0180"


@pytest.mark.parametrize("code", ["9999", "0180"])
def test_coverage_and_grid_refuse_a_kommun_they_cannot_show(vetlanda, code: str) -> None:
    """coverage and the delstrategi grid raise instead of returning an empty table."""
    with pytest.raises(UnknownTermError, match=code):
        coverage(vetlanda, "sdg", kommun=code)
    with pytest.raises(UnknownTermError, match=code):
        substrategy_grid(vetlanda, kommun=code)


def test_coverage_and_grid_of_the_data_kommun_have_rows(vetlanda) -> None:
    """With 0685 both show Vetlanda's goals and delstrategier."""
    assert not coverage(vetlanda, "sdg", kommun="0685").matrix.empty
    assert substrategy_grid(vetlanda, kommun="0685").to_numpy().sum() > 0


def test_status_refuses_a_real_kommun_without_data(vetlanda) -> None:
    """status for Stockholm on Vetlanda's data is an error, not an empty report."""
    with pytest.raises(UnknownTermError, match="0180"):
        status(vetlanda, kommun="0180")
    assert not status(vetlanda, kommun="0685").goals.empty


def test_trace_with_a_kommun_the_data_lacks_is_an_error(vetlanda) -> None:
    """trace KFN-1 in Stockholm names 0180; in Vetlanda it traces Vetlanda's goal."""
    with pytest.raises(UnknownTermError, match="0180"):
        trace(vetlanda, "KFN-1", kommun="0180")
    assert trace(vetlanda, "kfn-1", kommun="0685").goal.endswith("/0685/goal/KFN-1")
