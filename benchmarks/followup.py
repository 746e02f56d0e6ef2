"""Benchmark goalgraph.status (follow-up) against goalgraph.validate on the same synthetic data.

    python3 benchmarks/followup.py                  # N = 1 and 290
    python3 benchmarks/followup.py --sizes 1 10 50

The national graph of ``generate.py`` (N kommuner × 100 indicators × 10
years of observations) gets follow-up extras written by this script into a
file of their own, so the validation benchmark's data stays as it is: per
kommun 20 target levels (one per steering goal's indicator and ten more,
some already met, some far off), an interim and an annual report for 2024,
and forecasts for half of the steering goals — the other half is a
missing-forecast finding.

Each measurement runs in a fresh process: (1) load the N-kommun files, then
time ``status()`` for all kommuner (its tables and frames built) and
``validate()`` on the same loaded store; (2) for one kommun from its files,
time load + ``status(kommun=…)`` and load + ``validate()``, and the whole
process. Importing goalgraph and pandas (which status needs for its
DataFrames, validation does not) is timed apart. Targets (issue 8): (1) ≤ 2 s
and (2) ≤ 0.5 s, each no slower than validating the same data in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from generate import kommun_codes  # noqa: E402

LOADED = """
import json, sys, time
import goalgraph
import pandas  # status builds DataFrames; its import (a fixed ~0.3 s) is reported apart
graph = goalgraph.load(*sys.argv[1:])
start = time.perf_counter()
report = goalgraph.status(graph)
rows = (len(report.indicators), len(report.goals), len(report.findings), len(report.observations))
status_done = time.perf_counter()
findings = len(goalgraph.validate(graph))
validate_done = time.perf_counter()
print(json.dumps({"triples": len(graph), "status": status_done - start,
                  "validate": validate_done - status_done, "rows": rows, "results": findings}))
"""

# One kommun from its files: status and validate each in a fresh process, so that neither
# inherits what the other has read or cached; the first argument says which.
ONE_KOMMUN = """
import json, sys, time
start = time.perf_counter()
import goalgraph
between = time.perf_counter()
import pandas
imported = time.perf_counter()
graph = goalgraph.load(*sys.argv[3:])
if sys.argv[1] == "status":
    report = goalgraph.status(graph, kommun=sys.argv[2])
    rows = (len(report.indicators), len(report.goals), len(report.findings))
else:
    rows = len(goalgraph.validate(graph))
done = time.perf_counter()
print(json.dumps({"import": between - start, "pandas": imported - between,
                  "time": done - imported, "rows": rows}))
"""

HEADER = """@prefix gg: <https://w3id.org/goalgraph/ontology#> .
@prefix ref: <https://w3id.org/goalgraph/ref/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def extras(n: int, *, seed: int = 2026) -> str:
    """Turtle of the follow-up extras of the first *n* kommuner of ``generate.py``."""
    rng = random.Random(seed)
    out = [HEADER]
    for code, _ in kommun_codes(n):
        b = f"<https://w3id.org/goalgraph/id/{code}/"
        kommun = f"ref:kommun\\/{code}"
        for kind, date in (("interim-report", "2024-08-31"), ("annual-report", "2024-12-31")):
            out.append(
                f"{b}reporting-point/{kind}-2024> a gg:ReportingPoint ;"
                f' dcterms:identifier "{kind}" ; rdfs:label "{kind} 2024"@sv ;'
                f" gg:municipality {kommun} ;"
                f" gg:reportingPointType ref:reporting\\/{kind} ;"
                f' gg:reportingDate "{date}"^^xsd:date ; gg:budgetYear "2024"^^xsd:gYear .'
            )
        # the steering goals of generate.py: N<n>-1, measured by indicator I<8n>, and KS2 by I1
        steering = [(f"N{n}-1", n * 8) for n in range(1, 11)] + [("KS2", 1)]
        extra = [(None, i) for i in range(3, 100, 10)]
        for goal, indicator in steering + extra:
            target = f"{b}target-level/T{indicator}>"
            value = round(rng.uniform(0, 1200), 1)
            year = rng.choice([2026, 2028, 2030])
            link = f" ; gg:forGoal {b}goal/{goal}>" if goal else ""
            out.append(
                f"{target} a gg:TargetLevel ; gg:indicator {b}indicator/I{indicator}>{link} ;"
                f' gg:targetValue {value} ; gg:targetYear "{year}"^^xsd:gYear .'
            )
        for goal, _ in steering[::2]:
            out.append(
                f"{b}assessment/F-{goal}> a gg:Forecast ; gg:assessedGoal {b}goal/{goal}> ;"
                f" gg:atReportingPoint {b}reporting-point/interim-report-2024> ;"
                f" gg:attainment ref:attainment\\/partly-achieved ; gg:municipality {kommun} ."
            )
    return "\n".join(out) + "\n"


def files(size: int) -> list[Path]:
    """The national graph of *size* kommuner and its follow-up extras, generated on first use."""
    from generate import write

    national, extra = OUT / f"national-{size}.ttl", OUT / f"followup-{size}.ttl"
    if not national.is_file():
        write(size, national)
    if not extra.is_file():
        extra.parent.mkdir(parents=True, exist_ok=True)
        extra.write_text(extras(size), encoding="utf-8")
    return [national, extra]


def run(code: str, *args: str) -> dict[str, object]:
    """Run *code* in a fresh interpreter with *args*; its JSON line plus the process wall time."""
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"benchmark process failed:\n{child.stderr}")
    result: dict[str, object] = json.loads(child.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print a Markdown table per measurement and whether the targets hold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 290])
    args = parser.parse_args(argv)
    results: dict[str, object] = {"loaded": [], "one": None}
    print("| N | data triples | status, all kommuner (loaded) | validate (loaded) | ratio |")
    print("|---|---|---|---|---|")
    missed = []
    for size in args.sizes:
        row = run(LOADED, *map(str, files(size)))
        ratio = float(row["status"]) / float(row["validate"])  # type: ignore[arg-type]
        print(
            f"| {size} | {row['triples']:,} | {row['status']:.2f} s | {row['validate']:.2f} s"
            f" | {ratio:.2f} |",
            flush=True,
        )
        results["loaded"].append({"size": size, **row})  # type: ignore[union-attr]
        if float(row["status"]) > 2.0 or ratio > 1.0:  # type: ignore[arg-type]
            missed.append(f"N = {size}: status of all kommuner {row['status']:.2f} s")
    code = kommun_codes(1)[0][0]
    one = run(ONE_KOMMUN, "status", code, *map(str, files(1)))
    checked = run(ONE_KOMMUN, "validate", code, *map(str, files(1)))
    one.update(status=one["time"], validate=checked["time"], validate_wall=checked["wall"])
    results["one"] = one
    ratio = float(one["status"]) / float(one["validate"])  # type: ignore[arg-type]
    print()
    print(
        "| one kommun from its files | import goalgraph | import pandas | load + status"
        " | load + validate | ratio | whole process: status / validate |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {code} | {one['import']:.2f} s | {one['pandas']:.2f} s | {one['status']:.2f} s"
        f" | {one['validate']:.2f} s | {ratio:.2f} | {one['wall']:.2f} s /"
        f" {one['validate_wall']:.2f} s |"
    )
    if float(one["status"]) > 0.5 or ratio > 1.0:  # type: ignore[arg-type]
        missed.append(f"one kommun: load + status {one['status']:.2f} s")
    print()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average of the machine (1, 5, 15 min) at the end: {load}")
    print("targets (≤ 2 s all loaded, ≤ 0.5 s one kommun, never slower than validate):")
    print("  met" if not missed else "  missed: " + "; ".join(missed))
    OUT.mkdir(exist_ok=True)
    (OUT / "followup-results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
