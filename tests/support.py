"""Helpers shared by several test modules; fixtures live in conftest.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from goalgraph import GoalGraph, load

ANALYSIS_DATA = Path(__file__).parent / "data" / "analysis"


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
