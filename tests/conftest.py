"""Fixtures shared by the whole test suite; keep them small and generic."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from goalgraph import GoalGraph, load

DATA = Path(__file__).parent / "data"

# No property test is about speed, and with the suite spread over every core a busy neighbour
# can slow one example past hypothesis' 200 ms deadline or its too-slow health check, which
# would then fail at random; timing is checked by the tests that state a bound of their own.
settings.register_profile("goalgraph", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("goalgraph")

# The Kolada stand-in's fixtures (server, shared_server) for the Kolada test modules, and
# the tabled checks' (answered).
pytest_plugins = ["kolada_server", "tabled_support"]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The folder of small test fragments, ``tests/data``."""
    return DATA


@pytest.fixture(scope="session")
def vocabulary() -> GoalGraph:
    """A graph with no user data but the ontology and reference data; read it, never change it."""
    return load()


@pytest.fixture
def fresh_graph() -> GoalGraph:
    """A new graph with no user data but the vocabulary, which a test may change."""
    return load()


@pytest.fixture(autouse=True)
def swedish_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start every test in Swedish, whatever the caller's environment says."""
    monkeypatch.setenv("GOALGRAPH_LANG", "sv")
