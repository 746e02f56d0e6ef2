"""Helpers shared by several test modules; fixtures live in conftest.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from goalgraph import GoalGraph, load

ANALYSIS_DATA = Path(__file__).parent / "data" / "analysis"

#: Parameters the named queries need to give rows on the examples.
QUERY_PARAMS = {
    "sdg-coverage-compare": {"kommun_a": "0685", "kommun_b": "1962"},
    "goals-for-sdg-target": {"target": "11.7"},
}

#: Parameter values crafted to break out of a query if they were pasted into its text.
HOSTILE_VALUES = [
    '0685" } } DROP ALL #',
    "0685' . ?goal ?p ?o } #",
    '0685"^^<http://www.w3.org/2001/XMLSchema#string> } UNION { ?s ?p ?o',
    "0685\n} INSERT DATA { <urn:x> <urn:y> <urn:z> }",
    "0685\n} ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> }",
]


def mini_graph(*extra: Path) -> GoalGraph:
    """The small analysis fixture (a Vetlanda and a Norberg chain), plus any *extra* sources."""
    return load(ANALYSIS_DATA / "mini.ttl", *extra)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m goalgraph`` as a user would, so main()'s error handling is exercised."""
    return subprocess.run(
        [sys.executable, "-m", "goalgraph", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
