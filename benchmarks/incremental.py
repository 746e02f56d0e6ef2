"""Benchmark one-edit incremental re-checks (``Validator.apply``) beside a full re-validate.

    python3 benchmarks/incremental.py             # N = 290
    python3 benchmarks/incremental.py --size 10

The synthetic national graph (``generate.py``) is loaded once and validated
in full (the reference, timed: the checks only, on the loaded store). Then
each edit of issue 13 is applied and reverted through one ``Validator``:
remove one nämnd goal's KF link, change one KF goal's period, add one SDG
link. For each the incremental time is printed beside the full re-validate
of the same run, and the delta's report is compared with a fresh
``validate`` of the changed graph (exit code 1 if they differ). Targets:
<= 50 ms and <= 1 % of the full re-validate.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from rdflib import URIRef  # noqa: E402

from goalgraph import Validator, load, validate  # noqa: E402

GG = "https://w3id.org/goalgraph/ontology#"
REF = "https://w3id.org/goalgraph/ref/"
SDG = "http://metadata.un.org/sdg/"


def _edits(code: str) -> list[tuple[str, dict[str, list[tuple[URIRef, URIRef, URIRef]]]]]:
    """The three edits of issue 13 on the kommun *code*."""
    base = f"https://w3id.org/goalgraph/id/{code}/"
    committee_goal = URIRef(base + "goal/N1-1")
    council_goal = URIRef(base + "goal/KF3")
    link = (committee_goal, URIRef(GG + "contributesToGoal"), URIRef(base + "goal/KF3"))
    period = URIRef(GG + "mandatePeriod")
    old = (council_goal, period, URIRef(REF + "period/2022-2026"))
    new = (council_goal, period, URIRef(REF + "period/2018-2022"))
    sdg = (committee_goal, URIRef(GG + "contributesToSDG"), URIRef(SDG + "4.1"))
    return [
        ("remove a nämnd goal's KF link", {"removed": [link]}),
        ("change a KF goal's period", {"removed": [old], "added": [new]}),
        ("add an SDG link", {"added": [sdg]}),
    ]


def _reverse(change: dict[str, list[tuple[URIRef, URIRef, URIRef]]]) -> dict[str, list[object]]:
    return {"added": list(change.get("removed", [])), "removed": list(change.get("added", []))}


def main() -> int:
    """Run the benchmark and print one line per edit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=290, help="kommuner in the graph")
    parser.add_argument("--repeat", type=int, default=3, help="runs per edit (best is shown)")
    args = parser.parse_args()
    from run import graph_file

    graph = load(graph_file(args.size))
    started = time.perf_counter()
    reference = validate(graph)
    full = time.perf_counter() - started
    validator = Validator(graph)
    assert sorted(r.key() for r in validator.report()) == sorted(r.key() for r in reference)
    code = "0170"  # a kommun of the generated graph
    print(f"N = {args.size}: {len(graph)} triples, full re-validate {full * 1000:.0f} ms")
    failed = False
    for name, change in _edits(code):
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            delta = validator.apply(**change)  # type: ignore[arg-type]
            times.append(time.perf_counter() - started)
            exact = sorted(r.key() for r in delta.report) == sorted(
                r.key() for r in validate(graph)
            )
            failed = failed or not exact
            validator.apply(**_reverse(change))  # type: ignore[arg-type]
        best = min(times)
        print(
            f"{name:32} {best * 1000:7.1f} ms  {best / full:7.2%} of full"
            f"  new {len(delta.new)} resolved {len(delta.resolved)}"
            f"  rechecked {delta.rechecked}  incremental {delta.incremental}"
            f"  {'same as a fresh validate' if exact else 'DIFFERS from a fresh validate'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
